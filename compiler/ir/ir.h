#pragma once

// The intermediate representation of a rule pack: typed predicates over
// event slots, and playbooks as lists of guarded action calls. It carries no
// AST pointers, so a pack can outlive the compilation that produced it.
//
// Slots are the unit of decoding: each distinct (raw path, type) that some
// rule, schema selection or playbook reads becomes one slot, and the decoder
// fills exactly those.

#include <cstdint>
#include <string>
#include <vector>

namespace socc::ir {

// Timestamps and durations are microseconds in socc_slot::integer; an ip
// is 128 bits in socc_slot::integer (high half) and socc_slot::low.
enum class ValueType { Bool, Int, Float, String, Timestamp, Duration, Ip };

// A function of another slot's value, computed per event once the raw
// slots are filled (`basename(image)`). A derived slot is missing when its
// source is.
enum class Derive {
  None,
  Lower,
  Upper,
  Basename,
  Dirname,
  Length,
  Year,
  Month,
  Day,
  Hour,
  Minute,
  Week,
  Weekday
};

// A raw slot reads `path`; a derived slot applies `derive` to the slot
// `source`, which always comes earlier in Pack::slots.
struct Slot {
  std::string path;
  ValueType type;
  Derive derive = Derive::None;
  int source = -1;
};

// An ip constant is an address (prefix 128) or a network: ip_hi and ip_lo
// hold the 128-bit network address, IPv4 mapped into ::ffff:0:0/96.
struct Constant {
  ValueType type = ValueType::String;
  std::string string_value;
  int64_t int_value = 0;
  double float_value = 0;
  bool bool_value = false;
  uint64_t ip_hi = 0;
  uint64_t ip_lo = 0;
  int prefix = 128;
};

// A regular expression, compiled once per pack (RE2 syntax).
struct Regex {
  std::string pattern;
  bool case_sensitive = false;
};

// A set of constants for `in`; strings are folded to lower case unless the
// set is case-sensitive.
struct ConstantSet {
  ValueType type = ValueType::String;
  bool case_sensitive = false;
  std::vector<Constant> values;
};

// NotInSet is not `not InSet`: like Ne, it is false when the slot is
// missing. Exists is true exactly when the slot is present. Like takes a
// glob in the constant (escapes unresolved); Matches names a Pack::regexes
// entry. For an ip slot, InSet means "in one of the networks".
enum class PredicateOp {
  Eq,
  Ne,
  Lt,
  Le,
  Gt,
  Ge,
  Contains,
  StartsWith,
  EndsWith,
  Like,
  Matches,
  InSet,
  NotInSet,
  Exists
};

enum class NodeKind { True, False, Predicate, Not, And, Or };

// A boolean formula. A predicate on a slot that the event does not have is
// false; `not` of it is therefore true. A predicate compares its slot with
// `constant`, the set `set`, the regex `regex`, or, when `rhs_slot` is set,
// another slot of the same type (false when either is missing).
struct Node {
  NodeKind kind = NodeKind::True;
  int slot = -1;
  PredicateOp op = PredicateOp::Eq;
  bool case_sensitive = false;
  Constant constant;
  int set = -1;
  int regex = -1;
  int rhs_slot = -1;
  std::vector<Node> children;
};

struct TacticRef {
  std::string id;
  std::string name;
};

struct TechniqueRef {
  std::string id;
  std::string name;
  std::vector<TacticRef> tactics;
};

struct RuleField {
  std::string name;
  int slot = -1;
  // True when the rule's condition reads the field; alerts list these.
  bool in_condition = false;
};

struct Rule {
  std::string name;
  std::string rule_id;
  std::string title;
  std::string description;
  std::string severity;
  int severity_rank = 2;
  std::string status;
  std::string source;  // file:line of the declaration
  std::vector<TechniqueRef> techniques;
  int schema = -1;
  Node condition;
  std::vector<RuleField> fields;
  int time_slot = -1;
  int host_slot = -1;
  int playbook = -1;
  std::string playbook_name;
};

struct SchemaSelection {
  std::string name;
  Node select;
  std::vector<int> rules;
};

// A value a playbook step reads: a constant, a member of the alert, or a
// field of the event that made it (resolved per rule at run time).
struct PlaybookValue {
  enum class Kind { Constant, AlertMember, EventField, Severity } kind = Kind::Constant;
  Constant constant;
  std::string member;
  int severity_rank = 0;
};

struct PlaybookCondition {
  enum class Kind { True, Compare, In, Not, And, Or } kind = Kind::True;
  PredicateOp op = PredicateOp::Eq;
  // For In: `not in`, false when the value is missing.
  bool negated = false;
  bool case_sensitive = false;
  PlaybookValue lhs;
  PlaybookValue rhs;
  std::vector<Constant> list;
  std::vector<PlaybookCondition> children;
};

struct StepArg {
  std::string param;
  PlaybookValue value;
};

struct Step {
  std::string name;
  std::string action;
  std::string risk;
  std::string undo;
  std::vector<StepArg> args;
  PlaybookCondition when;
};

struct Playbook {
  std::string name;
  std::vector<Step> steps;
};

// A test case of a rule: slot values in, whether the rule must fire out.
struct TestCase {
  std::string test_name;
  std::string source;  // file:line of the case
  int rule = -1;
  bool expect_fire = true;
  std::vector<std::pair<int, Constant>> slot_values;
};

struct Pack {
  std::vector<Slot> slots;
  std::vector<ConstantSet> sets;
  std::vector<Regex> regexes;
  std::vector<Rule> rules;
  std::vector<SchemaSelection> schemas;
  std::vector<Playbook> playbooks;
  std::vector<TestCase> tests;
};

std::string_view value_type_name(ValueType type);
std::string_view derive_name(Derive derive);

}  // namespace socc::ir
