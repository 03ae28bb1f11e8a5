#pragma once

// The condition language of Sigma rules: selection names combined with
// `and`, `or`, `not`, parentheses, and `1 of` / `all of` over name
// patterns or `them`. An aggregation after `|` (Sigma 1's `count() by x > n`)
// is parsed too, for checking; it is a correlation, which socc does not run.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace socc::sigma {

struct Condition {
  enum class Kind { Name, OneOf, AllOf, Not, And, Or } kind = Kind::Name;
  // A selection name, or for OneOf/AllOf a pattern (`*` matches any run of
  // characters); `them` is the pattern `*` over names not starting with `_`.
  std::string name;
  bool them = false;
  std::vector<Condition> kids;
  // Byte offset of the construct in the condition text.
  uint32_t offset = 0;
};

struct Aggregation {
  std::string function;  // count, min, max, avg, sum, or near
  std::string field;     // may be empty for count()
  std::string group_by;
  std::string op;  // < <= > >= ==
  double value = 0;
};

struct ParsedCondition {
  Condition condition;
  std::optional<Aggregation> aggregation;
};

struct ConditionError {
  uint32_t offset = 0;
  std::string message;
};

// Parses `text`. Nesting deeper than `max_depth` is an error, not a stack
// overflow.
std::optional<ParsedCondition> parse_condition(const std::string& text, ConditionError* error,
                                               int max_depth = 256);

// Whether a selection name matches a `1 of` pattern.
bool name_matches(const std::string& pattern, const std::string& name);

}  // namespace socc::sigma
