#include <yaml-cpp/yaml.h>

#include "compiler/driver/commands.h"

namespace socc::driver {

bool load_connectors(const std::string& path,
                     std::map<std::string, runtime::ProgramConnector>* out,
                     std::string* error) {
  // yaml-cpp reports problems by exception; they stop here.
  try {
    YAML::Node root = YAML::LoadFile(path);
    YAML::Node connectors = root["connectors"];
    if (!connectors || !connectors.IsMap()) {
      *error = path + ": expected a 'connectors' map";
      return false;
    }
    for (const auto& entry : connectors) {
      std::string action = entry.first.as<std::string>();
      runtime::ProgramConnector connector;
      YAML::Node argv = entry.second["argv"];
      if (!argv || !argv.IsSequence() || argv.size() == 0) {
        *error = path + ": connector '" + action + "' needs a non-empty 'argv' list";
        return false;
      }
      for (const auto& arg : argv) connector.argv.push_back(arg.as<std::string>());
      if (entry.second["timeout"]) {
        connector.timeout_seconds = entry.second["timeout"].as<int>();
      }
      (*out)[action] = std::move(connector);
    }
    return true;
  } catch (const YAML::Exception& e) {
    *error = path + ": " + e.what();
    return false;
  }
}

}  // namespace socc::driver
