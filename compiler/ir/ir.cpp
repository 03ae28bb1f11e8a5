#include "compiler/ir/ir.h"

namespace socc::ir {

int Pack::slot(const std::string& path, ValueType type) {
  for (size_t i = 0; i < slots.size(); ++i) {
    if (slots[i].path == path && slots[i].type == type) return static_cast<int>(i);
  }
  slots.push_back({path, type});
  return static_cast<int>(slots.size() - 1);
}

std::string_view value_type_name(ValueType type) {
  switch (type) {
    case ValueType::Bool: return "bool";
    case ValueType::Int: return "int";
    case ValueType::Float: return "float";
    case ValueType::String: return "string";
    case ValueType::Timestamp: return "timestamp";
  }
  return "?";
}

}  // namespace socc::ir
