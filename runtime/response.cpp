#include "runtime/response.h"

#include <fmt/format.h>
#include <spawn.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <thread>

#include "runtime/json_writer.h"
#include "runtime/siphash.h"
#include "runtime/timestamp.h"

extern char** environ;

namespace socc::runtime {
namespace {

// A value a playbook reads, resolved against one alert.
struct Resolved {
  bool present = false;
  ir::ValueType type = ir::ValueType::String;
  std::string text;
  int64_t number = 0;
  double real = 0;
  bool boolean = false;
};

// The text of a value as connectors receive it and as effects are compared:
// every type has one, so different values never look alike.
std::string value_text(ir::ValueType type, const std::string& text, int64_t number, double real,
                       bool boolean) {
  switch (type) {
    case ir::ValueType::Int:
      return std::to_string(number);
    case ir::ValueType::Float:
      return fmt::format("{}", real);
    case ir::ValueType::Bool:
      return boolean ? "true" : "false";
    // The canonical form, like alert times, whatever the event wrote.
    case ir::ValueType::Timestamp:
      return format_timestamp(number);
    case ir::ValueType::String:
      return text;
  }
  return text;
}

Resolved resolve(const ir::PlaybookValue& value, const Alert& alert) {
  Resolved out;
  switch (value.kind) {
    case ir::PlaybookValue::Kind::Constant:
      out.present = true;
      out.type = value.constant.type;
      out.text = value.constant.string_value;
      out.number = value.constant.int_value;
      out.real = value.constant.float_value;
      out.boolean = value.constant.bool_value;
      if (out.type != ir::ValueType::String && out.type != ir::ValueType::Timestamp) {
        out.text = value_text(out.type, out.text, out.number, out.real, out.boolean);
      }
      return out;
    case ir::PlaybookValue::Kind::Severity:
      out.present = true;
      out.type = ir::ValueType::Int;
      out.number = value.severity_rank;
      return out;
    case ir::PlaybookValue::Kind::AlertMember: {
      const ir::Rule& rule = *alert.rule;
      out.present = true;
      if (value.member == "rule") out.text = rule.name;
      if (value.member == "rule_id") out.text = rule.rule_id;
      if (value.member == "title") out.text = rule.title;
      if (value.member == "host") {
        out.text = alert.host;
        out.present = !alert.host.empty();
      }
      if (value.member == "time") {
        out.text = alert.time;
        out.present = !alert.time.empty();
      }
      if (value.member == "severity") {
        out.type = ir::ValueType::Int;
        out.number = rule.severity_rank;
        out.text = rule.severity;
      }
      return out;
    }
    case ir::PlaybookValue::Kind::EventField: {
      const FieldValue* field = alert.field(value.member);
      if (field == nullptr || !field->present) return out;
      out.present = true;
      out.type = field->type;
      out.text = field->text;
      out.number = field->integer;
      out.real = field->real;
      out.boolean = field->boolean;
      out.text = value_text(out.type, out.text, out.number, out.real, out.boolean);
      return out;
    }
  }
  return out;
}

bool compare(ir::PredicateOp op, bool case_sensitive, const Resolved& lhs, const Resolved& rhs) {
  if (!lhs.present || !rhs.present) return false;
  if (lhs.type == ir::ValueType::String) {
    std::string a = lhs.text, b = rhs.text;
    if (!case_sensitive) {
      for (char& c : a) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (char& c : b) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    switch (op) {
      case ir::PredicateOp::Eq:
        return a == b;
      case ir::PredicateOp::Ne:
        return a != b;
      case ir::PredicateOp::Contains:
        return a.find(b) != std::string::npos;
      case ir::PredicateOp::StartsWith:
        return a.rfind(b, 0) == 0;
      case ir::PredicateOp::EndsWith:
        return a.size() >= b.size() && a.compare(a.size() - b.size(), b.size(), b) == 0;
      default:
        return false;
    }
  }
  double a = lhs.type == ir::ValueType::Float ? lhs.real : static_cast<double>(lhs.number);
  double b = rhs.type == ir::ValueType::Float ? rhs.real : static_cast<double>(rhs.number);
  if (lhs.type == ir::ValueType::Bool) {
    a = lhs.boolean;
    b = rhs.boolean;
  }
  switch (op) {
    case ir::PredicateOp::Eq:
      return a == b;
    case ir::PredicateOp::Ne:
      return a != b;
    case ir::PredicateOp::Lt:
      return a < b;
    case ir::PredicateOp::Le:
      return a <= b;
    case ir::PredicateOp::Gt:
      return a > b;
    case ir::PredicateOp::Ge:
      return a >= b;
    default:
      return false;
  }
}

bool holds(const ir::PlaybookCondition& condition, const Alert& alert) {
  using Kind = ir::PlaybookCondition::Kind;
  switch (condition.kind) {
    case Kind::True:
      return true;
    case Kind::Compare:
      return compare(condition.op, condition.case_sensitive, resolve(condition.lhs, alert),
                     resolve(condition.rhs, alert));
    case Kind::In: {
      Resolved lhs = resolve(condition.lhs, alert);
      if (!lhs.present) return false;
      bool found = false;
      for (const ir::Constant& item : condition.list) {
        ir::PlaybookValue value;
        value.constant = item;
        found = found ||
                compare(ir::PredicateOp::Eq, condition.case_sensitive, lhs, resolve(value, alert));
      }
      return found != condition.negated;
    }
    case Kind::Not:
      return !holds(condition.children.front(), alert);
    case Kind::And:
      for (const auto& child : condition.children) {
        if (!holds(child, alert)) return false;
      }
      return true;
    case Kind::Or:
      for (const auto& child : condition.children) {
        if (holds(child, alert)) return true;
      }
      return false;
  }
  return false;
}

std::string now_text() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return format_timestamp(std::chrono::duration_cast<std::chrono::microseconds>(now).count());
}

// A random key per run: without it, nobody can craft two effects whose
// digests collide and so make one of them pass for a duplicate.
void random_keys(uint64_t* keys, size_t count) {
  size_t bytes = count * sizeof(uint64_t);
  auto* out = reinterpret_cast<char*>(keys);
  size_t got = 0;
  while (got < bytes) {
    ssize_t n = getrandom(out + got, bytes - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  if (got == bytes) return;
  // No kernel randomness (very old kernels, seccomp): the clock and the
  // address space layout still differ between runs.
  auto now = std::chrono::steady_clock::now().time_since_epoch().count();
  for (size_t i = 0; i < count; ++i) {
    keys[i] ^= siphash24(static_cast<uint64_t>(now) + i, reinterpret_cast<uintptr_t>(keys), "socc");
  }
}

// Writes `text` as one length-prefixed field, so that no split of the same
// bytes into fields hashes alike.
void append_field(std::string& out, std::string_view text) {
  uint64_t size = text.size();
  out.append(reinterpret_cast<const char*>(&size), sizeof(size));
  out.append(text);
}

// The argument with `{param}` placeholders replaced by the values of those
// parameters, in one pass: replaced text is never scanned again.
std::string expand_argument(std::string_view pattern,
                            const std::vector<std::pair<std::string, Resolved>>& args) {
  std::string out;
  size_t at = 0;
  while (at < pattern.size()) {
    size_t open = pattern.find('{', at);
    if (open == std::string_view::npos) break;
    size_t close = pattern.find('}', open + 1);
    if (close == std::string_view::npos) break;
    std::string_view name = pattern.substr(open + 1, close - open - 1);
    auto arg = std::find_if(args.begin(), args.end(),
                            [&](const auto& entry) { return entry.first == name; });
    out.append(pattern.substr(at, open - at));
    if (arg != args.end()) {
      out.append(arg->second.text);
      at = close + 1;
    } else {
      out.push_back('{');
      at = open + 1;
    }
  }
  out.append(pattern.substr(at));
  return out;
}

}  // namespace

struct Responder::PlannedStep {
  const ir::Playbook* playbook;
  const ir::Step* step;
  std::vector<std::pair<std::string, Resolved>> args;
  // The parameters whose values the alert does not have.
  std::vector<std::string> missing;
};

Responder::Responder(const ir::Pack& pack, ResponseOptions options, std::ostream* audit)
    : pack_(pack), options_(std::move(options)), audit_(audit) {
  random_keys(keys_, 4);
  remembered_.reserve(std::min<size_t>(options_.dedupe_window, 1024));
}

bool Responder::write_audit(const PlannedStep& planned, const Alert& alert, std::string_view status,
                            int exit_code) {
  if (audit_ == nullptr) return true;
  JsonWriter json;
  json.begin_object();
  json.key("time").value(now_text());
  json.key("mode").value(options_.execute ? "execute" : "dry-run");
  json.key("status").value(status);
  json.key("playbook").value(planned.playbook->name);
  json.key("step").value(planned.step->name);
  json.key("action").value(planned.step->action);
  json.key("risk").value(planned.step->risk);
  if (!planned.step->undo.empty()) json.key("undo").value(planned.step->undo);
  json.key("args").begin_object();
  for (const auto& [name, value] : planned.args) {
    json.key(name);
    if (!value.present) {
      json.null();
    } else if (value.type == ir::ValueType::Int) {
      json.value(value.number);
    } else if (value.type == ir::ValueType::Float) {
      json.value(value.real);
    } else if (value.type == ir::ValueType::Bool) {
      json.value(value.boolean);
    } else {
      json.value(value.text);
    }
  }
  json.end_object();
  if (!planned.missing.empty()) {
    json.key("missing").begin_array();
    for (const std::string& name : planned.missing) json.value(name);
    json.end_array();
  }
  json.key("alert").begin_object();
  json.key("rule").value(alert.rule->name);
  json.key("rule_id").value(alert.rule->rule_id);
  json.key("host");
  alert.host.empty() ? json.null() : json.value(alert.host);
  json.key("event").value(fmt::format("{}:{}", alert.source_file, alert.source_line));
  json.end_object();
  if (exit_code != INT32_MIN) json.key("exit_code").value(int64_t{exit_code});
  json.end_object();
  // The record must be on disk before the step runs; a full disk or a
  // closed descriptor shows as a failed stream after the flush.
  errno = 0;
  *audit_ << json.str() << '\n';
  audit_->flush();
  if (!audit_->fail()) return true;
  audit_failed_ = true;
  audit_errno_ = errno;
  return false;
}

int Responder::run_program(const ProgramConnector& connector, const PlannedStep& planned) {
  std::vector<std::string> argv;
  for (const std::string& pattern : connector.argv) {
    argv.push_back(expand_argument(pattern, planned.args));
  }
  std::vector<char*> pointers;
  for (std::string& arg : argv) pointers.push_back(arg.data());
  pointers.push_back(nullptr);

  // The program's output goes to our stderr so that it cannot corrupt the
  // alert stream on stdout.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  // `socc run` ignores SIGPIPE; an ignored signal stays ignored across
  // exec, so the program gets the default back.
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSIGDEF);
  pid_t pid;
  int error = posix_spawn(&pid, pointers[0], &actions, &attributes, pointers.data(), environ);
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) return 127;

  auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(connector.timeout_seconds);
  int status = 0;
  while (true) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return 124;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

Responder::Digest Responder::digest(const PlannedStep& planned) const {
  std::string key;
  append_field(key, planned.step->action);
  for (const auto& [name, value] : planned.args) {
    append_field(key, name);
    append_field(key, value.text);
  }
  return {siphash24(keys_[0], keys_[1], key), siphash24(keys_[2], keys_[3], key)};
}

bool Responder::remember(const Digest& digest) {
  if (options_.dedupe_window == 0) return true;
  if (remembered_.contains(digest)) return false;
  if (arrival_.size() < options_.dedupe_window) {
    arrival_.push_back(digest);
  } else {
    remembered_.erase(arrival_[oldest_]);
    arrival_[oldest_] = digest;
    oldest_ = (oldest_ + 1) % arrival_.size();
  }
  remembered_.insert(digest);
  return true;
}

void Responder::respond(const Alert& alert) {
  if (alert.rule->playbook < 0 || audit_failed_) return;
  const ir::Playbook& playbook = pack_.playbooks[alert.rule->playbook];
  for (const ir::Step& step : playbook.steps) {
    PlannedStep planned{&playbook, &step, {}, {}};
    for (const ir::StepArg& arg : step.args) {
      planned.args.emplace_back(arg.param, resolve(arg.value, alert));
      if (!planned.args.back().second.present) planned.missing.push_back(arg.param);
    }
    if (!holds(step.when, alert)) {
      ++stats_.skipped;
      continue;
    }
    // An action with an empty argument would act on the wrong thing or on
    // nothing (disable the user "", isolate the host ""): never run it.
    if (!planned.missing.empty()) {
      ++stats_.missing_argument;
      if (!write_audit(planned, alert, "missing_argument", INT32_MIN)) return;
      continue;
    }
    if (!remember(digest(planned))) {
      ++stats_.duplicates;
      continue;
    }
    auto connector = options_.connectors.find(step.action);
    if (!options_.execute) {
      ++stats_.planned;
      if (!write_audit(planned, alert, "planned", INT32_MIN)) return;
      continue;
    }
    if (connector == options_.connectors.end()) {
      ++stats_.failed;
      if (!write_audit(planned, alert, "no_connector", INT32_MIN)) return;
      continue;
    }
    if (!write_audit(planned, alert, "started", INT32_MIN)) return;
    int exit_code = run_program(connector->second, planned);
    if (exit_code == 0) {
      ++stats_.succeeded;
    } else {
      ++stats_.failed;
    }
    if (!write_audit(planned, alert, exit_code == 0 ? "succeeded" : "failed", exit_code)) {
      return;
    }
  }
}

}  // namespace socc::runtime
