#pragma once

// The abstract syntax tree: what a source file says, with the span of every
// construct, before any name is resolved. Semantic analysis fills the
// `resolved` members of expressions; nothing else changes after parsing.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diagnostics/source_manager.h"

namespace socc::ast {

using diagnostics::FileId;
using diagnostics::Span;

struct Name {
  std::string text;
  Span span;
};

// The value types of the language.
enum class Type { Error, Bool, Int, Float, String, Timestamp, Severity, List };

enum class LiteralKind { String, Int, Float, Bool };

struct Literal {
  LiteralKind kind = LiteralKind::String;
  std::string string_value;
  int64_t int_value = 0;
  double float_value = 0;
  bool bool_value = false;
  Span span;
};

enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge, Contains, StartsWith, EndsWith };

enum class ExprKind {
  Literal,  // literal
  List,     // list_items
  Name,     // path: one or more dotted names
  Call,     // callee(args)
  Compare,  // lhs op rhs
  In,       // lhs [not] in rhs
  Not,      // not lhs
  And,      // args[0] and args[1] and ...: n-ary, so chains stay shallow
  Or,       // args[0] or args[1] or ...
};

// What a name expression refers to, filled in by semantic analysis.
enum class Referent { None, Field, List, Severity, AlertMember, EventField };

struct Expr {
  ExprKind kind = ExprKind::Literal;
  Span span;

  Literal literal;
  std::vector<Literal> list_items;
  std::vector<Name> path;
  Name callee;
  std::vector<std::unique_ptr<Expr>> args;
  CompareOp op = CompareOp::Eq;
  bool case_sensitive = false;
  bool negated = false;
  std::unique_ptr<Expr> lhs;
  std::unique_ptr<Expr> rhs;

  // Filled by semantic analysis.
  Type type = Type::Error;
  Type element_type = Type::Error;
  Referent referent = Referent::None;
  // For a field: its index in the schema; for a list: the declaration.
  int field_index = -1;
  const struct ListDecl* list = nullptr;
  int severity_value = 0;
  std::string member;
};

using ExprPtr = std::unique_ptr<Expr>;

// A raw-event condition of a schema: the value at `path` equals one of
// `values`.
struct RawCondition {
  std::string path;
  Span span;
  std::vector<Literal> values;
};

struct FieldDecl {
  Name name;
  Name type_name;
  std::string path;
  Span path_span;
  Type type = Type::Error;
};

struct SchemaDecl {
  Name name;
  std::vector<RawCondition> select;
  std::vector<FieldDecl> fields;
  Span span;

  const FieldDecl* field(const std::string& field_name) const;
  int field_index(const std::string& field_name) const;
};

struct ListDecl {
  Name name;
  std::vector<Literal> items;
  Span span;
  Type element_type = Type::Error;
};

// `key value, value`: a value is a string, an integer or a bare name.
struct MetaValue {
  enum class Kind { String, Int, Name } kind = Kind::String;
  std::string text;
  int64_t int_value = 0;
  Span span;
};

struct MetaItem {
  Name key;
  std::vector<MetaValue> values;
  Span span;
};

struct DetectionDecl {
  Name name;
  std::vector<MetaItem> meta;
  // The schema, possibly qualified by its module (windows.sysmon.ImageLoad).
  std::optional<Name> on;
  ExprPtr where;
  Span where_span;
  std::optional<Name> respond;
  Span span;
};

struct Param {
  Name name;
  Name type_name;
  Type type = Type::Error;
};

struct ActionDecl {
  Name name;
  std::vector<Param> params;
  std::vector<MetaItem> meta;
  Span span;
};

struct Arg {
  Name name;
  ExprPtr value;
};

struct Step {
  Name name;
  Name action;
  std::vector<Arg> args;
  ExprPtr when;
  Span span;
};

struct PlaybookDecl {
  Name name;
  std::vector<Step> steps;
  Span span;
};

struct FieldInit {
  Name name;
  Literal value;
};

struct TestCase {
  bool expect_fire = true;
  std::vector<FieldInit> fields;
  Span span;
};

struct TestDecl {
  Name name;
  std::vector<TestCase> cases;
  Span span;
};

// One parsed source file.
struct Module {
  FileId file_id = 0;
  // Dotted module name: from the header, or derived from the path.
  std::string name;
  std::optional<Name> header;
  // A file whose lexical or syntax errors kept it from being parsed: it
  // declares nothing, and names that might have come from it are not
  // reported as unknown.
  bool broken = false;
  // Loaded only because some file imports it (a library module), not named
  // by the user.
  bool imported_only = false;
  std::vector<Name> imports;
  std::vector<std::unique_ptr<SchemaDecl>> schemas;
  std::vector<std::unique_ptr<ListDecl>> lists;
  std::vector<std::unique_ptr<DetectionDecl>> detections;
  std::vector<std::unique_ptr<ActionDecl>> actions;
  std::vector<std::unique_ptr<PlaybookDecl>> playbooks;
  std::vector<std::unique_ptr<TestDecl>> tests;
};

std::string_view type_name(Type type);

}  // namespace socc::ast
