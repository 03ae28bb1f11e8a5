#pragma once

// Helpers shared by the tests: compiling source text held in memory, and
// rendering its diagnostics the way `socc build` prints them.

#include <string>
#include <vector>

#include "compiler/driver/compilation.h"
#include "runtime/engine.h"

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

// A pack compiled from source and an engine over it that collects what it
// reports: alerts, error messages, and malformed lines ("source:line:bytes").
struct EngineRun {
  std::unique_ptr<driver::Compilation> compilation;
  std::unique_ptr<runtime::Engine> engine;
  std::vector<runtime::Alert> alerts;
  std::vector<std::string> errors;
  std::vector<std::string> rejected;

  explicit EngineRun(const std::string& source, runtime::EngineOptions options = {});

  const ir::Pack& pack() const { return compilation->pack; }
  // The names of the rules that fire on one event line.
  std::vector<std::string> fire(const std::string& line);
};

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
