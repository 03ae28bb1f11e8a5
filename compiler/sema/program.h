#pragma once

// The output of semantic analysis: the parsed modules, with every name
// resolved and every expression typed, plus the facts later phases need.

#include <memory>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/sema/attack_catalog.h"

namespace socc::sema {

// Severities in increasing order; the value is the ordering key.
enum class Severity { Informational, Low, Medium, High, Critical };

std::string_view severity_name(Severity severity);

// Whether a checked expression is a field of the event: a field, a field
// function of one, or a macro parameter standing for one.
bool is_field_expr(const ast::Expr& expr);
bool parse_severity(std::string_view text, Severity* out);

struct CheckedDetection {
  const ast::DetectionDecl* decl = nullptr;
  const ast::Module* module = nullptr;
  const ast::SchemaDecl* schema = nullptr;
  // The condition checked against `schema`: the detection's `where`, or
  // for a schema after the first, its copy in `variant_where`.
  const ast::Expr* where = nullptr;
  const ast::PlaybookDecl* playbook = nullptr;
  std::string rule_id;
  std::string title;
  std::string description;
  std::vector<std::string> authors;
  std::vector<std::string> references;
  std::vector<std::string> false_positives;
  std::string status = "experimental";
  Severity severity = Severity::Medium;
  std::vector<const Technique*> techniques;
};

struct CheckedAction {
  const ast::ActionDecl* decl = nullptr;
  std::string risk;
  std::string undo;
  std::vector<std::string> permissions;
};

struct CheckedPlaybook {
  const ast::PlaybookDecl* decl = nullptr;
  // The action each step calls, by step index.
  std::vector<const CheckedAction*> step_actions;
};

struct CheckedTest {
  const ast::TestDecl* decl = nullptr;
  const ast::Module* module = nullptr;
  // Index into Program::detections.
  size_t detection = 0;
};

struct Program {
  std::vector<std::unique_ptr<ast::Module>> modules;
  std::vector<CheckedDetection> detections;
  std::vector<CheckedAction> actions;
  std::vector<CheckedPlaybook> playbooks;
  std::vector<CheckedTest> tests;

  const CheckedPlaybook* playbook(const ast::PlaybookDecl* decl) const;
};

}  // namespace socc::sema
