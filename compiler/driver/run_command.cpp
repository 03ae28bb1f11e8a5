#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "compiler/driver/commands.h"
#include "compiler/driver/file_walk.h"
#include "runtime/engine.h"
#include "runtime/json_writer.h"

namespace socc::driver {
namespace {

namespace fs = std::filesystem;

// "1 event", "2 events".
std::string count(uint64_t n, std::string_view singular, std::string_view plural) {
  return fmt::format("{} {}", n, n == 1 ? singular : plural);
}

// Where the walk of the inputs reports what it could not read.
struct InputErrors {
  std::ostream& out;
  size_t count = 0;

  void report(const fs::path& path, std::string_view why) {
    out << fmt::format("error: cannot read '{}': {}\n", path.string(), why);
    ++count;
  }
};

// Expands directories into their *.jsonl files, sorted for stable output.
// Files and "-" named on the command line are taken as they are.
std::vector<std::string> expand_inputs(const std::vector<std::string>& inputs,
                                       InputErrors& errors) {
  std::vector<std::string> files;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (input != "-" && fs::is_directory(input, ec)) {
      walk_files(
          input, {".jsonl"}, [&](const std::string& file) { files.push_back(file); },
          [&](const std::string& path, std::string_view why) { errors.report(path, why); });
    } else {
      files.push_back(input);
    }
  }
  return files;
}

// One output of the run (alerts, audit log, rejects), written a line at a
// time and checked after each line: a full disk, a closed descriptor or a
// reader that went away ends the run instead of losing what follows.
class Output {
 public:
  Output(std::string what, std::string name, std::ostream* stream)
      : what_(std::move(what)), name_(std::move(name)), stream_(stream) {}

  // Writes `line` and a newline; false when the stream failed.
  bool write(std::string_view line) {
    errno = 0;
    *stream_ << line << '\n';
    stream_->flush();
    if (!stream_->fail()) return true;
    error_ = errno;
    return false;
  }

  // "error: cannot write alerts to FILE: reason".
  std::string failure(int error) const {
    std::string message = fmt::format("error: cannot write {} to {}", what_, name_);
    if (error != 0) message += fmt::format(": {}", std::strerror(error));
    return message;
  }
  std::string failure() const { return failure(error_); }

 private:
  std::string what_;
  std::string name_;
  std::ostream* stream_;
  int error_ = 0;
};

// Opens `path` for appending; earlier runs stay as they were.
bool open_append(const std::string& path, std::string_view what, std::ofstream& file,
                 std::ostream& errors) {
  file.open(path, std::ios::app | std::ios::binary);
  if (file) return true;
  errors << fmt::format("error: cannot open '{}' for {}: {}\n", path, what, std::strerror(errno));
  return false;
}

std::string rejects_json(const runtime::MalformedLine& rejected) {
  runtime::JsonWriter json;
  json.begin_object();
  json.key("source").value(rejected.source);
  json.key("line").value(static_cast<int64_t>(rejected.line));
  json.key("reason").value(rejected.reason);
  json.key("bytes").value(static_cast<int64_t>(rejected.bytes));
  json.end_object();
  return json.take();
}

void print_summary(const ir::Pack& pack, const runtime::EngineStats& stats,
                   const runtime::ResponseStats& response, bool execute, size_t unreadable,
                   std::ostream& errors) {
  size_t firing = std::count_if(stats.alerts_per_rule.begin(), stats.alerts_per_rule.end(),
                                [](uint64_t n) { return n > 0; });
  errors << fmt::format("socc: {}, {} malformed, {} by {} of {}\n",
                        count(stats.events, "event", "events"), stats.malformed,
                        count(stats.alerts, "alert", "alerts"), firing,
                        count(pack.rules.size(), "rule", "rules"));
  for (size_t r = 0; r < pack.rules.size(); ++r) {
    if (stats.alerts_per_rule[r] == 0) continue;
    errors << fmt::format("  {:>6}  {}\n", stats.alerts_per_rule[r], pack.rules[r].name);
  }
  errors << fmt::format(
      "socc: response ({}): {} planned, {} succeeded, {} failed, {} skipped by condition, "
      "{} missing an argument, {}\n",
      execute ? "execute" : "dry-run", response.planned, response.succeeded, response.failed,
      response.skipped, response.missing_argument,
      count(response.duplicates, "duplicate", "duplicates"));
  if (unreadable > 0) {
    errors << fmt::format("socc: {} could not be read\n", count(unreadable, "input", "inputs"));
  }
}

}  // namespace

void prepare_run_process() {
  std::signal(SIGPIPE, SIG_IGN);
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; ++fd) {
    if (::fcntl(fd, F_GETFD) != -1 || errno != EBADF) continue;
    // Opened the wrong way round on purpose: reading stdin or writing
    // stdout fails as it would on the closed descriptor.
    int held = ::open("/dev/null", (fd == STDIN_FILENO ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
    if (held >= 0 && held != fd) {
      ::dup3(held, fd, O_CLOEXEC);
      ::close(held);
    }
  }
}

int run_command(const Compilation& compilation, const RunOptions& options, std::ostream& errors) {
  const ir::Pack& pack = compilation.pack;
  std::ofstream alerts_file, audit_file, rejects_file;
  if (!options.alerts_path.empty() &&
      !open_append(options.alerts_path, "alerts", alerts_file, errors)) {
    return 2;
  }
  if (!options.audit_path.empty() &&
      !open_append(options.audit_path, "the audit log", audit_file, errors)) {
    return 2;
  }
  if (!options.rejects_path.empty() &&
      !open_append(options.rejects_path, "rejected lines", rejects_file, errors)) {
    return 2;
  }
  Output alerts("alerts", options.alerts_path.empty() ? "stdout" : options.alerts_path,
                options.alerts_path.empty() ? &std::cout : &alerts_file);
  Output audit("the audit log", options.audit_path, &audit_file);
  Output rejects("rejected lines", options.rejects_path, &rejects_file);

  runtime::Responder responder(pack, options.response,
                               options.audit_path.empty() ? nullptr : &audit_file);
  runtime::EngineOptions engine_options;
  engine_options.more_reports_hint = options.rejects_path.empty()
                                         ? "socc run --rejects FILE records every one"
                                         : fmt::format("all are in {}", options.rejects_path);
  // The first failed write ends the run: its message, then the summary.
  std::string write_failure;
  runtime::Engine* running = nullptr;
  auto fail = [&](std::string message) {
    write_failure = std::move(message);
    errors << write_failure << '\n';
    running->request_stop();
  };
  runtime::Engine engine(
      pack, compilation.compiled->eval(),
      [&](const runtime::Alert& alert) {
        if (!alerts.write(runtime::alert_json(alert))) {
          fail(alerts.failure());
          return;
        }
        responder.respond(alert);
        if (responder.audit_failed()) fail(audit.failure(responder.audit_errno()));
      },
      [&](std::string_view message) { errors << message << '\n'; }, engine_options);
  running = &engine;
  if (!options.rejects_path.empty()) {
    engine.on_malformed([&](const runtime::MalformedLine& rejected) {
      if (write_failure.empty() && !rejects.write(rejects_json(rejected))) {
        fail(rejects.failure());
      }
    });
  }

  InputErrors input_errors{errors};
  for (const std::string& input : expand_inputs(options.inputs, input_errors)) {
    if (engine.stop_requested()) break;
    if (input == "-") {
      if (!engine.process_fd(STDIN_FILENO, "<stdin>")) ++input_errors.count;
      continue;
    }
    int fd = ::open(input.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      input_errors.report(input, std::strerror(errno));
      continue;
    }
    if (!engine.process_fd(fd, input)) ++input_errors.count;
    ::close(fd);
  }

  print_summary(pack, engine.stats(), responder.stats(), options.response.execute,
                input_errors.count, errors);
  return input_errors.count > 0 || !write_failure.empty() ? 2 : 0;
}

}  // namespace socc::driver
