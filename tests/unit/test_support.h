#pragma once

// Helpers shared by the tests: compiling source text held in memory, and
// rendering its diagnostics the way `socc build` prints them.

#include <string>
#include <vector>

#include "compiler/driver/compilation.h"

namespace socc::testing {

// Writes `files` (name -> text) into a fresh temporary directory and
// returns its path.
std::string write_temp_tree(const std::vector<std::pair<std::string, std::string>>& files);

// Compiles one in-memory file (named `name`) against the real stdlib.
std::unique_ptr<driver::Compilation> compile_source(const std::string& text,
                                                    const std::string& name = "rule.socc",
                                                    bool generate_code = true);

// The diagnostics of a compilation as `socc build` prints them, with the
// temporary directory removed from paths.
std::string rendered_diagnostics(const driver::Compilation& compilation);

// The codes of the diagnostics, in order of position.
std::vector<std::string> diagnostic_codes(const driver::Compilation& compilation);

std::string read_file(const std::string& path);

// What a command printed and how it ended.
struct CommandResult {
  int exit_code;
  std::string out;
  std::string err;
};

// Runs `command` with /bin/sh in `dir`; stdout and stderr of the whole
// command are captured (in dir/stdout.txt and dir/stderr.txt) unless it
// redirects them itself.
CommandResult shell(const std::string& dir, const std::string& command);

// Runs the socc binary under test with `args` (already shell-quoted) in
// `dir`, its standard input read from `input`.
CommandResult run_socc(const std::string& dir, const std::string& args,
                       const std::string& input = "/dev/null");

std::string source_dir();

}  // namespace socc::testing
