#include "runtime/response.h"

#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <thread>

#include "runtime/json_writer.h"
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
      if (out.type == ir::ValueType::Int) out.text = std::to_string(out.number);
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
      if (field->type == ir::ValueType::Int) out.text = std::to_string(field->integer);
      return out;
    }
  }
  return out;
}

bool fold_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool compare(ir::PredicateOp op, bool case_sensitive, const Resolved& lhs,
             const Resolved& rhs) {
  if (!lhs.present || !rhs.present) return false;
  if (lhs.type == ir::ValueType::String) {
    std::string a = lhs.text, b = rhs.text;
    if (!case_sensitive) {
      for (char& c : a) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      for (char& c : b) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    switch (op) {
      case ir::PredicateOp::Eq: return a == b;
      case ir::PredicateOp::Ne: return a != b;
      case ir::PredicateOp::Contains: return a.find(b) != std::string::npos;
      case ir::PredicateOp::StartsWith: return a.rfind(b, 0) == 0;
      case ir::PredicateOp::EndsWith:
        return a.size() >= b.size() && a.compare(a.size() - b.size(), b.size(), b) == 0;
      default: return false;
    }
  }
  double a = lhs.type == ir::ValueType::Float ? lhs.real : static_cast<double>(lhs.number);
  double b = rhs.type == ir::ValueType::Float ? rhs.real : static_cast<double>(rhs.number);
  if (lhs.type == ir::ValueType::Bool) {
    a = lhs.boolean;
    b = rhs.boolean;
  }
  switch (op) {
    case ir::PredicateOp::Eq: return a == b;
    case ir::PredicateOp::Ne: return a != b;
    case ir::PredicateOp::Lt: return a < b;
    case ir::PredicateOp::Le: return a <= b;
    case ir::PredicateOp::Gt: return a > b;
    case ir::PredicateOp::Ge: return a >= b;
    default: return false;
  }
}

bool holds(const ir::PlaybookCondition& condition, const Alert& alert) {
  using Kind = ir::PlaybookCondition::Kind;
  switch (condition.kind) {
    case Kind::True: return true;
    case Kind::Compare:
      return compare(condition.op, condition.case_sensitive,
                     resolve(condition.lhs, alert), resolve(condition.rhs, alert));
    case Kind::In: {
      Resolved lhs = resolve(condition.lhs, alert);
      if (!lhs.present) return false;
      bool found = false;
      for (const ir::Constant& item : condition.list) {
        ir::PlaybookValue value;
        value.constant = item;
        found = found || compare(ir::PredicateOp::Eq, condition.case_sensitive, lhs,
                                 resolve(value, alert));
      }
      return found != condition.negated;
    }
    case Kind::Not: return !holds(condition.children.front(), alert);
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
  return format_timestamp(
      std::chrono::duration_cast<std::chrono::microseconds>(now).count());
}

}  // namespace

struct Responder::PlannedStep {
  const ir::Playbook* playbook;
  const ir::Step* step;
  std::vector<std::pair<std::string, Resolved>> args;
};

Responder::Responder(const ir::Pack& pack, ResponseOptions options,
                     std::ostream* audit)
    : pack_(pack), options_(std::move(options)), audit_(audit) {}

void Responder::write_audit(const PlannedStep& planned, const Alert& alert,
                            std::string_view status, int exit_code) {
  if (audit_ == nullptr) return;
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
    } else {
      json.value(value.text);
    }
  }
  json.end_object();
  json.key("alert").begin_object();
  json.key("rule").value(alert.rule->name);
  json.key("rule_id").value(alert.rule->rule_id);
  json.key("host");
  alert.host.empty() ? json.null() : json.value(alert.host);
  json.key("event").value(fmt::format("{}:{}", alert.source_file, alert.source_line));
  json.end_object();
  if (exit_code != INT32_MIN) json.key("exit_code").value(int64_t{exit_code});
  json.end_object();
  *audit_ << json.str() << '\n';
  audit_->flush();
}

int Responder::run_program(const ProgramConnector& connector,
                           const PlannedStep& planned) {
  std::vector<std::string> argv;
  for (std::string arg : connector.argv) {
    for (const auto& [name, value] : planned.args) {
      std::string placeholder = "{" + name + "}";
      for (size_t at = arg.find(placeholder); at != std::string::npos;
           at = arg.find(placeholder, at + value.text.size())) {
        arg.replace(at, placeholder.size(), value.text);
      }
    }
    argv.push_back(std::move(arg));
  }
  std::vector<char*> pointers;
  for (std::string& arg : argv) pointers.push_back(arg.data());
  pointers.push_back(nullptr);

  // The program's output goes to our stderr so that it cannot corrupt the
  // alert stream on stdout.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, STDERR_FILENO, STDOUT_FILENO);
  pid_t pid;
  int error = posix_spawn(&pid, pointers[0], &actions, nullptr, pointers.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) return 127;

  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::seconds(connector.timeout_seconds);
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

void Responder::respond(const Alert& alert) {
  if (alert.rule->playbook < 0) return;
  const ir::Playbook& playbook = pack_.playbooks[alert.rule->playbook];
  for (const ir::Step& step : playbook.steps) {
    PlannedStep planned{&playbook, &step, {}};
    for (const ir::StepArg& arg : step.args) {
      planned.args.emplace_back(arg.param, resolve(arg.value, alert));
    }
    if (!holds(step.when, alert)) {
      ++stats_.skipped;
      continue;
    }
    std::string key = step.action;
    for (const auto& [name, value] : planned.args) key += '\x1f' + name + '=' + value.text;
    if (!done_.insert(key).second) {
      ++stats_.duplicates;
      continue;
    }
    auto connector = options_.connectors.find(step.action);
    if (!options_.execute) {
      ++stats_.planned;
      write_audit(planned, alert, "planned", INT32_MIN);
      continue;
    }
    if (connector == options_.connectors.end()) {
      ++stats_.failed;
      write_audit(planned, alert, "no_connector", INT32_MIN);
      continue;
    }
    write_audit(planned, alert, "started", INT32_MIN);
    int exit_code = run_program(connector->second, planned);
    if (exit_code == 0) {
      ++stats_.succeeded;
    } else {
      ++stats_.failed;
    }
    write_audit(planned, alert, exit_code == 0 ? "succeeded" : "failed", exit_code);
  }
}

}  // namespace socc::runtime
