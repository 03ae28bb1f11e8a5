#include <fmt/format.h>
#include <re2/re2.h>

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
    case CompareOp::Like:
      return "like";
    case CompareOp::Matches:
      return "matches";
  }
  return "?";
}

bool is_ordering(CompareOp op) {
  return op == CompareOp::Lt || op == CompareOp::Le || op == CompareOp::Gt || op == CompareOp::Ge;
}

// The string operators, which may take a list on the right (any or all of
// its elements) and `cs`.
bool is_string_match(CompareOp op) {
  return op == CompareOp::Contains || op == CompareOp::StartsWith || op == CompareOp::EndsWith ||
         op == CompareOp::Like || op == CompareOp::Matches;
}

// Whether `op` is defined with a left operand of type `type`.
bool operator_defined(CompareOp op, Type type) {
  switch (type) {
    case Type::String:
      return !is_ordering(op);
    case Type::Int:
    case Type::Float:
    case Type::Timestamp:
    case Type::Duration:
    case Type::Severity:
      return !is_string_match(op);
    case Type::Bool:
    case Type::Ip:
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

// Rewrites a glob from the language's syntax (`*`, `?`, and `[*]`, `[?]`,
// `[[]` for the literal characters; a backslash is just a backslash, so
// Windows paths read as written) into the runtime's, which is Sigma's:
// backslash escapes `*`, `?` and itself.
bool glob_to_runtime(std::string* pattern, std::string* error) {
  std::string out;
  const std::string& in = *pattern;
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '[') {
      if (i + 2 < in.size() && in[i + 2] == ']' &&
          (in[i + 1] == '*' || in[i + 1] == '?' || in[i + 1] == '[')) {
        if (in[i + 1] != '[') out += '\\';
        out += in[i + 1];
        i += 2;
        continue;
      }
      *error = fmt::format(
          "in a glob, '[' is written [[]; [*] and [?] are a literal * and ? "
          "(at byte {} of the pattern)",
          i);
      return false;
    }
    if (c == '\\') out += '\\';
    out += c;
  }
  *pattern = std::move(out);
  return true;
}

}  // namespace

bool parse_type(std::string_view text, Type* out) {
  static const std::pair<std::string_view, Type> kTypes[] = {
      {"bool", Type::Bool},
      {"int", Type::Int},
      {"float", Type::Float},
      {"string", Type::String},
      {"timestamp", Type::Timestamp},
      {"duration", Type::Duration},
      {"ip", Type::Ip},
  };
  for (const auto& [name, type] : kTypes) {
    if (name == text) {
      *out = type;
      return true;
    }
  }
  return false;
}

const std::vector<std::string>& type_names() {
  static const std::vector<std::string> kNames = {"bool",      "int",      "float", "string",
                                                  "timestamp", "duration", "ip"};
  return kNames;
}

bool is_field_expr(const Expr& expr) {
  return expr.referent == ast::Referent::Field || expr.referent == ast::Referent::FieldFunction ||
         expr.referent == ast::Referent::Param;
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
    case ast::LiteralKind::Timestamp:
      return Type::Timestamp;
    case ast::LiteralKind::Duration:
      return Type::Duration;
    case ast::LiteralKind::Ip:
      return Type::Ip;
    case ast::LiteralKind::Cidr:
      return Type::Cidr;
  }
  return Type::Error;
}

Type Checker::list_type(const std::vector<ast::Literal>& items, ast::Span span) {
  if (items.empty()) {
    sink_->emit(Kind::EmptyList, span, "an empty list matches nothing");
    return Type::Error;
  }
  Type first = literal_type(items.front());
  // Ints may stand among floats, as they may wherever a float is expected;
  // addresses among networks, as networks of one address.
  auto has = [&](Type wanted) {
    return std::any_of(items.begin(), items.end(),
                       [&](const ast::Literal& item) { return literal_type(item) == wanted; });
  };
  if (first == Type::Int && has(Type::Float)) first = Type::Float;
  if (first == Type::Ip && has(Type::Cidr)) first = Type::Cidr;
  for (const ast::Literal& item : items) {
    Type type = literal_type(item);
    if (type == Type::Int && first == Type::Float) continue;
    if (type == Type::Ip && first == Type::Cidr) continue;
    if (type != first) {
      sink_->emit(Kind::MixedList, item.span,
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
      auto& d = sink_->emit(Kind::UnknownName, member.span,
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
          sink_->emit(Kind::PlaybookField, field.span,
                      fmt::format("event field '{}' is not {} field of schema "
                                  "'{}', whose detections respond with this "
                                  "playbook",
                                  field.text, kind, schema->name.text));
          return Type::Error;
        }
        type = decl->type;
      }
      if (env.event_schemas.empty()) {
        sink_->emit(Kind::PlaybookField, field.span,
                    fmt::format("event field '{}' is read, but no detection "
                                "responds with this playbook",
                                field.text));
        return Type::Error;
      }
      expr.referent = ast::Referent::EventField;
      expr.member = field.text;
      return expr.type = type;
    }
    sink_->emit(Kind::UnknownName, expr.span,
                fmt::format("unknown name '{}' (playbooks read 'alert.<member>', "
                            "'event.<field>' and severities)",
                            head));
    return Type::Error;
  }

  if (expr.path.size() > 1) {
    sink_->emit(Kind::UnknownName, expr.span,
                fmt::format("'{}' is not a field; fields are plain names", head));
    return Type::Error;
  }
  if (env.macro != nullptr) {
    for (const ast::Param& param : env.macro->params) {
      if (param.name.text != head) continue;
      expr.referent = ast::Referent::Param;
      return expr.type = param.type;
    }
  }
  int index = env.schema != nullptr ? env.schema->field_index(head) : -1;
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
    auto* decl = const_cast<ast::ListDecl*>(list);
    if (!decl->checked) check_list(*owner_.at(decl), *decl);
    expr.referent = ast::Referent::List;
    expr.list = list;
    used_lists_.insert(list);
    expr.element_type = list->element_type;
    expr.folded = list->items;
    return expr.type = list->element_type == Type::Error ? Type::Error : Type::List;
  }
  // It may be a list of a module that failed to parse.
  if (scopes_.sees_broken_module(*env.module)) return Type::Error;
  std::vector<std::string> names;
  if (env.schema == nullptr) {
    auto& d = sink_->emit(Kind::UnknownName, expr.path.front().span,
                          env.macro != nullptr
                              ? fmt::format("'{}' is neither a parameter of macro '{}' nor a list",
                                            head, env.macro->name.text)
                              : fmt::format("unknown list '{}'", head));
    if (env.macro != nullptr) {
      for (const ast::Param& param : env.macro->params) names.push_back(param.name.text);
    }
    auto lists = scopes_.visible(*env.module, &ModuleSymbols::lists);
    names.insert(names.end(), lists.begin(), lists.end());
    diagnostics::suggest(d, head, names);
    return Type::Error;
  }
  auto& d = sink_->emit(Kind::UnknownField, expr.path.front().span,
                        fmt::format("schema '{}' has no field '{}'", env.schema->name.text, head));
  for (const auto& field : env.schema->fields) names.push_back(field.name.text);
  auto lists = scopes_.visible(*env.module, &ModuleSymbols::lists);
  names.insert(names.end(), lists.begin(), lists.end());
  diagnostics::suggest(d, head, names);
  return Type::Error;
}

Type Checker::check_value(Expr& expr, const ExprEnv& env) {
  // An argument copied into a macro's body was checked where it was written.
  if (expr.checked) return expr.type;
  switch (expr.kind) {
    case ExprKind::Literal:
    case ExprKind::List:
      if (fold(expr, env) == Type::Error) return expr.type = Type::Error;
      return expr.type;
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
  // Playbooks compare alert members and event fields with constants and
  // severities; conditions compare a field with a constant or a field.
  bool lhs_field = is_field_expr(*expr.lhs) || expr.lhs->referent == ast::Referent::AlertMember ||
                   expr.lhs->referent == ast::Referent::EventField;
  if (!lhs_field) {
    sink_->emit(Kind::TypeMismatch, expr.lhs->span,
                "the left of a comparison is a field (or a function of one), not a constant");
    return;
  }
  if (!operator_defined(expr.op, lhs)) {
    sink_->emit(
        Kind::OperatorNotDefined, expr.span,
        fmt::format("operator '{}' is not defined for {}", op_text(expr.op), ast::type_name(lhs)));
    return;
  }
  if (expr.case_sensitive && lhs != Type::String) {
    sink_->emit(Kind::OperatorNotDefined, expr.span, "'cs' applies only to string comparisons");
    return;
  }
  if (is_field_expr(*expr.rhs)) {
    if (expr.op == CompareOp::Like || expr.op == CompareOp::Matches || expr.match_all) {
      sink_->emit(Kind::TypeMismatch, expr.rhs->span,
                  fmt::format("'{}' needs a constant pattern on its right, not a field",
                              expr.match_all ? "all" : op_text(expr.op)));
      return;
    }
    if (lhs != rhs) {
      sink_->emit(
          Kind::TypeMismatch, expr.rhs->span,
          fmt::format("cannot compare {} with {}", ast::type_name(lhs), ast::type_name(rhs)));
    }
    return;
  }
  if (expr.rhs->referent == ast::Referent::AlertMember ||
      expr.rhs->referent == ast::Referent::EventField) {
    sink_->emit(Kind::TypeMismatch, expr.rhs->span,
                "a playbook compares alert members and event fields with constants");
    return;
  }
  if (expr.rhs->referent == ast::Referent::Severity) {
    if (!compatible(lhs, rhs)) {
      sink_->emit(
          Kind::TypeMismatch, expr.rhs->span,
          fmt::format("cannot compare {} with {}", ast::type_name(lhs), ast::type_name(rhs)));
    }
    return;
  }
  check_compare_constant(expr, lhs);
}

// The right of a comparison is a constant: one value, or a list whose
// elements match any (or `all`) of them.
bool Checker::check_compare_constant(Expr& expr, Type lhs) {
  const Expr& rhs = *expr.rhs;
  bool is_list = rhs.type == Type::List;
  Type element = is_list ? rhs.element_type : rhs.type;
  if (is_list && !is_string_match(expr.op)) {
    sink_->emit(Kind::TypeMismatch, rhs.span,
                fmt::format("'{}' takes one value on its right; for membership in a list "
                            "write '{} {}'",
                            op_text(expr.op), expr.op == CompareOp::Ne ? "not in" : "in",
                            is_field_expr(*expr.lhs) ? "list" : "[...]"));
    return false;
  }
  if (expr.match_all && !is_list) {
    sink_->emit(Kind::TypeMismatch, rhs.span, "'all' needs a list on its right");
    return false;
  }
  if (!compatible(lhs, element)) {
    sink_->emit(
        Kind::TypeMismatch, rhs.span,
        fmt::format("cannot compare {} with {}", ast::type_name(lhs), ast::type_name(element)));
    return false;
  }
  if (expr.op == CompareOp::Like) {
    bool ok = true;
    for (ast::Literal& pattern : expr.rhs->folded) {
      std::string error;
      if (!glob_to_runtime(&pattern.string_value, &error)) {
        sink_->emit(Kind::InvalidLiteral, pattern.span, error);
        ok = false;
      }
    }
    return ok;
  }
  if (expr.op != CompareOp::Matches) return true;
  bool ok = true;
  for (const ast::Literal& pattern : rhs.folded) {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_case_sensitive(expr.case_sensitive);
    RE2 regex(pattern.string_value, options);
    if (regex.ok()) continue;
    sink_->emit(Kind::InvalidRegex, pattern.span,
                fmt::format("invalid regular expression: {}", regex.error()));
    ok = false;
  }
  return ok;
}

void Checker::check_in(Expr& expr, const ExprEnv& env) {
  expr.type = Type::Bool;
  Type lhs = check_value(*expr.lhs, env);
  Type rhs = check_value(*expr.rhs, env);
  if (lhs == Type::Error || rhs == Type::Error) return;
  bool lhs_field = is_field_expr(*expr.lhs) || expr.lhs->referent == ast::Referent::AlertMember ||
                   expr.lhs->referent == ast::Referent::EventField;
  if (!lhs_field) {
    sink_->emit(Kind::TypeMismatch, expr.lhs->span, "'in' needs a field on its left");
    return;
  }
  if (is_field_expr(*expr.rhs)) {
    sink_->emit(Kind::TypeMismatch, expr.rhs->span,
                "'in' needs a list or a network on its right, not a field");
    return;
  }
  // Membership is defined for strings, numbers and addresses (in networks).
  if (lhs != Type::String && lhs != Type::Int && lhs != Type::Float && lhs != Type::Ip) {
    sink_->emit(Kind::OperatorNotDefined, expr.span,
                fmt::format("operator 'in' is not defined for {}", ast::type_name(lhs)));
    return;
  }
  Type element = rhs == Type::List ? expr.rhs->element_type : rhs;
  if (lhs == Type::Ip) {
    if (element != Type::Ip && element != Type::Cidr && element != Type::Error) {
      sink_->emit(
          Kind::TypeMismatch, expr.rhs->span,
          fmt::format("an ip can be in networks or a list of them, not in {}",
                      rhs == Type::List ? "a list of " + std::string(ast::type_name(element))
                                        : std::string(ast::type_name(element))));
    }
  } else if (rhs != Type::List) {
    sink_->emit(Kind::TypeMismatch, expr.rhs->span,
                fmt::format("'in' needs a list on its right, not {}", ast::type_name(rhs)));
    return;
  } else if (element != Type::Error && !compatible(lhs, element)) {
    sink_->emit(Kind::TypeMismatch, expr.rhs->span,
                fmt::format("a {} cannot be in a list of {}", ast::type_name(lhs),
                            ast::type_name(element)));
  }
  if (expr.case_sensitive && lhs != Type::String) {
    sink_->emit(Kind::OperatorNotDefined, expr.span, "'cs' applies only to string comparisons");
  }
}

void Checker::check_condition(Expr& expr, const ExprEnv& env) {
  // The parser bounds nesting; this guard keeps the walk safe even for an
  // AST built some other way.
  if (++depth_ > 1024) {
    sink_->emit(Kind::NestingTooDeep, expr.span, "expression nests too deeply");
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
        sink_->emit(Kind::NotBoolean, expr.span,
                    fmt::format("a condition must be bool, not {}", ast::type_name(type)));
      }
    }
  }
  --depth_;
}

}  // namespace socc::sema
