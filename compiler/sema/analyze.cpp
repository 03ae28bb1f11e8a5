#include "compiler/sema/analyze.h"

#include <fmt/format.h>

#include "compiler/sema/checker.h"

namespace socc::sema {

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::Informational:
      return "informational";
    case Severity::Low:
      return "low";
    case Severity::Medium:
      return "medium";
    case Severity::High:
      return "high";
    case Severity::Critical:
      return "critical";
  }
  return "medium";
}

bool parse_severity(std::string_view text, Severity* out) {
  for (int i = 0; i <= static_cast<int>(Severity::Critical); ++i) {
    if (severity_name(static_cast<Severity>(i)) == text) {
      *out = static_cast<Severity>(i);
      return true;
    }
  }
  return false;
}

const CheckedPlaybook* Program::playbook(const ast::PlaybookDecl* decl) const {
  for (const CheckedPlaybook& playbook : playbooks) {
    if (playbook.decl == decl) return &playbook;
  }
  return nullptr;
}

Program analyze(std::vector<std::unique_ptr<ast::Module>> modules, const AttackCatalog& catalog,
                diagnostics::DiagnosticSink& sink,
                const std::vector<std::string>& available_modules) {
  Program program;
  program.modules = std::move(modules);
  Scopes scopes(program.modules, sink, available_modules);
  Checker checker(scopes, catalog, sink);

  // Declarations that others depend on are checked first: schemas and lists
  // give fields and elements their types; actions come before playbooks.
  for (auto& module : program.modules) checker.add_owner(*module);
  for (auto& module : program.modules) {
    for (auto& schema : module->schemas) checker.check_schema(*schema);
    for (auto& list : module->lists) checker.check_list(*module, *list);
  }
  for (auto& module : program.modules) {
    for (auto& macro : module->macros) checker.check_macro(*module, *macro);
  }
  for (auto& module : program.modules) {
    for (auto& action : module->actions) {
      program.actions.push_back(checker.check_action(*module, *action));
    }
  }
  for (auto& module : program.modules) {
    for (auto& detection : module->detections) {
      for (CheckedDetection& variant : checker.check_detection(*module, *detection)) {
        program.detections.push_back(std::move(variant));
      }
    }
  }
  // Playbooks are checked after detections: an `event.<field>` is valid only
  // if every detection responding with the playbook has that field.
  for (auto& module : program.modules) {
    for (auto& playbook : module->playbooks) {
      program.playbooks.emplace_back();
      checker.check_playbook(*module, *playbook, program, program.playbooks.back());
    }
  }
  for (auto& module : program.modules) {
    for (auto& test : module->tests) checker.check_test(*module, *test, program);
  }
  // Lists and macros of library modules may serve other packs; only the
  // user's own files are told about ones nothing uses, and only once the
  // pack has no errors, which may be why one looks unused.
  for (auto& module : program.modules) {
    if (!module->imported_only && !sink.has_errors()) checker.check_unused(*module);
  }

  std::map<std::string, const CheckedDetection*> ids;
  for (const CheckedDetection& detection : program.detections) {
    if (detection.rule_id.empty()) continue;
    auto [it, inserted] = ids.emplace(detection.rule_id, &detection);
    // The variants of one detection (one per schema) share its id.
    if (inserted || it->second->decl == detection.decl) continue;
    auto& d = sink.emit(
        diagnostics::Kind::DuplicateRuleId, detection.decl->name.span,
        fmt::format("detections '{}' and '{}' share the id '{}'", it->second->decl->name.text,
                    detection.decl->name.text, detection.rule_id));
    d.notes.push_back({it->second->decl->name.span, true, "the other detection is here"});
  }
  return program;
}

}  // namespace socc::sema
