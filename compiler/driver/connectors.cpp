#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "compiler/diagnostics/suggest.h"
#include "compiler/driver/commands.h"

namespace socc::driver {
namespace {

// A connector may wait on a program at most a day: a larger value is a
// mistake, and the run would hang on it.
constexpr int kMaxTimeoutSeconds = 24 * 60 * 60;

bool read_connector(const std::string& path, const std::string& action, const YAML::Node& node,
                    runtime::ProgramConnector* connector, std::string* error) {
  auto fail = [&](std::string_view what) {
    *error = fmt::format("{}: connector '{}' {}", path, action, what);
    return false;
  };
  if (!node.IsMap()) return fail("must be a map with 'argv' and optionally 'timeout'");
  for (const auto& entry : node) {
    std::string key = entry.first.as<std::string>();
    if (key != "argv" && key != "timeout") {
      return fail(fmt::format("has an unknown key '{}' (expected 'argv', 'timeout')", key));
    }
  }
  YAML::Node argv = node["argv"];
  if (!argv || !argv.IsSequence() || argv.size() == 0) {
    return fail("needs a non-empty 'argv' list");
  }
  for (const auto& arg : argv) {
    if (!arg.IsScalar()) return fail("has an 'argv' item that is not a string");
    connector->argv.push_back(arg.as<std::string>());
  }
  if (node["timeout"]) {
    connector->timeout_seconds = node["timeout"].as<int>();
    if (connector->timeout_seconds < 1 || connector->timeout_seconds > kMaxTimeoutSeconds) {
      return fail(fmt::format("needs a 'timeout' from 1 to {} seconds", kMaxTimeoutSeconds));
    }
  }
  return true;
}

// The `{name}` placeholders of an argument whose name is an identifier;
// other braces are literal text.
std::vector<std::string> placeholders(std::string_view arg) {
  std::vector<std::string> names;
  for (size_t open = arg.find('{'); open != std::string_view::npos;
       open = arg.find('{', open + 1)) {
    size_t close = arg.find('}', open + 1);
    if (close == std::string_view::npos) break;
    std::string_view name = arg.substr(open + 1, close - open - 1);
    bool identifier = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
    for (char c : name) {
      identifier = identifier && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
    }
    if (identifier) names.emplace_back(name);
  }
  return names;
}

std::string did_you_mean(std::string_view wrong, const std::vector<std::string>& candidates) {
  auto match = diagnostics::closest_match(wrong, candidates);
  return match ? fmt::format("; did you mean '{}'?", *match) : "";
}

}  // namespace

bool load_connectors(const std::string& path, std::map<std::string, runtime::ProgramConnector>* out,
                     std::string* error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    *error = path + ": is a directory, not a connectors file";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = fmt::format("{}: cannot read: {}", path, std::strerror(errno));
    return false;
  }
  // yaml-cpp reports problems by exception, and a failing stream may throw
  // std::ios_base::failure from inside it; all of them stop here.
  try {
    YAML::Node root = YAML::Load(in);
    YAML::Node connectors = root["connectors"];
    if (!connectors || !connectors.IsMap()) {
      *error = path + ": expected a 'connectors' map";
      return false;
    }
    for (const auto& entry : connectors) {
      std::string action = entry.first.as<std::string>();
      runtime::ProgramConnector connector;
      if (!read_connector(path, action, entry.second, &connector, error)) return false;
      (*out)[action] = std::move(connector);
    }
    return true;
  } catch (const std::exception& e) {
    *error = path + ": " + e.what();
    return false;
  }
}

std::vector<std::string> check_connectors(
    const ir::Pack& pack, const std::map<std::string, runtime::ProgramConnector>& connectors,
    const std::string& path) {
  // The actions the playbooks call, with their parameters as the steps
  // name them (every step passes every parameter of its action).
  std::map<std::string, std::set<std::string>> actions;
  for (const ir::Playbook& playbook : pack.playbooks) {
    for (const ir::Step& step : playbook.steps) {
      auto& params = actions[step.action];
      for (const ir::StepArg& arg : step.args) params.insert(arg.param);
    }
  }
  std::vector<std::string> action_names;
  for (const auto& [name, params] : actions) action_names.push_back(name);

  std::vector<std::string> problems;
  for (const auto& [action, connector] : connectors) {
    auto found = actions.find(action);
    if (found == actions.end()) {
      problems.push_back(fmt::format("{}: connector '{}' binds no action a playbook step calls{}",
                                     path, action, did_you_mean(action, action_names)));
      continue;
    }
    const std::string& program = connector.argv.front();
    if (!placeholders(program).empty()) {
      problems.push_back(
          fmt::format("{}: connector '{}': the program '{}' has a placeholder; event data must not "
                      "choose the program",
                      path, action, program));
    } else if (!program.starts_with('/')) {
      problems.push_back(fmt::format(
          "{}: connector '{}': the program '{}' must be an absolute path (connectors run "
          "without a shell or PATH lookup)",
          path, action, program));
    }
    std::vector<std::string> params(found->second.begin(), found->second.end());
    std::string known = params.empty() ? "none" : fmt::format("{}", fmt::join(params, ", "));
    for (const std::string& arg : connector.argv) {
      for (const std::string& name : placeholders(arg)) {
        if (found->second.contains(name)) continue;
        problems.push_back(
            fmt::format("{}: connector '{}': '{{{}}}' is not a parameter of '{}' (it has: {}){}",
                        path, action, name, action, known, did_you_mean(name, params)));
      }
    }
  }
  return problems;
}

}  // namespace socc::driver
