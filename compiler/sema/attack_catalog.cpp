#include "compiler/sema/attack_catalog.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace socc::sema {
namespace {

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream stream(line);
  while (std::getline(stream, part, separator)) parts.push_back(part);
  // A trailing empty column is dropped by getline; keep the column count.
  if (!line.empty() && line.back() == separator) parts.emplace_back();
  return parts;
}

}  // namespace

std::optional<AttackCatalog> AttackCatalog::load(const std::string& dir, std::string* error) {
  AttackCatalog catalog;
  std::ifstream techniques(dir + "/enterprise-techniques.tsv");
  std::ifstream tactics(dir + "/enterprise-tactics.tsv");
  if (!techniques || !tactics) {
    *error = "cannot open the ATT&CK catalog in '" + dir + "'";
    return std::nullopt;
  }
  std::string line;
  std::getline(techniques, line);  // header
  size_t line_number = 1;
  while (std::getline(techniques, line)) {
    ++line_number;
    if (line.empty()) continue;
    auto columns = split(line, '\t');
    if (columns.size() < 8) {
      *error = "malformed ATT&CK technique row " + std::to_string(line_number);
      return std::nullopt;
    }
    Technique technique;
    technique.id = columns[0];
    technique.name = columns[1];
    if (!columns[2].empty()) technique.tactics = split(columns[2], ',');
    technique.deprecated = columns[5] == "true";
    technique.revoked = columns[6] == "true";
    technique.revoked_by = columns[7];
    catalog.techniques_.emplace(technique.id, std::move(technique));
  }
  std::getline(tactics, line);  // header
  while (std::getline(tactics, line)) {
    auto columns = split(line, '\t');
    if (columns.size() < 3) continue;
    catalog.tactics_.push_back({columns[0], columns[1], columns[2]});
  }
  return catalog;
}

const Technique* AttackCatalog::technique(const std::string& id) const {
  auto it = techniques_.find(id);
  return it == techniques_.end() ? nullptr : &it->second;
}

const Tactic* AttackCatalog::tactic_by_shortname(const std::string& shortname) const {
  for (const Tactic& tactic : tactics_) {
    if (tactic.shortname == shortname) return &tactic;
  }
  return nullptr;
}

std::vector<std::string> AttackCatalog::technique_ids() const {
  std::vector<std::string> ids;
  for (const auto& [id, technique] : techniques_) {
    if (!technique.revoked && !technique.deprecated) ids.push_back(id);
  }
  // Sorted so that "did you mean" picks the same id on every run.
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace socc::sema
