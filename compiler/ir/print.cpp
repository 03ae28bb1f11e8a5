#include "compiler/ir/print.h"

#include <fmt/format.h>

namespace socc::ir {
namespace {

std::string_view op_name(PredicateOp op) {
  switch (op) {
    case PredicateOp::Eq:
      return "eq";
    case PredicateOp::Ne:
      return "ne";
    case PredicateOp::Lt:
      return "lt";
    case PredicateOp::Le:
      return "le";
    case PredicateOp::Gt:
      return "gt";
    case PredicateOp::Ge:
      return "ge";
    case PredicateOp::Contains:
      return "contains";
    case PredicateOp::StartsWith:
      return "startswith";
    case PredicateOp::EndsWith:
      return "endswith";
    case PredicateOp::InSet:
      return "in";
    case PredicateOp::NotInSet:
      return "not_in";
    case PredicateOp::Exists:
      return "exists";
  }
  return "?";
}

std::string constant_text(const Constant& c) {
  switch (c.type) {
    case ValueType::Bool:
      return c.bool_value ? "true" : "false";
    case ValueType::Int:
      return std::to_string(c.int_value);
    case ValueType::Float:
      return fmt::format("{}", c.float_value);
    default:
      return fmt::format("\"{}\"", c.string_value);
  }
}

void print(const Pack& pack, const Node& node, int indent, std::string& out) {
  std::string pad(indent * 2, ' ');
  switch (node.kind) {
    case NodeKind::True:
      out += pad + "true\n";
      return;
    case NodeKind::False:
      out += pad + "false\n";
      return;
    case NodeKind::Predicate: {
      const Slot& slot = pack.slots[node.slot];
      std::string rhs;
      if (node.op == PredicateOp::InSet || node.op == PredicateOp::NotInSet) {
        rhs = fmt::format(" set#{} ({} values)", node.set, pack.sets[node.set].values.size());
      } else if (node.op != PredicateOp::Exists) {
        rhs = " " + constant_text(node.constant);
      }
      out += fmt::format("{}{}{} slot#{}<{}> \"{}\"{}\n", pad, op_name(node.op),
                         node.case_sensitive ? ".cs" : "", node.slot, value_type_name(slot.type),
                         slot.path, rhs);
      return;
    }
    case NodeKind::Not:
    case NodeKind::And:
    case NodeKind::Or:
      out += pad +
             (node.kind == NodeKind::Not   ? "not"
              : node.kind == NodeKind::And ? "and"
                                           : "or") +
             "\n";
      for (const Node& child : node.children) print(pack, child, indent + 1, out);
      return;
  }
}

}  // namespace

std::string print_node(const Pack& pack, const Node& node) {
  std::string out;
  print(pack, node, 0, out);
  return out;
}

std::string print_rule(const Pack& pack, int rule_index) {
  const Rule& rule = pack.rules[rule_index];
  const SchemaSelection& schema = pack.schemas[rule.schema];
  std::string out =
      fmt::format("rule {} ({})\n  schema {}\n  select\n", rule.name, rule.rule_id, schema.name);
  print(pack, schema.select, 2, out);
  out += "  condition\n";
  print(pack, rule.condition, 2, out);
  return out;
}

}  // namespace socc::ir
