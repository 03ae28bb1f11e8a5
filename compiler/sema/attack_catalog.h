#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace socc::sema {

struct Tactic {
  std::string id;         // TA0002
  std::string shortname;  // execution
  std::string name;       // Execution
};

struct Technique {
  std::string id;                    // T1059.001
  std::string name;                  // PowerShell
  std::vector<std::string> tactics;  // kill-chain shortnames, matrix order
  bool deprecated = false;
  bool revoked = false;
  std::string revoked_by;
};

// The MITRE ATT&CK catalog as shipped in stdlib/attack/.
class AttackCatalog {
 public:
  // Reads `<dir>/enterprise-techniques.tsv` and `<dir>/enterprise-tactics.tsv`.
  // Returns nullopt and sets `error` when either is missing or malformed.
  static std::optional<AttackCatalog> load(const std::string& dir, std::string* error);

  const Technique* technique(const std::string& id) const;
  const Tactic* tactic_by_shortname(const std::string& shortname) const;
  std::vector<std::string> technique_ids() const;
  size_t size() const { return techniques_.size(); }

 private:
  std::unordered_map<std::string, Technique> techniques_;
  std::vector<Tactic> tactics_;
};

}  // namespace socc::sema
