// `socc import-sigma`: writing out what the Sigma front end made of Sigma
// rules, so a team can move them into socc source and keep them there.

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "compiler/driver/commands.h"

namespace socc::driver {
namespace {

namespace fs = std::filesystem;

bool write_file(const fs::path& path, const std::string& text, std::ostream& errors) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    errors << fmt::format("error: cannot write '{}'\n", path.string());
    return false;
  }
  return true;
}

}  // namespace

int import_sigma_command(const Compilation& compilation, const std::string& dir, bool schemas,
                         std::ostream& out, std::ostream& errors) {
  if (compilation.sigma_translations.empty()) {
    errors << "error: no Sigma rule was translated\n";
    return 1;
  }
  const auto& sources = compilation.sources;
  if (dir.empty()) {
    for (const auto& [path, id] : compilation.sigma_translations) out << sources.text(id) << '\n';
    if (schemas && compilation.sigma_schemas) out << sources.text(*compilation.sigma_schemas);
    return 0;
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    errors << fmt::format("error: cannot create '{}': {}\n", dir, ec.message());
    return 2;
  }
  std::set<std::string> written;
  for (const auto& [path, id] : compilation.sigma_translations) {
    std::string stem = fs::path(path).stem().string();
    std::string name = stem;
    for (int n = 2; !written.insert(name).second; ++n) name = fmt::format("{}_{}", stem, n);
    if (!write_file(fs::path(dir) / (name + ".socc"), sources.text(id), errors)) return 2;
  }
  if (compilation.sigma_schemas) {
    // The schema module: under the name its importers look it up by.
    std::string module = "sigma";
    for (const auto& parsed : compilation.program.modules) {
      if (parsed->file_id == *compilation.sigma_schemas) module = parsed->name;
    }
    const std::string& text = sources.text(*compilation.sigma_schemas);
    if (!write_file(fs::path(dir) / (module + ".socc"), text, errors)) return 2;
  }
  errors << fmt::format("socc: wrote {} rule files and the schema module to {}\n", written.size(),
                        dir);
  return 0;
}

size_t detection_count(const ir::Pack& pack) {
  std::set<std::string> names;
  for (const ir::Rule& rule : pack.rules) names.insert(rule.source);
  return names.size();
}

}  // namespace socc::driver
