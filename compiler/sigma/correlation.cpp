// Sigma correlations, both correlation rules (`correlation:`) and Sigma 1
// aggregations in a condition (`selection | count() by x > 5`): checked for
// form and for the rules they name, then reported as not run (W0510).

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "compiler/sigma/rule_translator.h"

namespace socc::sigma {

using diagnostics::Kind;

namespace {

// `30s`, `5m`, `1h`, `2d`: a count and one lower-case unit.
bool valid_timespan(const std::string& text) {
  if (text.size() < 2 || std::string("smhdwMy").find(text.back()) == std::string::npos) {
    return false;
  }
  return std::all_of(text.begin(), text.end() - 1,
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

void RuleTranslator::check_aggregation(const Aggregation& aggregation, const YAML::Node& at) {
  const YAML::Node& timeframe = get(get(rule_, "detection"), "timeframe");
  if (timeframe.IsDefined() && !valid_timespan(scalar_text(timeframe).value_or(""))) {
    error(Kind::SigmaCorrelationError, timeframe,
          "'timeframe' is a count and a unit: 30s, 5m, 1h or 1d");
  }
  if (aggregation.value < 0) {
    error(Kind::SigmaCorrelationError, at, "an aggregate is compared with a count of at least 0");
  }
}

void RuleTranslator::correlation() {
  const YAML::Node& node = get(rule_, "correlation");
  if (!node.IsMap()) {
    error(Kind::SigmaCorrelationError, node, "'correlation' is a map");
    return;
  }
  static const char* const kTypes[] = {"event_count",      "value_count", "temporal",
                                       "temporal_ordered", "value_sum",   "value_avg",
                                       "value_percentile"};
  std::string type = scalar_text(get(node, "type")).value_or("");
  if (std::find(std::begin(kTypes), std::end(kTypes), type) == std::end(kTypes)) {
    error(Kind::SigmaCorrelationError, get(node, "type").IsDefined() ? get(node, "type") : node,
          "the correlation 'type' is event_count, value_count, temporal or temporal_ordered");
  }
  const YAML::Node& rules = get(node, "rules");
  std::vector<YAML::Node> refs;
  if (rules.IsScalar()) {
    refs.push_back(rules);
  } else if (rules.IsSequence()) {
    for (const YAML::Node& item : rules) refs.push_back(item);
  }
  if (refs.empty()) {
    error(Kind::SigmaCorrelationError, rules.IsDefined() ? rules : node,
          "the correlation names its rules under 'rules'");
  }
  for (const YAML::Node& ref : refs) {
    auto name = scalar_text(ref);
    if (!name || name->empty()) {
      error(Kind::SigmaCorrelationError, ref, "a related rule is named by its id or name");
      continue;
    }
    front_.correlation_refs_.push_back({*name, source_.span(ref)});
  }
  const YAML::Node& span =
      get(node, "timespan").IsDefined() ? get(node, "timespan") : get(node, "timeframe");
  if (!valid_timespan(scalar_text(span).value_or(""))) {
    error(Kind::SigmaCorrelationError, span.IsDefined() ? span : node,
          "the correlation needs a 'timespan': a count and a unit, as 30s, 5m, 1h or 1d");
  }
  const YAML::Node& group = get(node, "group-by");
  if (group.IsDefined() && !group.IsSequence() && !group.IsScalar()) {
    error(Kind::SigmaCorrelationError, group, "'group-by' lists field names");
  }
  bool temporal = type == "temporal" || type == "temporal_ordered";
  const YAML::Node& condition = get(node, "condition");
  if (!condition.IsDefined() && !temporal) {
    error(Kind::SigmaCorrelationError, node,
          fmt::format("a {} correlation needs a 'condition'", type.empty() ? "counting" : type));
  }
  if (condition.IsDefined()) {
    if (!condition.IsMap()) {
      error(Kind::SigmaCorrelationError, condition,
            "the correlation 'condition' maps gt, gte, lt, lte, eq or neq to a count");
    } else {
      for (const auto& item : condition) {
        std::string key = scalar_text(item.first).value_or("");
        if (key == "field") continue;
        static const char* const kOps[] = {"gt", "gte", "lt", "lte", "eq", "neq"};
        if (std::find(std::begin(kOps), std::end(kOps), key) == std::end(kOps)) {
          error(Kind::SigmaCorrelationError, item.first,
                fmt::format("'{}' is no comparison of a correlation condition (gt, gte, lt, "
                            "lte, eq, neq)",
                            key));
          continue;
        }
        std::string count = scalar_text(item.second).value_or("");
        bool digits = !count.empty() && std::all_of(count.begin(), count.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c));
        });
        if (!digits) error(Kind::SigmaCorrelationError, item.second, "a count is a whole number");
      }
      if (type == "value_count" && !get(condition, "field").IsDefined()) {
        error(Kind::SigmaCorrelationError, condition,
              "a value_count correlation names the 'field' whose distinct values it counts");
      }
    }
  }
  if (!failed_) {
    error(Kind::SigmaCorrelation, node,
          fmt::format("the {} correlation '{}' is checked but not run: socc does not run "
                      "correlations yet",
                      type, title_));
  }
}

}  // namespace socc::sigma
