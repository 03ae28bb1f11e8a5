#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/alerts.h"

namespace socc::runtime {

// How an action reaches the world: a program run with an argument vector,
// never through a shell. `{param}` in an argument is replaced by the value
// of the action's parameter of that name.
struct ProgramConnector {
  std::vector<std::string> argv;
  int timeout_seconds = 30;
};

struct ResponseOptions {
  // False: plan only (dry-run), no connector is ever started.
  bool execute = false;
  std::map<std::string, ProgramConnector> connectors;
};

struct ResponseStats {
  uint64_t planned = 0;
  uint64_t skipped = 0;
  uint64_t duplicates = 0;
  uint64_t succeeded = 0;
  uint64_t failed = 0;
};

// Runs the playbook of each alert's rule, step by step. Each step whose
// condition holds is written to the audit log as one JSON line before it
// runs and, when executed, again with its result. The same action with the
// same arguments is planned once per run, however many alerts ask for it.
class Responder {
 public:
  Responder(const ir::Pack& pack, ResponseOptions options, std::ostream* audit);

  void respond(const Alert& alert);
  const ResponseStats& stats() const { return stats_; }

 private:
  struct PlannedStep;
  void write_audit(const PlannedStep& step, const Alert& alert,
                   std::string_view status, int exit_code);
  int run_program(const ProgramConnector& connector, const PlannedStep& step);

  const ir::Pack& pack_;
  ResponseOptions options_;
  std::ostream* audit_;
  ResponseStats stats_;
  std::set<std::string> done_;
};

}  // namespace socc::runtime
