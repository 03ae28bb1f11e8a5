#include "compiler/ir/print.h"

#include <fmt/format.h>

#include "runtime/ip.h"
#include "runtime/timestamp.h"

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
    case PredicateOp::Like:
      return "like";
    case PredicateOp::Matches:
      return "matches";
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
    case ValueType::Timestamp:
      return runtime::format_timestamp(c.int_value);
    case ValueType::Duration:
      return fmt::format("{}us", c.int_value);
    case ValueType::Ip: {
      runtime::Cidr network{{c.ip_hi, c.ip_lo}, c.prefix};
      return c.prefix == 128 ? runtime::format_ip(network.network) : runtime::format_cidr(network);
    }
    case ValueType::String:
      break;
  }
  return fmt::format("\"{}\"", c.string_value);
}

// A glob constant back in the language's syntax (the IR holds the
// runtime's, where backslash escapes `*`, `?` and itself).
std::string glob_text(std::string_view pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size() &&
        (pattern[i + 1] == '*' || pattern[i + 1] == '?' || pattern[i + 1] == '\\')) {
      char next = pattern[++i];
      out += next == '\\' ? std::string("\\") : fmt::format("[{}]", next);
    } else if (c == '[') {
      out += "[[]";
    } else {
      out += c;
    }
  }
  return out;
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
      if (node.rhs_slot >= 0) {
        rhs = fmt::format(" slot#{} \"{}\"", node.rhs_slot, pack.slots[node.rhs_slot].path);
      } else if (node.op == PredicateOp::InSet || node.op == PredicateOp::NotInSet) {
        rhs = fmt::format(" set#{} ({} values)", node.set, pack.sets[node.set].values.size());
      } else if (node.op == PredicateOp::Matches) {
        rhs = fmt::format(" regex#{} \"{}\"", node.regex, pack.regexes[node.regex].pattern);
      } else if (node.op == PredicateOp::Like) {
        rhs = fmt::format(" \"{}\"", glob_text(node.constant.string_value));
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
