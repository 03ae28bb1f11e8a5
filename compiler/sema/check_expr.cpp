#include <fmt/format.h>

#include <algorithm>

#include "compiler/diagnostics/suggest.h"
#include "compiler/sema/checker.h"

namespace socc::sema {
namespace {

using ast::CompareOp;
using ast::Expr;
using ast::ExprKind;
using ast::Type;
using diagnostics::Kind;

// Members of `alert` a playbook can read, and their types.
struct AlertMember {
  std::string_view name;
  Type type;
};
constexpr AlertMember kAlertMembers[] = {
    {"rule", Type::String},       {"rule_id", Type::String}, {"title", Type::String},
    {"severity", Type::Severity}, {"host", Type::String},    {"time", Type::Timestamp},
};

std::string_view op_text(CompareOp op) {
  switch (op) {
    case CompareOp::Eq:
      return "==";
    case CompareOp::Ne:
      return "!=";
    case CompareOp::Lt:
      return "<";
    case CompareOp::Le:
      return "<=";
    case CompareOp::Gt:
      return ">";
    case CompareOp::Ge:
      return ">=";
    case CompareOp::Contains:
      return "contains";
    case CompareOp::StartsWith:
      return "startswith";
    case CompareOp::EndsWith:
      return "endswith";
  }
  return "?";
}

bool is_ordering(CompareOp op) {
  return op == CompareOp::Lt || op == CompareOp::Le || op == CompareOp::Gt || op == CompareOp::Ge;
}

bool is_string_match(CompareOp op) {
  return op == CompareOp::Contains || op == CompareOp::StartsWith || op == CompareOp::EndsWith;
}

// Whether `op` is defined with a left operand of type `type`.
bool operator_defined(CompareOp op, Type type) {
  switch (type) {
    case Type::String:
      return !is_ordering(op);
    case Type::Int:
    case Type::Float:
    case Type::Severity:
      return !is_string_match(op);
    case Type::Bool:
      return op == CompareOp::Eq || op == CompareOp::Ne;
    default:
      return false;
  }
}

// Whether a right operand of type `rhs` may meet a left operand of `lhs`.
bool compatible(Type lhs, Type rhs) {
  if (lhs == rhs) return true;
  return lhs == Type::Float && rhs == Type::Int;
}

}  // namespace

bool parse_type(std::string_view text, Type* out) {
  static const std::pair<std::string_view, Type> kTypes[] = {
      {"bool", Type::Bool},           {"int", Type::Int},
      {"float", Type::Float},         {"string", Type::String},
      {"timestamp", Type::Timestamp},
  };
  for (const auto& [name, type] : kTypes) {
    if (name == text) {
      *out = type;
      return true;
    }
  }
  return false;
}

Type Checker::literal_type(const ast::Literal& literal) const {
  switch (literal.kind) {
    case ast::LiteralKind::String:
      return Type::String;
    case ast::LiteralKind::Int:
      return Type::Int;
    case ast::LiteralKind::Float:
      return Type::Float;
    case ast::LiteralKind::Bool:
      return Type::Bool;
  }
  return Type::Error;
}

Type Checker::list_type(const std::vector<ast::Literal>& items, ast::Span span) {
  if (items.empty()) {
    sink_.emit(Kind::EmptyList, span, "an empty list matches nothing");
    return Type::Error;
  }
  Type first = literal_type(items.front());
  // Ints may stand among floats, as they may wherever a float is expected.
  bool has_float = std::any_of(items.begin(), items.end(), [&](const ast::Literal& item) {
    return literal_type(item) == Type::Float;
  });
  if (has_float && first == Type::Int) first = Type::Float;
  for (const ast::Literal& item : items) {
    Type type = literal_type(item);
    if (type == Type::Int && first == Type::Float) continue;
    if (type != first) {
      sink_.emit(Kind::MixedList, item.span,
                 fmt::format("list element is {}, but the list's first element "
                             "is {}",
                             ast::type_name(type), ast::type_name(first)));
      return Type::Error;
    }
  }
  return first;
}

Type Checker::resolve_name(Expr& expr, const ExprEnv& env) {
  const std::string& head = expr.path.front().text;
  if (env.in_playbook) {
    Severity severity;
    if (expr.path.size() == 1 && parse_severity(head, &severity)) {
      expr.referent = ast::Referent::Severity;
      expr.severity_value = static_cast<int>(severity);
      return expr.type = Type::Severity;
    }
    if (expr.path.size() == 2 && head == "alert") {
      const ast::Name& member = expr.path[1];
      std::vector<std::string> names;
      for (const AlertMember& m : kAlertMembers) {
        names.emplace_back(m.name);
        if (m.name == member.text) {
          expr.referent = ast::Referent::AlertMember;
          expr.member = member.text;
          return expr.type = m.type;
        }
      }
      auto& d = sink_.emit(Kind::UnknownName, member.span,
                           fmt::format("alerts have no member '{}'", member.text));
      diagnostics::suggest(d, member.text, names);
      return Type::Error;
    }
    if (expr.path.size() == 2 && head == "event") {
      const ast::Name& field = expr.path[1];
      Type type = Type::Error;
      for (const ast::SchemaDecl* schema : env.event_schemas) {
        const ast::FieldDecl* decl = schema->field(field.text);
        if (decl == nullptr || (type != Type::Error && decl->type != type)) {
          // "a field", or "an int field" when another schema fixed the type.
          std::string kind = "a";
          if (type == Type::Int) {
            kind = "an int";
          } else if (type != Type::Error) {
            kind = fmt::format("a {}", ast::type_name(type));
          }
          sink_.emit(Kind::PlaybookField, field.span,
                     fmt::format("event field '{}' is not {} field of schema "
                                 "'{}', whose detections respond with this "
                                 "playbook",
                                 field.text, kind, schema->name.text));
          return Type::Error;
        }
        type = decl->type;
      }
      if (env.event_schemas.empty()) {
        sink_.emit(Kind::PlaybookField, field.span,
                   fmt::format("event field '{}' is read, but no detection "
                               "responds with this playbook",
                               field.text));
        return Type::Error;
      }
      expr.referent = ast::Referent::EventField;
      expr.member = field.text;
      return expr.type = type;
    }
    sink_.emit(Kind::UnknownName, expr.span,
               fmt::format("unknown name '{}' (playbooks read 'alert.<member>', "
                           "'event.<field>' and severities)",
                           head));
    return Type::Error;
  }

  if (expr.path.size() > 1) {
    sink_.emit(Kind::UnknownName, expr.span,
               fmt::format("'{}' is not a field; fields are plain names", head));
    return Type::Error;
  }
  int index = env.schema->field_index(head);
  if (index >= 0) {
    expr.referent = ast::Referent::Field;
    expr.field_index = index;
    return expr.type = env.schema->fields[index].type;
  }
  if (scopes_.find(*env.module, head, &ModuleSymbols::lists) != nullptr) {
    // Found somewhere: look it up properly, which reports an ambiguity.
    const ast::ListDecl* list = scopes_.lookup(*env.module, expr.path.front(),
                                               &ModuleSymbols::lists, Kind::UnknownName, "list");
    if (list == nullptr) return Type::Error;
    expr.referent = ast::Referent::List;
    expr.list = list;
    used_lists_.insert(list);
    expr.element_type = list->element_type;
    return expr.type = Type::List;
  }
  // It may be a list of a module that failed to parse.
  if (scopes_.sees_broken_module(*env.module)) return Type::Error;
  auto& d = sink_.emit(Kind::UnknownField, expr.path.front().span,
                       fmt::format("schema '{}' has no field '{}'", env.schema->name.text, head));
  std::vector<std::string> names;
  for (const auto& field : env.schema->fields) names.push_back(field.name.text);
  auto lists = scopes_.visible(*env.module, &ModuleSymbols::lists);
  names.insert(names.end(), lists.begin(), lists.end());
  diagnostics::suggest(d, head, names);
  return Type::Error;
}

// exists(field): whether the event has a value for the field. It is the
// one predicate that is true exactly when the field is present.
Type Checker::check_call(Expr& expr, const ExprEnv& env) {
  static const std::vector<std::string> kFunctions = {"exists"};
  if (expr.callee.text != "exists") {
    auto& d = sink_.emit(Kind::UnknownFunction, expr.callee.span,
                         fmt::format("unknown function '{}'", expr.callee.text));
    diagnostics::suggest(d, expr.callee.text, kFunctions);
    return Type::Error;
  }
  if (env.in_playbook || expr.args.size() != 1 || expr.args.front()->kind != ExprKind::Name) {
    sink_.emit(Kind::ArgumentCount, expr.span,
               "exists takes one field of the detection's schema: exists(field)");
    return Type::Error;
  }
  Type type = resolve_name(*expr.args.front(), env);
  if (type == Type::Error) return Type::Error;
  if (expr.args.front()->referent != ast::Referent::Field) {
    sink_.emit(Kind::ArgumentType, expr.args.front()->span,
               fmt::format("exists takes a field, and '{}' is a list",
                           expr.args.front()->path.front().text));
    return Type::Error;
  }
  return expr.type = Type::Bool;
}

Type Checker::check_value(Expr& expr, const ExprEnv& env) {
  switch (expr.kind) {
    case ExprKind::Literal:
      return expr.type = literal_type(expr.literal);
    case ExprKind::List:
      expr.element_type = list_type(expr.list_items, expr.span);
      return expr.type = Type::List;
    case ExprKind::Name:
      return resolve_name(expr, env);
    case ExprKind::Call:
      return check_call(expr, env);
    default:
      check_condition(expr, env);
      return expr.type;
  }
}

void Checker::check_compare(Expr& expr, const ExprEnv& env) {
  expr.type = Type::Bool;
  Type lhs = check_value(*expr.lhs, env);
  Type rhs = check_value(*expr.rhs, env);
  if (lhs == Type::Error || rhs == Type::Error) return;
  if (expr.lhs->kind != ExprKind::Name || expr.rhs->kind == ExprKind::Name) {
    if (expr.rhs->referent != ast::Referent::Severity) {
      sink_.emit(Kind::Unsupported, expr.span,
                 "a comparison needs a field on its left and a literal on its "
                 "right");
      return;
    }
  }
  if (!operator_defined(expr.op, lhs)) {
    sink_.emit(
        Kind::OperatorNotDefined, expr.span,
        fmt::format("operator '{}' is not defined for {}", op_text(expr.op), ast::type_name(lhs)));
    return;
  }
  if (!compatible(lhs, rhs)) {
    sink_.emit(Kind::TypeMismatch, expr.rhs->span,
               fmt::format("cannot compare {} with {}", ast::type_name(lhs), ast::type_name(rhs)));
    return;
  }
  if (expr.case_sensitive && lhs != Type::String) {
    sink_.emit(Kind::OperatorNotDefined, expr.span, "'cs' applies only to string comparisons");
  }
}

void Checker::check_in(Expr& expr, const ExprEnv& env) {
  expr.type = Type::Bool;
  Type lhs = check_value(*expr.lhs, env);
  Type rhs = check_value(*expr.rhs, env);
  if (lhs == Type::Error || rhs == Type::Error) return;
  if (rhs != Type::List) {
    sink_.emit(Kind::TypeMismatch, expr.rhs->span,
               fmt::format("'in' needs a list on its right, not {}", ast::type_name(rhs)));
    return;
  }
  if (expr.lhs->kind != ExprKind::Name) {
    sink_.emit(Kind::Unsupported, expr.lhs->span, "'in' needs a field on its left");
    return;
  }
  // Membership is defined for strings and numbers (docs/language.md §7).
  if (lhs != Type::String && lhs != Type::Int && lhs != Type::Float) {
    sink_.emit(Kind::OperatorNotDefined, expr.span,
               fmt::format("operator 'in' is not defined for {}", ast::type_name(lhs)));
    return;
  }
  Type element = expr.rhs->element_type;
  if (element != Type::Error && !compatible(lhs, element)) {
    sink_.emit(Kind::TypeMismatch, expr.rhs->span,
               fmt::format("a {} cannot be in a list of {}", ast::type_name(lhs),
                           ast::type_name(element)));
  }
  if (expr.case_sensitive && lhs != Type::String) {
    sink_.emit(Kind::OperatorNotDefined, expr.span, "'cs' applies only to string comparisons");
  }
}

void Checker::check_condition(Expr& expr, const ExprEnv& env) {
  // The parser bounds nesting; this guard keeps the walk safe even for an
  // AST built some other way.
  if (++depth_ > 1024) {
    sink_.emit(Kind::NestingTooDeep, expr.span, "expression nests too deeply");
    --depth_;
    return;
  }
  switch (expr.kind) {
    case ExprKind::Compare:
      check_compare(expr, env);
      break;
    case ExprKind::In:
      check_in(expr, env);
      break;
    case ExprKind::Not:
      check_condition(*expr.lhs, env);
      expr.type = Type::Bool;
      break;
    case ExprKind::And:
    case ExprKind::Or:
      for (auto& arg : expr.args) check_condition(*arg, env);
      expr.type = Type::Bool;
      break;
    default: {
      Type type = check_value(expr, env);
      if (type != Type::Bool && type != Type::Error) {
        sink_.emit(Kind::NotBoolean, expr.span,
                   fmt::format("a condition must be bool, not {}", ast::type_name(type)));
      }
    }
  }
  --depth_;
}

}  // namespace socc::sema
