#include "compiler/ir/evaluate.h"

#include <string>
#include <string_view>

namespace socc::ir {
namespace {

// docs/language.md §7: only the ASCII letters A-Z fold (to a-z); every
// other byte, including those of non-ASCII letters, compares exactly.
std::string fold_ascii(std::string_view text) {
  std::string folded(text);
  for (char& c : folded) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return folded;
}

std::string_view slot_text(const socc_slot& slot) {
  if (slot.size == 0) return {};
  return {slot.data, static_cast<size_t>(slot.size)};
}

// A string operator on a present value; both sides are folded unless the
// comparison is case-sensitive.
bool string_test(PredicateOp op, std::string_view value, std::string_view constant,
                 bool case_sensitive) {
  std::string text = case_sensitive ? std::string(value) : fold_ascii(value);
  std::string needle = case_sensitive ? std::string(constant) : fold_ascii(constant);
  std::string_view t = text;
  std::string_view n = needle;
  switch (op) {
    case PredicateOp::Eq:
      return t == n;
    case PredicateOp::Ne:
      return t != n;
    case PredicateOp::Contains:
      return t.find(n) != std::string_view::npos;
    case PredicateOp::StartsWith:
      return t.starts_with(n);
    case PredicateOp::EndsWith:
      return t.ends_with(n);
    default:
      // Ordering is not defined on strings (E0203).
      return false;
  }
}

template <typename T>
bool compare(PredicateOp op, T value, T constant) {
  switch (op) {
    case PredicateOp::Eq:
      return value == constant;
    case PredicateOp::Ne:
      // Float slots never hold NaN (docs/language.md §4: `nan` is missing),
      // so `!=` is plainly the negation of `==` on present values.
      return !(value == constant);
    case PredicateOp::Lt:
      return value < constant;
    case PredicateOp::Le:
      return value <= constant;
    case PredicateOp::Gt:
      return value > constant;
    case PredicateOp::Ge:
      return value >= constant;
    default:
      // Substring operators are not defined on numbers (E0203).
      return false;
  }
}

// The double a constant stands for when compared with a float slot: an int
// literal against a float field compares as a double.
double as_double(const Constant& constant) {
  if (constant.type == ValueType::Int) return static_cast<double>(constant.int_value);
  return constant.float_value;
}

// Whether a present slot value is one of the set's members.
bool in_set(const ConstantSet& set, ValueType type, const socc_slot& slot) {
  for (const Constant& member : set.values) {
    switch (type) {
      case ValueType::String:
        // String sets fold unless the set is case-sensitive.
        if (string_test(PredicateOp::Eq, slot_text(slot), member.string_value,
                        set.case_sensitive)) {
          return true;
        }
        break;
      case ValueType::Int:
      case ValueType::Timestamp:
        if (slot.integer == member.int_value) return true;
        break;
      case ValueType::Float:
        if (slot.real == as_double(member)) return true;
        break;
      case ValueType::Bool:
        if ((slot.boolean != 0) == member.bool_value) return true;
        break;
    }
  }
  return false;
}

bool predicate(const Pack& pack, const Node& node, const socc_slot* slots) {
  const socc_slot& slot = slots[node.slot];
  // Every comparison with a missing value is false, including `!=` and
  // `not in` (docs/language.md §7, "Missing values").
  if (slot.present == 0) return false;
  if (node.op == PredicateOp::Exists) return true;
  ValueType type = pack.slots[node.slot].type;

  if (node.op == PredicateOp::InSet || node.op == PredicateOp::NotInSet) {
    bool member = in_set(pack.sets[node.set], type, slot);
    return node.op == PredicateOp::InSet ? member : !member;
  }

  switch (type) {
    case ValueType::String:
      return string_test(node.op, slot_text(slot), node.constant.string_value, node.case_sensitive);
    case ValueType::Int:
    case ValueType::Timestamp:
      return compare<int64_t>(node.op, slot.integer, node.constant.int_value);
    case ValueType::Float:
      return compare<double>(node.op, slot.real, as_double(node.constant));
    case ValueType::Bool: {
      bool value = slot.boolean != 0;
      if (node.op == PredicateOp::Eq) return value == node.constant.bool_value;
      if (node.op == PredicateOp::Ne) return value != node.constant.bool_value;
      return false;
    }
  }
  return false;
}

}  // namespace

bool evaluate(const Pack& pack, const Node& node, const socc_slot* slots) {
  switch (node.kind) {
    case NodeKind::True:
      return true;
    case NodeKind::False:
      return false;
    case NodeKind::Predicate:
      return predicate(pack, node, slots);
    case NodeKind::Not:
      return !evaluate(pack, node.children.front(), slots);
    case NodeKind::And:
      // An empty conjunction (a schema without `select`) holds.
      for (const Node& child : node.children) {
        if (!evaluate(pack, child, slots)) return false;
      }
      return true;
    case NodeKind::Or:
      for (const Node& child : node.children) {
        if (evaluate(pack, child, slots)) return true;
      }
      return false;
  }
  return false;
}

void evaluate_pack(const Pack& pack, const socc_slot* slots, uint8_t* fired) {
  for (size_t r = 0; r < pack.rules.size(); ++r) fired[r] = 0;
  for (const SchemaSelection& schema : pack.schemas) {
    if (!evaluate(pack, schema.select, slots)) continue;
    for (int rule : schema.rules) {
      fired[rule] = evaluate(pack, pack.rules[rule].condition, slots) ? 1 : 0;
    }
  }
}

}  // namespace socc::ir
