// Constants: literals, inline and named lists, and lists read from files.
// Each folds to a vector of literals before lowering sees it.

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "compiler/diagnostics/suggest.h"
#include "compiler/sema/checker.h"
#include "runtime/ip.h"
#include "runtime/timestamp.h"

namespace socc::sema {
namespace {

using ast::Expr;
using ast::ExprKind;
using ast::Type;
using diagnostics::Kind;

// A list may hold this many values, however it is made.
constexpr size_t kMaxListValues = 1 << 20;

// Appends an element's values to a list, numbering their groups after the
// `groups` the list has so far; returns the new count.
int splice(std::vector<ast::Literal>& list, const std::vector<ast::Literal>& values, int groups) {
  int top = -1;
  for (ast::Literal value : values) {
    top = std::max(top, value.group);
    value.group += groups;
    list.push_back(std::move(value));
  }
  return groups + top + 1;
}

}  // namespace

Type Checker::fold(Expr& expr, const ExprEnv& env) {
  switch (expr.kind) {
    case ExprKind::Literal:
      expr.folded = {expr.literal};
      return expr.type = literal_type(expr.literal);
    case ExprKind::List: {
      expr.folded.clear();
      bool ok = true;
      int groups = 0;
      for (auto& element : expr.args) {
        if (fold(*element, env) == Type::Error) {
          ok = false;
          continue;
        }
        if (is_field_expr(*element)) {
          sink_->emit(Kind::TypeMismatch, element->span, "list elements are constants, not fields");
          ok = false;
          continue;
        }
        groups = splice(expr.folded, element->folded, groups);
        if (expr.folded.size() > kMaxListValues) {
          sink_->emit(Kind::TooManyValues, expr.span,
                      fmt::format("a list holds at most {} values", kMaxListValues));
          return expr.type = Type::Error;
        }
      }
      if (!ok) return expr.type = Type::Error;
      expr.element_type = list_type(expr.folded, expr.span);
      expr.type = Type::List;
      return expr.element_type;
    }
    case ExprKind::Name: {
      Type type = resolve_name(expr, env);
      if (type == Type::List) return expr.element_type;
      return type;
    }
    case ExprKind::Call: {
      Type type = check_call(expr, env);
      if (type == Type::List) return expr.element_type;
      return type;
    }
    default:
      sink_->emit(Kind::TypeMismatch, expr.span, "a condition cannot stand here; a value can");
      return expr.type = Type::Error;
  }
}

void Checker::check_list(const ast::Module& module, ast::ListDecl& list) {
  if (list.checked) return;
  if (std::find(in_progress_.begin(), in_progress_.end(), &list) != in_progress_.end()) {
    sink_->emit(Kind::RecursiveDefinition, list.name.span,
                fmt::format("list '{}' contains itself", list.name.text));
    return;
  }
  if (too_deep(list.name.span, "lists")) {
    list.checked = true;
    return;
  }
  in_progress_.push_back(&list);
  Type declared = Type::Error;
  // A list, unlike a field, may hold networks.
  if (list.type_name && list.type_name->text == "cidr") {
    declared = Type::Cidr;
  } else if (list.type_name && !parse_type(list.type_name->text, &declared)) {
    auto& d = sink_->emit(Kind::UnknownType, list.type_name->span,
                          fmt::format("unknown type '{}'", list.type_name->text));
    diagnostics::suggest(d, list.type_name->text, type_names());
  }
  if (list.source) {
    if (list.source->text != "file") {
      auto& d = sink_->emit(
          Kind::UnknownFunction, list.source->span,
          fmt::format("a list is read with file(\"path\"), not {}(...)", list.source->text));
      diagnostics::suggest(d, list.source->text, {"file"});
    } else if (!list.type_name) {
      sink_->emit(Kind::MissingMetadata, list.name.span,
                  fmt::format("list '{}' is read from a file, so it needs its element type: "
                              "list {}: string = file(...)",
                              list.name.text, list.name.text));
    } else if (declared != Type::Error) {
      read_list_file(list, declared);
    }
  } else {
    ExprEnv env;
    env.module = &module;
    bool ok = true;
    int groups = 0;
    for (auto& element : list.elements) {
      if (fold(*element, env) == Type::Error) {
        ok = false;
        continue;
      }
      if (is_field_expr(*element)) {
        sink_->emit(Kind::TypeMismatch, element->span, "list elements are constants, not fields");
        ok = false;
        continue;
      }
      groups = splice(list.items, element->folded, groups);
    }
    if (list.items.size() > kMaxListValues) {
      sink_->emit(Kind::TooManyValues, list.span,
                  fmt::format("a list holds at most {} values", kMaxListValues));
      ok = false;
    }
    if (ok) list.element_type = list_type(list.items, list.span);
    if (ok && list.type_name && declared != Type::Error && list.element_type != Type::Error &&
        list.element_type != declared &&
        !(declared == Type::Float && list.element_type == Type::Int)) {
      sink_->emit(Kind::TypeMismatch, list.span,
                  fmt::format("list '{}' is declared {} but holds {}", list.name.text,
                              ast::type_name(declared), ast::type_name(list.element_type)));
      list.element_type = Type::Error;
    }
    if (declared == Type::Float && list.element_type == Type::Int) list.element_type = declared;
  }
  list.checked = true;
  in_progress_.pop_back();
}

// One value per line, of the list's declared type; blank lines and lines
// starting with `#` are skipped, and surrounding spaces and tabs are not
// part of a value. A value that does not convert is reported at its line.
void Checker::read_list_file(ast::ListDecl& list, Type type) {
  if (!list.file_loaded) return;  // the loader reported why
  std::string_view text = list.file_text;
  size_t line_start = 0;
  bool ok = true;
  while (line_start < text.size()) {
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    size_t begin = line_start;
    size_t end = line_end;
    while (begin < end && (text[begin] == ' ' || text[begin] == '\t')) ++begin;
    while (end > begin &&
           (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r')) {
      --end;
    }
    std::string_view value = text.substr(begin, end - begin);
    line_start = line_end + 1;
    if (value.empty() || value.front() == '#') continue;
    ast::Literal lit;
    lit.span = {list.file_id, static_cast<uint32_t>(begin), static_cast<uint32_t>(end)};
    std::string error;
    if (!convert_text(value, type, &lit, &error)) {
      sink_->emit(Kind::InvalidLiteral, lit.span, error);
      ok = false;
      continue;
    }
    lit.group = static_cast<int>(list.items.size());
    list.items.push_back(std::move(lit));
    if (list.items.size() > kMaxListValues) {
      sink_->emit(Kind::TooManyValues, lit.span,
                  fmt::format("a list holds at most {} values", kMaxListValues));
      ok = false;
      break;
    }
  }
  if (!ok) return;
  if (list.items.empty()) {
    sink_->emit(Kind::EmptyList, list.file_span, "the list file has no values; it matches nothing");
    return;
  }
  list.element_type = type;
}

bool convert_text(std::string_view text, Type type, ast::Literal* out, std::string* error) {
  switch (type) {
    case Type::String:
      out->kind = ast::LiteralKind::String;
      out->string_value = std::string(text);
      return true;
    case Type::Int: {
      // Decimal, or 0x hexadecimal, as in source; nothing else (no octal).
      std::string_view digits = text;
      bool negative = digits.starts_with('-');
      if (negative) digits.remove_prefix(1);
      int base = 10;
      if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        digits.remove_prefix(2);
        base = 16;
      }
      uint64_t magnitude = 0;
      auto [end, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
      constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
          magnitude > kMax + (negative ? 1 : 0)) {
        *error = fmt::format("'{}' is not an int", text);
        return false;
      }
      out->kind = ast::LiteralKind::Int;
      out->int_value =
          negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
      return true;
    }
    case Type::Float: {
      double value = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size() ||
          !std::isfinite(value)) {
        *error = fmt::format("'{}' is not a finite float", text);
        return false;
      }
      out->kind = ast::LiteralKind::Float;
      out->float_value = value;
      return true;
    }
    case Type::Bool:
      out->kind = ast::LiteralKind::Bool;
      if (text == "true" || text == "false") {
        out->bool_value = text == "true";
        return true;
      }
      *error = fmt::format("'{}' is not true or false", text);
      return false;
    case Type::Timestamp: {
      auto micros = runtime::parse_timestamp(text);
      if (!micros) {
        *error = fmt::format("'{}' is not an RFC 3339 time (2024-05-01T12:00:00Z)", text);
        return false;
      }
      out->kind = ast::LiteralKind::Timestamp;
      out->int_value = *micros;
      return true;
    }
    case Type::Ip:
    case Type::Cidr: {
      // Addresses and networks mix in a list of either.
      auto network = runtime::parse_cidr(text, error);
      if (!network) return false;
      bool single = network->prefix == 128 && text.find('/') == std::string_view::npos;
      out->kind = single ? ast::LiteralKind::Ip : ast::LiteralKind::Cidr;
      out->ip_hi = network->network.hi;
      out->ip_lo = network->network.lo;
      out->prefix = network->prefix;
      if (type == Type::Ip && !single) out->kind = ast::LiteralKind::Cidr;
      return true;
    }
    default:
      *error = fmt::format("a list of {} cannot be read from a file", ast::type_name(type));
      return false;
  }
}

void Checker::check_unused(const ast::Module& module) {
  for (const auto& list : module.lists) {
    if (used_lists_.count(list.get())) continue;
    sink_->emit(Kind::UnusedList, list->name.span,
                fmt::format("list '{}' is not used by any condition", list->name.text));
  }
  for (const auto& macro : module.macros) {
    if (used_macros_.count(macro.get())) continue;
    sink_->emit(Kind::UnusedMacro, macro->name.span,
                fmt::format("macro '{}' is not used", macro->name.text));
  }
}

bool Checker::too_deep(ast::Span span, std::string_view what) {
  if (in_progress_.size() < kMaxDefinitionDepth) return false;
  sink_->emit(Kind::NestingTooDeep, span,
              fmt::format("{} refer to each other {} levels deep; the limit is {}", what,
                          in_progress_.size(), kMaxDefinitionDepth));
  return true;
}

void Checker::add_owner(const ast::Module& module) {
  for (const auto& list : module.lists) owner_[list.get()] = &module;
  for (const auto& macro : module.macros) owner_[macro.get()] = &module;
}

}  // namespace socc::sema
