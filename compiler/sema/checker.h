#pragma once

// Internal to semantic analysis: the state shared by the checks of
// expressions, detections and playbooks.

#include <map>
#include <set>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/sema/attack_catalog.h"
#include "compiler/sema/program.h"
#include "compiler/sema/scope.h"

namespace socc::sema {

// Where an expression is checked: a detection's condition reads the fields
// of its schema; a playbook's condition or argument reads `alert.<member>`,
// `event.<field>` (a field every responding detection's schema has) and
// severity names.
//
// A macro's body is checked on its own, with `macro` set: its names are the
// macro's parameters and the lists of its module. A use of the macro then
// checks a copy of the body with the arguments in place (`expanding`).
struct ExprEnv {
  const ast::Module* module = nullptr;
  const ast::SchemaDecl* schema = nullptr;
  bool in_playbook = false;
  std::vector<const ast::SchemaDecl*> event_schemas;
  const ast::MacroDecl* macro = nullptr;
};

class Checker {
 public:
  Checker(const Scopes& scopes, const AttackCatalog& catalog, diagnostics::DiagnosticSink& sink)
      : scopes_(scopes), catalog_(catalog), sink_(&sink) {}

  // Types a condition and reports unless it is boolean.
  void check_condition(ast::Expr& expr, const ExprEnv& env);
  // Types a value expression (a playbook argument); returns its type.
  ast::Type check_value(ast::Expr& expr, const ExprEnv& env);

  void check_schema(ast::SchemaDecl& schema);
  void check_list(const ast::Module& module, ast::ListDecl& list);
  void check_macro(const ast::Module& module, ast::MacroDecl& macro);
  // One checked detection per schema of `on` (none resolved: one, without
  // a schema).
  std::vector<CheckedDetection> check_detection(const ast::Module& module,
                                                ast::DetectionDecl& detection);
  CheckedAction check_action(const ast::Module& module, ast::ActionDecl& action);
  void check_playbook(const ast::Module& module, ast::PlaybookDecl& playbook,
                      const Program& program, CheckedPlaybook& out);
  void check_test(const ast::Module& module, ast::TestDecl& test, Program& program);

  diagnostics::DiagnosticSink& sink() { return *sink_; }

  // Records which module declares each list and macro of `module`.
  void add_owner(const ast::Module& module);

  // Warns about the lists and macros of `module` that nothing uses.
  void check_unused(const ast::Module& module);

 private:
  void check_compare(ast::Expr& expr, const ExprEnv& env);
  bool check_compare_constant(ast::Expr& expr, ast::Type lhs);
  void check_in(ast::Expr& expr, const ExprEnv& env);
  ast::Type check_call(ast::Expr& expr, const ExprEnv& env);
  ast::Type check_field_function(ast::Expr& expr, const ExprEnv& env);
  ast::Type check_constant_function(ast::Expr& expr, const ExprEnv& env);
  ast::Type check_macro_use(ast::Expr& expr, const ast::MacroDecl& macro, const ExprEnv& env);
  // Resolves a name operand; returns its type (Error when unresolved).
  ast::Type resolve_name(ast::Expr& expr, const ExprEnv& env);
  // Folds a constant operand (literal, list, named list, constant call)
  // into `expr.folded`; returns the element type, Error after a report.
  ast::Type fold(ast::Expr& expr, const ExprEnv& env);
  ast::Type literal_type(const ast::Literal& literal) const;
  ast::Type list_type(const std::vector<ast::Literal>& items, ast::Span span);
  void read_list_file(ast::ListDecl& list, ast::Type type);
  void check_techniques(const ast::MetaItem& item, CheckedDetection& out);
  void check_test_value(ast::FieldInit& init, const ast::FieldDecl& field, const ExprEnv& env);

  std::set<const ast::ListDecl*> used_lists_;
  std::set<const ast::MacroDecl*> used_macros_;
  // Lists and macros being checked or expanded, to find cycles. Its depth
  // is bounded (kMaxDefinitionDepth): each level is recursion.
  std::vector<const void*> in_progress_;
  static constexpr size_t kMaxDefinitionDepth = 64;
  // Macro uses expanded in the current condition. A macro that uses another
  // twice, which uses another twice, ... doubles per level, so expansion
  // is bounded by count as well as by depth.
  size_t expansions_ = 0;
  static constexpr size_t kMaxExpansions = 10000;
  // Reports, at `span`, a chain of lists or macros deeper than the bound.
  bool too_deep(ast::Span span, std::string_view what);
  // The module of each list and macro, for checking them on first use.
  std::map<const void*, const ast::Module*> owner_;
  const Scopes& scopes_;
  const AttackCatalog& catalog_;
  // Where diagnostics go; a macro's expansion reports into a sink of its
  // own (see check_macro_use).
  diagnostics::DiagnosticSink* sink_;
  int depth_ = 0;
};

// Maps a type name written in a schema or parameter to a type.
bool parse_type(std::string_view text, ast::Type* out);

// Converts the text of a list file's line, or a test value, to a constant
// of `type`; false with a message when it does not convert.
bool convert_text(std::string_view text, ast::Type type, ast::Literal* out, std::string* error);

// The type names a schema field, parameter or list may have.
const std::vector<std::string>& type_names();

}  // namespace socc::sema
