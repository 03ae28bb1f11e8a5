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
enum class Type { Error, Bool, Int, Float, String, Timestamp, Duration, Ip, Cidr, Severity, List };

enum class LiteralKind { String, Int, Float, Bool, Timestamp, Duration, Ip, Cidr };

// A constant. Timestamps and durations are microseconds in `int_value`; an
// address is 128 bits in `ip_hi`/`ip_lo` (IPv4 mapped into ::ffff:0:0/96),
// and a network adds its prefix length in that 128-bit space.
struct Literal {
  LiteralKind kind = LiteralKind::String;
  std::string string_value;
  int64_t int_value = 0;
  double float_value = 0;
  bool bool_value = false;
  uint64_t ip_hi = 0;
  uint64_t ip_lo = 0;
  int prefix = 128;
  Span span;
  // In a folded list, the value of the source this one came from: the
  // variants `windash("-x")` gives share one group, so `contains all`
  // wants one variant of each group, not every variant.
  int group = 0;
};

enum class CompareOp { Eq, Ne, Lt, Le, Gt, Ge, Contains, StartsWith, EndsWith, Like, Matches };

// The built-in functions of a field value, computed per event.
enum class FieldFunction {
  Lower,
  Upper,
  Basename,
  Dirname,
  Length,
  Year,
  Month,
  Day,
  Hour,
  Minute,
  Week,
  Weekday
};

enum class ExprKind {
  Literal,  // literal
  List,     // args: the elements, constant operands
  Name,     // path: one or more dotted names
  Call,     // callee(args): a field function, a constant function or a macro
  Compare,  // lhs op rhs
  In,       // lhs [not] in rhs
  Not,      // not lhs
  And,      // args[0] and args[1] and ...: n-ary, so chains stay shallow
  Or,       // args[0] or args[1] or ...
};

// What a name or call expression refers to, filled in by semantic
// analysis. A Constant is a call folded to `folded` (`base64("x")`).
enum class Referent {
  None,
  Field,
  List,
  Severity,
  AlertMember,
  EventField,
  Param,
  FieldFunction,
  Constant,
  Macro,
  Exists
};

struct Expr {
  ExprKind kind = ExprKind::Literal;
  Span span;

  Literal literal;
  std::vector<Name> path;
  Name callee;
  std::vector<std::unique_ptr<Expr>> args;
  CompareOp op = CompareOp::Eq;
  bool case_sensitive = false;
  bool negated = false;
  // `all` before a list on the right of a comparison.
  bool match_all = false;
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
  FieldFunction function = FieldFunction::Lower;
  // A list, or a constant call, folded to its elements.
  std::vector<Literal> folded;
  // A macro use: the body with the arguments in place of the parameters.
  std::unique_ptr<Expr> expansion;
  // Set on a copy of an argument placed into a macro body: it was checked
  // where it was written and is not looked at again.
  bool checked = false;
};

using ExprPtr = std::unique_ptr<Expr>;

// A raw-event condition of a schema: the value at `path` equals one of
// `values`.
struct RawCondition {
  std::string path;
  Span span;
  std::vector<Literal> values;
  std::vector<ExprPtr> elements;  // of `in [...]`, folded into `values`
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

// A named list: inline elements, or a file with one value per line.
struct ListDecl {
  Name name;
  std::vector<ExprPtr> elements;
  std::optional<Name> type_name;
  std::optional<Name> source;  // `file`
  std::string file_path;
  Span file_span;
  // Set by the loader: the file's text, registered as file `file_id`.
  bool file_loaded = false;
  std::string file_text;
  FileId file_id = 0;
  Span span;
  // Filled by semantic analysis: the constants, and their type.
  std::vector<Literal> items;
  Type element_type = Type::Error;
  bool checked = false;
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
  // The schemas, possibly qualified by their modules
  // (windows.sysmon.ImageLoad); empty when the clause is missing.
  std::vector<Name> on;
  ExprPtr where;
  Span where_span;
  // Filled by semantic analysis: for each schema after the first, a copy of
  // `where` checked against that schema (the first is checked in place).
  std::vector<ExprPtr> variant_where;
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

struct MacroDecl {
  Name name;
  std::vector<Param> params;
  ExprPtr body;
  Span span;
  // Filled by semantic analysis: whether the body checked without errors.
  bool valid = false;
  bool checked = false;
};

struct PlaybookDecl {
  Name name;
  std::vector<Step> steps;
  Span span;
};

struct FieldInit {
  Name name;
  ExprPtr value;
  // Filled by semantic analysis: the value as a constant.
  Literal literal;
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
  std::vector<std::unique_ptr<MacroDecl>> macros;
};

// A deep copy of an expression, with everything analysis filled in.
ExprPtr clone(const Expr& expr);

std::string_view type_name(Type type);

}  // namespace socc::ast
