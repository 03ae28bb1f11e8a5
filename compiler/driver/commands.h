#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "compiler/driver/compilation.h"
#include "runtime/derive.h"
#include "runtime/response.h"

namespace socc::driver {

struct RunOptions {
  std::vector<std::string> inputs;  // files, directories of *.jsonl, or "-"
  std::string alerts_path;          // empty: stdout
  std::string audit_path;           // empty: no audit log
  std::string rejects_path;         // empty: malformed lines only on stderr
  runtime::ResponseOptions response;
};

// Readies the process for `socc run`, before it opens any file: SIGPIPE is
// ignored, so that a reader that goes away shows as a write error, and
// closed standard descriptors are held so that no file opened later takes
// their number (alerts meant for a closed stdout would land in it).
void prepare_run_process();

// `socc run`: every input through the compiled pack. Alerts go to stdout
// (or a file) as JSON lines; malformed input and the closing summary go to
// `errors`. Returns the process exit code: 0, or 2 when an input could not
// be read or an output could not be written (the run stops at the first
// failed write).
int run_command(const Compilation& compilation, const RunOptions& options, std::ostream& errors);

// The slots of one test case, as `socc test` evaluates them: the given
// fields present, every other slot missing. String values point into the
// test case. `slots` has one entry per pack slot; `deriver` (of the pack)
// fills the derived ones.
void fill_test_slots(const ir::TestCase& test, std::vector<socc_slot>& slots,
                     runtime::Deriver& deriver);

// `socc test`: every test case of the pack; one line per failing case and a
// closing count. Returns the process exit code.
int test_command(const Compilation& compilation, std::ostream& out);

// Reads connector bindings from YAML:
//   connectors:
//     isolate_host: { argv: ["/usr/local/bin/isolate", "{host}"], timeout: 30 }
// Returns false and sets `error` when the file is unreadable or malformed.
bool load_connectors(const std::string& path, std::map<std::string, runtime::ProgramConnector>* out,
                     std::string* error);

// Checks connector bindings against the pack they serve: each binds an
// action some playbook step calls, runs a program given by absolute path,
// and uses only that action's parameters as `{placeholders}`. Returns one
// message per problem (prefixed with `path`); empty when all is well.
std::vector<std::string> check_connectors(
    const ir::Pack& pack, const std::map<std::string, runtime::ProgramConnector>& connectors,
    const std::string& path);

// `socc import-sigma`: the socc source each Sigma file became. With `dir`,
// writes `<stem>.socc` per file and the schema module there; else prints
// them, the schema module only with `schemas`. Returns the exit code.
int import_sigma_command(const Compilation& compilation, const std::string& dir, bool schemas,
                         std::ostream& out, std::ostream& errors);

// Detections in a pack: a detection on several schemas counts once.
size_t detection_count(const ir::Pack& pack);

}  // namespace socc::driver
