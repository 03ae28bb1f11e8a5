#include "compiler/ast/ast.h"

namespace socc::ast {

int SchemaDecl::field_index(const std::string& field_name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name.text == field_name) return static_cast<int>(i);
  }
  return -1;
}

const FieldDecl* SchemaDecl::field(const std::string& field_name) const {
  int index = field_index(field_name);
  return index < 0 ? nullptr : &fields[index];
}

std::string_view type_name(Type type) {
  switch (type) {
    case Type::Error:
      return "<error>";
    case Type::Bool:
      return "bool";
    case Type::Int:
      return "int";
    case Type::Float:
      return "float";
    case Type::String:
      return "string";
    case Type::Timestamp:
      return "timestamp";
    case Type::Duration:
      return "duration";
    case Type::Ip:
      return "ip";
    case Type::Cidr:
      return "cidr";
    case Type::Severity:
      return "severity";
    case Type::List:
      return "list";
  }
  return "<error>";
}

ExprPtr clone(const Expr& expr) {
  auto copy = std::make_unique<Expr>();
  copy->kind = expr.kind;
  copy->span = expr.span;
  copy->literal = expr.literal;
  copy->path = expr.path;
  copy->callee = expr.callee;
  for (const auto& arg : expr.args) copy->args.push_back(clone(*arg));
  copy->op = expr.op;
  copy->case_sensitive = expr.case_sensitive;
  copy->negated = expr.negated;
  copy->match_all = expr.match_all;
  if (expr.lhs) copy->lhs = clone(*expr.lhs);
  if (expr.rhs) copy->rhs = clone(*expr.rhs);
  copy->type = expr.type;
  copy->element_type = expr.element_type;
  copy->referent = expr.referent;
  copy->field_index = expr.field_index;
  copy->list = expr.list;
  copy->severity_value = expr.severity_value;
  copy->member = expr.member;
  copy->function = expr.function;
  copy->folded = expr.folded;
  if (expr.expansion) copy->expansion = clone(*expr.expansion);
  copy->checked = expr.checked;
  return copy;
}

}  // namespace socc::ast
