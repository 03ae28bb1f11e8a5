#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "compiler/driver/compilation.h"
#include "runtime/response.h"

namespace socc::driver {

struct RunOptions {
  std::vector<std::string> inputs;  // files, directories of *.jsonl, or "-"
  std::string alerts_path;          // empty: stdout
  std::string audit_path;           // empty: no audit log
  runtime::ResponseOptions response;
};

// `socc run`: every input through the compiled pack. Alerts go to stdout
// (or a file) as JSON lines; malformed input and the closing summary go to
// `errors`. Returns the process exit code.
int run_command(const Compilation& compilation, const RunOptions& options,
                std::ostream& errors);

// `socc test`: every test case of the pack; one line per failing case and a
// closing count. Returns the process exit code.
int test_command(const Compilation& compilation, std::ostream& out);

// Reads connector bindings from YAML:
//   connectors:
//     isolate_host: { argv: ["/usr/local/bin/isolate", "{host}"], timeout: 30 }
// Returns false and sets `error` when the file is unreadable or malformed.
bool load_connectors(const std::string& path,
                     std::map<std::string, runtime::ProgramConnector>* out,
                     std::string* error);

}  // namespace socc::driver
