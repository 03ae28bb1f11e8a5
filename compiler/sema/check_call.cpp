// Calls in conditions: `exists(f)`, the field functions (`basename(f)`),
// the constant functions (`base64offset("...")`) and macro uses.

#include <fmt/format.h>

#include <algorithm>

#include "compiler/diagnostics/suggest.h"
#include "compiler/sema/checker.h"
#include "compiler/sema/transforms.h"
#include "runtime/ip.h"

namespace socc::sema {
namespace {

using ast::Expr;
using ast::ExprKind;
using ast::FieldFunction;
using ast::Type;
using diagnostics::Kind;

struct FieldFunctionInfo {
  std::string_view name;
  FieldFunction function;
  Type argument;
  Type result;
};

constexpr FieldFunctionInfo kFieldFunctions[] = {
    {"lower", FieldFunction::Lower, Type::String, Type::String},
    {"upper", FieldFunction::Upper, Type::String, Type::String},
    {"basename", FieldFunction::Basename, Type::String, Type::String},
    {"dirname", FieldFunction::Dirname, Type::String, Type::String},
    {"length", FieldFunction::Length, Type::String, Type::Int},
    {"year", FieldFunction::Year, Type::Timestamp, Type::Int},
    {"month", FieldFunction::Month, Type::Timestamp, Type::Int},
    {"day", FieldFunction::Day, Type::Timestamp, Type::Int},
    {"hour", FieldFunction::Hour, Type::Timestamp, Type::Int},
    {"minute", FieldFunction::Minute, Type::Timestamp, Type::Int},
    {"week", FieldFunction::Week, Type::Timestamp, Type::Int},
    {"weekday", FieldFunction::Weekday, Type::Timestamp, Type::Int},
};

enum class Transform { Base64, Base64Offset, Utf16le, Utf16be, Utf16, Windash, Ip, Cidr };

struct ConstantFunctionInfo {
  std::string_view name;
  Transform transform;
  Type result;
  // Whether one argument value gives several results (a list).
  bool many;
};

constexpr ConstantFunctionInfo kConstantFunctions[] = {
    {"base64", Transform::Base64, Type::String, false},
    {"base64offset", Transform::Base64Offset, Type::String, true},
    {"utf16le", Transform::Utf16le, Type::String, false},
    {"wide", Transform::Utf16le, Type::String, false},
    {"utf16be", Transform::Utf16be, Type::String, false},
    {"utf16", Transform::Utf16, Type::String, false},
    {"windash", Transform::Windash, Type::String, true},
    {"ip", Transform::Ip, Type::Ip, false},
    {"cidr", Transform::Cidr, Type::Cidr, false},
};

// More values than this from one constant is a mistake, not a rule.
constexpr size_t kMaxValues = 1 << 20;

std::vector<std::string> function_names() {
  std::vector<std::string> names = {"exists"};
  for (const auto& f : kFieldFunctions) names.emplace_back(f.name);
  for (const auto& f : kConstantFunctions) names.emplace_back(f.name);
  return names;
}

enum class Applied { Ok, Invalid, TooMany };

// Applies one constant function to one string; on failure sets `error`.
Applied apply(Transform transform, const ast::Literal& in, std::vector<ast::Literal>& out,
              std::string* error) {
  auto add = [&](std::string text) {
    ast::Literal lit;
    lit.kind = ast::LiteralKind::String;
    lit.string_value = std::move(text);
    lit.span = in.span;
    out.push_back(std::move(lit));
  };
  const std::string& text = in.string_value;
  switch (transform) {
    case Transform::Base64:
      add(base64_encode(text));
      return Applied::Ok;
    case Transform::Base64Offset:
      // A value of one or two bytes leaves an empty variant, which every
      // string contains; it could only make the rule match everything.
      for (std::string& variant : base64_offsets(text)) {
        if (!variant.empty()) add(std::move(variant));
      }
      return Applied::Ok;
    case Transform::Utf16le:
    case Transform::Utf16be:
    case Transform::Utf16: {
      auto encoded =
          utf16(text, transform != Transform::Utf16be, transform == Transform::Utf16, error);
      if (!encoded) return Applied::Invalid;
      add(std::move(*encoded));
      return Applied::Ok;
    }
    case Transform::Windash: {
      bool truncated = false;
      auto variants = windash_variants(text, 4096, &truncated);
      if (truncated) {
        *error = "more than 4096 variants of this string";
        return Applied::TooMany;
      }
      for (std::string& variant : variants) add(std::move(variant));
      return Applied::Ok;
    }
    case Transform::Ip: {
      auto address = runtime::parse_ip(text);
      if (!address) {
        *error = fmt::format("'{}' is not an IPv4 or IPv6 address", text);
        return Applied::Invalid;
      }
      ast::Literal lit;
      lit.kind = ast::LiteralKind::Ip;
      lit.ip_hi = address->hi;
      lit.ip_lo = address->lo;
      lit.prefix = 128;
      lit.span = in.span;
      out.push_back(lit);
      return Applied::Ok;
    }
    case Transform::Cidr: {
      auto network = runtime::parse_cidr(text, error);
      if (!network) return Applied::Invalid;
      ast::Literal lit;
      lit.kind = ast::LiteralKind::Cidr;
      lit.ip_hi = network->network.hi;
      lit.ip_lo = network->network.lo;
      lit.prefix = network->prefix;
      lit.span = in.span;
      out.push_back(lit);
      return Applied::Ok;
    }
  }
  return Applied::Invalid;
}

}  // namespace

Type Checker::check_call(Expr& expr, const ExprEnv& env) {
  const std::string& callee = expr.callee.text;
  if (callee == "exists") {
    if (env.in_playbook || expr.args.size() != 1) {
      sink_->emit(Kind::ArgumentCount, expr.span,
                  "exists takes one field of the detection's schema: exists(field)");
      return Type::Error;
    }
    Type type = check_value(*expr.args.front(), env);
    if (type == Type::Error) return Type::Error;
    const Expr& arg = *expr.args.front();
    if (!is_field_expr(arg)) {
      sink_->emit(
          Kind::ArgumentType, arg.span,
          arg.referent == ast::Referent::List
              ? fmt::format("exists takes a field, and '{}' is a list", arg.path.front().text)
              : std::string("exists takes a field"));
      return Type::Error;
    }
    expr.referent = ast::Referent::Exists;
    return expr.type = Type::Bool;
  }
  for (const auto& f : kFieldFunctions) {
    if (f.name == callee) return check_field_function(expr, env);
  }
  for (const auto& f : kConstantFunctions) {
    if (f.name == callee) return check_constant_function(expr, env);
  }
  if (!env.in_playbook && scopes_.find(*env.module, callee, &ModuleSymbols::macros) != nullptr) {
    const ast::MacroDecl* macro = scopes_.lookup(*env.module, expr.callee, &ModuleSymbols::macros,
                                                 Kind::UnknownFunction, "macro");
    if (macro == nullptr) return Type::Error;
    return check_macro_use(expr, *macro, env);
  }
  if (scopes_.sees_broken_module(*env.module)) return Type::Error;
  auto& d = sink_->emit(Kind::UnknownFunction, expr.callee.span,
                        fmt::format("unknown function '{}'", callee));
  std::vector<std::string> names = function_names();
  auto macros = scopes_.visible(*env.module, &ModuleSymbols::macros);
  names.insert(names.end(), macros.begin(), macros.end());
  diagnostics::suggest(d, callee, names);
  return Type::Error;
}

// `basename(image)`: a function of a field's value, computed per event.
Type Checker::check_field_function(Expr& expr, const ExprEnv& env) {
  const FieldFunctionInfo* info = nullptr;
  for (const auto& f : kFieldFunctions) {
    if (f.name == expr.callee.text) info = &f;
  }
  if (env.in_playbook || expr.args.size() != 1) {
    sink_->emit(Kind::ArgumentCount, expr.span,
                fmt::format("{} takes one {} field: {}(field)", info->name,
                            ast::type_name(info->argument), info->name));
    return Type::Error;
  }
  Expr& arg = *expr.args.front();
  Type type = check_value(arg, env);
  if (type == Type::Error) return Type::Error;
  if (!is_field_expr(arg)) {
    sink_->emit(Kind::ArgumentType, arg.span,
                fmt::format("{} takes a field; a constant needs no function", info->name));
    return Type::Error;
  }
  if (type != info->argument) {
    sink_->emit(Kind::ArgumentType, arg.span,
                fmt::format("{} takes a {} field, not {}", info->name,
                            ast::type_name(info->argument), ast::type_name(type)));
    return Type::Error;
  }
  expr.referent = ast::Referent::FieldFunction;
  expr.function = info->function;
  return expr.type = info->result;
}

// `base64offset("http")`: folded now into its values. Every value of the
// argument goes through the function, so they compose:
// `base64offset(utf16le(windash("-enc")))`.
Type Checker::check_constant_function(Expr& expr, const ExprEnv& env) {
  const ConstantFunctionInfo* info = nullptr;
  for (const auto& f : kConstantFunctions) {
    if (f.name == expr.callee.text) info = &f;
  }
  if (expr.args.size() != 1) {
    sink_->emit(Kind::ArgumentCount, expr.span,
                fmt::format("{} takes one string: {}(\"...\")", info->name, info->name));
    return Type::Error;
  }
  Expr& arg = *expr.args.front();
  Type element = fold(arg, env);
  if (element == Type::Error) return Type::Error;
  if (element != Type::String) {
    sink_->emit(Kind::ArgumentType, arg.span,
                fmt::format("{} takes a string constant, not {}", info->name,
                            is_field_expr(arg) ? "a field" : ast::type_name(element)));
    return Type::Error;
  }
  std::vector<ast::Literal> values;
  for (const ast::Literal& value : arg.folded) {
    std::string error;
    size_t before = values.size();
    Applied applied = apply(info->transform, value, values, &error);
    for (size_t i = before; i < values.size(); ++i) values[i].group = value.group;
    if (applied != Applied::Ok) {
      sink_->emit(applied == Applied::TooMany ? Kind::TooManyValues : Kind::InvalidArgument,
                  value.span, fmt::format("{}: {}", info->name, error));
      return Type::Error;
    }
    if (values.size() > kMaxValues) {
      sink_->emit(Kind::TooManyValues, expr.span,
                  fmt::format("{} gives more than {} values", info->name, kMaxValues));
      return Type::Error;
    }
  }
  expr.referent = ast::Referent::Constant;
  expr.folded = std::move(values);
  if (info->many || arg.type == Type::List) {
    expr.element_type = info->result;
    return expr.type = Type::List;
  }
  return expr.type = info->result;
}

void Checker::check_macro(const ast::Module& module, ast::MacroDecl& macro) {
  if (macro.checked) return;
  macro.checked = true;
  if (too_deep(macro.name.span, "macros")) return;
  in_progress_.push_back(&macro);
  size_t errors = sink_->error_count();
  for (ast::Param& param : macro.params) {
    if (!parse_type(param.type_name.text, &param.type)) {
      auto& d = sink_->emit(Kind::UnknownType, param.type_name.span,
                            fmt::format("unknown type '{}'", param.type_name.text));
      diagnostics::suggest(d, param.type_name.text, type_names());
    }
  }
  ExprEnv env;
  env.module = &module;
  env.macro = &macro;
  check_condition(*macro.body, env);
  macro.valid = sink_->error_count() == errors;
  in_progress_.pop_back();
}

namespace {

// Replaces, in a copy of a macro's body, each parameter by a copy of its
// argument.
void substitute(ast::ExprPtr& expr, const ast::MacroDecl& macro,
                const std::vector<ast::ExprPtr>& args) {
  if (expr->referent == ast::Referent::Param && expr->kind == ExprKind::Name) {
    for (size_t i = 0; i < macro.params.size(); ++i) {
      if (macro.params[i].name.text != expr->path.front().text) continue;
      expr = ast::clone(*args[i]);
      expr->checked = true;
      return;
    }
  }
  for (auto& arg : expr->args) substitute(arg, macro, args);
  if (expr->lhs) substitute(expr->lhs, macro, args);
  if (expr->rhs) substitute(expr->rhs, macro, args);
}

}  // namespace

// A use of a macro: its arguments are fields of the caller's event, of the
// parameters' types. The body was checked on its own; the expansion is the
// body with the arguments in place, checked again so that macros it uses
// expand too.
Type Checker::check_macro_use(Expr& expr, const ast::MacroDecl& macro, const ExprEnv& env) {
  auto& decl = const_cast<ast::MacroDecl&>(macro);
  if (std::find(in_progress_.begin(), in_progress_.end(), &macro) != in_progress_.end()) {
    sink_->emit(Kind::RecursiveDefinition, expr.callee.span,
                fmt::format("macro '{}' uses itself", macro.name.text));
    return Type::Error;
  }
  if (!decl.checked) check_macro(*owner_.at(&macro), decl);
  used_macros_.insert(&macro);
  if (expr.args.size() != macro.params.size()) {
    sink_->emit(
        Kind::ArgumentCount, expr.span,
        fmt::format("macro '{}' takes {} argument{}, not {}", macro.name.text, macro.params.size(),
                    macro.params.size() == 1 ? "" : "s", expr.args.size()));
    return Type::Error;
  }
  bool ok = true;
  for (size_t i = 0; i < expr.args.size(); ++i) {
    Expr& arg = *expr.args[i];
    Type type = check_value(arg, env);
    if (type == Type::Error) {
      ok = false;
      continue;
    }
    if (!is_field_expr(arg)) {
      sink_->emit(Kind::ArgumentType, arg.span,
                  fmt::format("the arguments of macro '{}' are fields", macro.name.text));
      ok = false;
    } else if (macro.params[i].type != Type::Error && type != macro.params[i].type) {
      sink_->emit(Kind::ArgumentType, arg.span,
                  fmt::format("parameter '{}' of macro '{}' is {}, but the argument is {}",
                              macro.params[i].name.text, macro.name.text,
                              ast::type_name(macro.params[i].type), ast::type_name(type)));
      ok = false;
    }
  }
  if (!ok || !macro.valid) return Type::Error;
  expr.referent = ast::Referent::Macro;
  // Inside another macro's body only the types matter; the use expands
  // when that macro does.
  if (env.macro != nullptr) return expr.type = Type::Bool;

  if (too_deep(expr.callee.span, "macros")) return Type::Error;
  if (++expansions_ > kMaxExpansions) {
    if (expansions_ == kMaxExpansions + 1) {
      sink_->emit(Kind::TooManyValues, expr.callee.span,
                  fmt::format("this condition expands more than {} macro uses", kMaxExpansions));
    }
    return Type::Error;
  }
  expr.expansion = ast::clone(*macro.body);
  substitute(expr.expansion, macro, expr.args);
  ExprEnv body_env;
  body_env.module = owner_.at(&macro);
  // The body checked cleanly with these types, so its expansion reports
  // nothing new; what it would report (again) goes to a sink of its own.
  diagnostics::DiagnosticSink quiet;
  diagnostics::DiagnosticSink* saved = sink_;
  sink_ = &quiet;
  in_progress_.push_back(&macro);
  check_condition(*expr.expansion, body_env);
  in_progress_.pop_back();
  sink_ = saved;
  if (quiet.has_errors()) {
    // What went wrong inside (a limit reached while expanding) is reported
    // at this use, naming the chain of macros that led there.
    const diagnostics::Diagnostic* inner = nullptr;
    for (const auto& d : quiet.diagnostics()) {
      if (d.severity == diagnostics::Severity::Error) {
        inner = &d;
        break;
      }
    }
    std::string chain = macro.name.text;
    std::string message = inner->message;
    constexpr std::string_view kPrefix = "in the expansion of ";
    if (message.starts_with(kPrefix)) {
      size_t colon = message.find(": ");
      chain += " > " + message.substr(kPrefix.size(), colon - kPrefix.size());
      message = message.substr(colon + 2);
    }
    auto& d = sink_->emit(inner->kind, expr.span, fmt::format("{}{}: {}", kPrefix, chain, message));
    d.notes.push_back({macro.name.span, true, "the macro is declared here"});
    return Type::Error;
  }
  return expr.type = Type::Bool;
}

}  // namespace socc::sema
