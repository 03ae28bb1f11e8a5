#pragma once

// Internal to the Sigma front end: the translation of one Sigma document.
// translate.cpp has the rule-level parts (metadata, logsource, condition),
// selection.cpp the selections and value modifiers.

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

#include "compiler/sigma/condition.h"
#include "compiler/sigma/translate.h"
#include "compiler/sigma/yaml_source.h"

namespace socc::sigma {

// A socc expression being written, with the binding strength of its
// outermost operator, so that parentheses go only where they are needed.
struct Text {
  enum Strength { Or = 1, And = 2, Not = 3, Atom = 4 };
  std::string text;
  int strength = Atom;
};

Text join(const std::vector<Text>& parts, bool conjunction, const std::string& indent = "");
Text negate(const Text& operand);

// One Sigma value written as a socc operand: `'x'`, `windash('-x')`, or a
// glob. `list` when it stands for several values (a constant function
// that gives a list).
struct Operand {
  std::string text;
  bool list = false;
};

class RuleTranslator {
 public:
  RuleTranslator(FrontEnd& front, const YamlSource& source, const YAML::Node& rule,
                 std::string detection_name);

  // The socc text of the detection; nullopt when the rule has errors (all
  // reported) or is a correlation (checked, reported as not run).
  std::optional<std::string> translate(bool* is_correlation);

 private:
  // translate.cpp
  void error(diagnostics::Kind kind, const YAML::Node& at, std::string message);
  void error_at(diagnostics::Kind kind, diagnostics::Span span, std::string message);
  std::string metadata();
  void tags(std::string& out);
  bool logsource();
  std::optional<Text> condition();
  std::optional<Text> lower_condition(const Condition& node, const YAML::Node& at,
                                      const std::string& text, int depth);
  void correlation();
  void check_aggregation(const Aggregation& aggregation, const YAML::Node& at);

  // selection.cpp
  std::optional<Text> selection(const std::string& name, const YAML::Node& value);
  std::optional<Text> selection_map(const YAML::Node& map);
  std::optional<Text> field_item(const YAML::Node& key, const YAML::Node& value);
  std::optional<Text> keywords(const std::vector<YAML::Node>& values,
                               const std::vector<std::string>& modifiers, const YAML::Node& at);
  std::string field(const std::string& sigma_name, const std::string& type);
  bool count_value(const YAML::Node& at);

  struct Modifiers;
  std::optional<Text> string_values(const std::string& field_name, const Modifiers& mods,
                                    const std::vector<YAML::Node>& values, const YAML::Node& at);
  std::optional<std::vector<std::string>> expand(const std::string& value, const YAML::Node& at);
  std::optional<Operand> string_operand(const std::string& value, const Modifiers& mods,
                                        const YAML::Node& at, std::string* op);

  FrontEnd& front_;
  const YamlSource& source_;
  const YAML::Node& rule_;
  std::string name_;
  std::string title_;
  bool failed_ = false;
  std::vector<const LogsourceEntry*> entries_;
  std::vector<std::pair<std::string, YAML::Node>> selections_;
  size_t values_ = 0;
};

}  // namespace socc::sigma
