#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <unordered_set>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/alerts.h"

namespace socc::runtime {

// How an action reaches the world: a program run with an argument vector,
// never through a shell. `{param}` in an argument is replaced by the value
// of the action's parameter of that name; replaced text is not scanned
// again, so a value cannot smuggle in another parameter.
struct ProgramConnector {
  std::vector<std::string> argv;
  int timeout_seconds = 30;
};

struct ResponseOptions {
  // False: plan only (dry-run), no connector is ever started.
  bool execute = false;
  std::map<std::string, ProgramConnector> connectors;
  // How many distinct effects (action and arguments) are remembered to run
  // each one once: the most recent ones; the oldest is forgotten first.
  // Bounds memory whatever the number of distinct effects a run meets.
  size_t dedupe_window = 65536;
};

struct ResponseStats {
  uint64_t planned = 0;
  uint64_t skipped = 0;
  uint64_t duplicates = 0;
  // Steps not run because an argument had no value for the alert.
  uint64_t missing_argument = 0;
  uint64_t succeeded = 0;
  uint64_t failed = 0;
};

// Runs the playbook of each alert's rule, step by step. Each step whose
// condition holds is written to the audit log as one JSON line before it
// runs and, when executed, again with its result. A step with an argument
// that has no value never runs: it is audited as `missing_argument`. The
// same action with the same arguments is planned once, however many alerts
// ask for it, within the dedupe window.
//
// Nothing runs unaudited: once an audit record cannot be written, the
// responder plans and runs nothing more.
class Responder {
 public:
  Responder(const ir::Pack& pack, ResponseOptions options, std::ostream* audit);

  void respond(const Alert& alert);
  const ResponseStats& stats() const { return stats_; }
  // Whether writing the audit log failed; the errno of the failure, or 0
  // when the stream did not say.
  bool audit_failed() const { return audit_failed_; }
  int audit_errno() const { return audit_errno_; }
  // How many effects the dedupe window holds now.
  size_t remembered() const { return remembered_.size(); }

 private:
  struct PlannedStep;
  // A keyed 128-bit digest of one effect: what the dedupe window holds
  // instead of the action's name and argument text.
  struct Digest {
    uint64_t first = 0;
    uint64_t second = 0;
    bool operator==(const Digest&) const = default;
  };
  struct DigestHash {
    size_t operator()(const Digest& digest) const { return digest.first; }
  };

  bool write_audit(const PlannedStep& step, const Alert& alert, std::string_view status,
                   int exit_code);
  int run_program(const ProgramConnector& connector, const PlannedStep& step);
  Digest digest(const PlannedStep& step) const;
  // False when the effect is already in the window; else adds it.
  bool remember(const Digest& digest);

  const ir::Pack& pack_;
  ResponseOptions options_;
  std::ostream* audit_;
  ResponseStats stats_;
  bool audit_failed_ = false;
  int audit_errno_ = 0;
  uint64_t keys_[4] = {};
  std::unordered_set<Digest, DigestHash> remembered_;
  // The window in order of arrival, as a ring: the next slot to overwrite
  // holds the oldest effect once the ring is full.
  std::vector<Digest> arrival_;
  size_t oldest_ = 0;
};

}  // namespace socc::runtime
