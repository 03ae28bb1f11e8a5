#include "compiler/ir/ir.h"

namespace socc::ir {

std::string_view value_type_name(ValueType type) {
  switch (type) {
    case ValueType::Bool:
      return "bool";
    case ValueType::Int:
      return "int";
    case ValueType::Float:
      return "float";
    case ValueType::String:
      return "string";
    case ValueType::Timestamp:
      return "timestamp";
  }
  return "?";
}

}  // namespace socc::ir
