#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "compiler/driver/commands.h"
#include "runtime/engine.h"

namespace socc::driver {
namespace {

namespace fs = std::filesystem;

// Expands directories into their *.jsonl files, sorted for stable output.
std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (input != "-" && fs::is_directory(input, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(input, ec);
           it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file() && it->path().extension() == ".jsonl") {
          found.push_back(it->path().string());
        }
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(input);
    }
  }
  return files;
}

}  // namespace

int run_command(const Compilation& compilation, const RunOptions& options,
                std::ostream& errors) {
  const ir::Pack& pack = compilation.pack;
  std::ofstream alerts_file;
  std::ostream* alerts = &std::cout;
  if (!options.alerts_path.empty()) {
    alerts_file.open(options.alerts_path, std::ios::app);
    if (!alerts_file) {
      errors << fmt::format("error: cannot open '{}' for alerts\n", options.alerts_path);
      return 2;
    }
    alerts = &alerts_file;
  }
  std::ofstream audit_file;
  if (!options.audit_path.empty()) {
    // The audit log is append-only: earlier runs stay as they were.
    audit_file.open(options.audit_path, std::ios::app);
    if (!audit_file) {
      errors << fmt::format("error: cannot open '{}' for the audit log\n", options.audit_path);
      return 2;
    }
  }
  runtime::Responder responder(pack, options.response,
                               options.audit_path.empty() ? nullptr : &audit_file);
  runtime::Engine engine(
      pack, compilation.compiled->eval(),
      [&](const runtime::Alert& alert) {
        *alerts << runtime::alert_json(alert) << '\n';
        responder.respond(alert);
      },
      [&](std::string_view message) { errors << message << '\n'; });

  bool read_errors = false;
  for (const std::string& input : expand_inputs(options.inputs)) {
    if (input == "-") {
      read_errors |= !engine.process_fd(STDIN_FILENO, "<stdin>");
      continue;
    }
    int fd = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      errors << fmt::format("error: cannot open '{}'\n", input);
      read_errors = true;
      continue;
    }
    read_errors |= !engine.process_fd(fd, input);
    ::close(fd);
  }
  alerts->flush();

  const runtime::EngineStats& stats = engine.stats();
  const runtime::ResponseStats& response = responder.stats();
  errors << fmt::format("socc: {} events, {} malformed, {} alerts from {} rules\n",
                        stats.events, stats.malformed, stats.alerts, pack.rules.size());
  for (size_t r = 0; r < pack.rules.size(); ++r) {
    if (stats.alerts_per_rule[r] == 0) continue;
    errors << fmt::format("  {:>6}  {}\n", stats.alerts_per_rule[r], pack.rules[r].name);
  }
  errors << fmt::format(
      "socc: response ({}): {} planned, {} succeeded, {} failed, {} skipped by "
      "condition, {} duplicates\n",
      options.response.execute ? "execute" : "dry-run", response.planned, response.succeeded,
      response.failed, response.skipped, response.duplicates);
  return read_errors ? 2 : 0;
}

}  // namespace socc::driver
