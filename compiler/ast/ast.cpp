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
    case Type::Severity:
      return "severity";
    case Type::List:
      return "list";
  }
  return "<error>";
}

}  // namespace socc::ast
