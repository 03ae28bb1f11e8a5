#pragma once

// Internal to semantic analysis: the state shared by the checks of
// expressions, detections and playbooks.

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
struct ExprEnv {
  const ast::Module* module = nullptr;
  const ast::SchemaDecl* schema = nullptr;
  bool in_playbook = false;
  std::vector<const ast::SchemaDecl*> event_schemas;
};

class Checker {
 public:
  Checker(const Scopes& scopes, const AttackCatalog& catalog, diagnostics::DiagnosticSink& sink)
      : scopes_(scopes), catalog_(catalog), sink_(sink) {}

  // Types a condition and reports unless it is boolean.
  void check_condition(ast::Expr& expr, const ExprEnv& env);
  // Types a value expression (a playbook argument); returns its type.
  ast::Type check_value(ast::Expr& expr, const ExprEnv& env);

  void check_schema(ast::SchemaDecl& schema);
  void check_list(ast::ListDecl& list);
  CheckedDetection check_detection(const ast::Module& module, ast::DetectionDecl& detection);
  CheckedAction check_action(const ast::Module& module, ast::ActionDecl& action);
  void check_playbook(const ast::Module& module, ast::PlaybookDecl& playbook,
                      const Program& program, CheckedPlaybook& out);
  void check_test(const ast::Module& module, const ast::TestDecl& test, Program& program);

  diagnostics::DiagnosticSink& sink() { return sink_; }

  // Warns about the lists of `module` that no condition reads.
  void check_unused_lists(const ast::Module& module);

 private:
  void check_compare(ast::Expr& expr, const ExprEnv& env);
  void check_in(ast::Expr& expr, const ExprEnv& env);
  ast::Type check_call(ast::Expr& expr, const ExprEnv& env);
  // Resolves a name operand; returns its type (Error when unresolved).
  ast::Type resolve_name(ast::Expr& expr, const ExprEnv& env);
  ast::Type literal_type(const ast::Literal& literal) const;
  ast::Type list_type(const std::vector<ast::Literal>& items, ast::Span span);
  void check_techniques(const ast::MetaItem& item, CheckedDetection& out);

  std::set<const ast::ListDecl*> used_lists_;
  const Scopes& scopes_;
  const AttackCatalog& catalog_;
  diagnostics::DiagnosticSink& sink_;
  int depth_ = 0;
};

// Maps a type name written in a schema or parameter to a type.
bool parse_type(std::string_view text, ast::Type* out);

}  // namespace socc::sema
