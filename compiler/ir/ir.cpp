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
    case ValueType::Duration:
      return "duration";
    case ValueType::Ip:
      return "ip";
  }
  return "?";
}

std::string_view derive_name(Derive derive) {
  switch (derive) {
    case Derive::None:
      return "";
    case Derive::Lower:
      return "lower";
    case Derive::Upper:
      return "upper";
    case Derive::Basename:
      return "basename";
    case Derive::Dirname:
      return "dirname";
    case Derive::Length:
      return "length";
    case Derive::Year:
      return "year";
    case Derive::Month:
      return "month";
    case Derive::Day:
      return "day";
    case Derive::Hour:
      return "hour";
    case Derive::Minute:
      return "minute";
    case Derive::Week:
      return "week";
    case Derive::Weekday:
      return "weekday";
  }
  return "?";
}

}  // namespace socc::ir
