#include "compiler/sema/scope.h"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/diagnostics/suggest.h"

namespace socc::sema {
namespace {

using diagnostics::Kind;

template <typename Decl>
void add(std::map<std::string, const Decl*>& table, const Decl* decl, std::string_view what,
         diagnostics::DiagnosticSink& sink) {
  auto [it, inserted] = table.emplace(decl->name.text, decl);
  if (inserted) return;
  auto& diagnostic =
      sink.emit(Kind::DuplicateDeclaration, decl->name.span,
                fmt::format("{} '{}' is declared twice in this module", what, decl->name.text));
  diagnostic.notes.push_back({it->second->name.span, true, "the first declaration is here"});
}

}  // namespace

Scopes::Scopes(const std::vector<std::unique_ptr<ast::Module>>& modules,
               diagnostics::DiagnosticSink& sink, const std::vector<std::string>& available_modules)
    : sink_(sink) {
  for (const auto& module : modules) {
    ModuleSymbols& symbols = by_name_[module->name];
    if (symbols.module != nullptr) {
      auto where = [](const ast::Module& m) {
        return m.header ? m.header->span : ast::Span{m.file_id, 0, 0};
      };
      auto& diagnostic =
          sink.emit(Kind::DuplicateDeclaration, where(*module),
                    fmt::format("module '{}' is defined by two files", module->name));
      diagnostic.notes.push_back({where(*symbols.module), true, "the other file is here"});
      continue;
    }
    symbols.module = module.get();
    for (const auto& d : module->schemas) add(symbols.schemas, d.get(), "schema", sink);
    for (const auto& d : module->lists) add(symbols.lists, d.get(), "list", sink);
    for (const auto& d : module->actions) add(symbols.actions, d.get(), "action", sink);
    for (const auto& d : module->playbooks) {
      add(symbols.playbooks, d.get(), "playbook", sink);
    }
    for (const auto& d : module->detections) {
      add(symbols.detections, d.get(), "detection", sink);
    }
    for (const auto& d : module->macros) add(symbols.macros, d.get(), "macro", sink);
  }
  std::vector<std::string>& module_names = module_names_;
  module_names = available_modules;
  for (const auto& [name, symbols] : by_name_) module_names.push_back(name);
  std::sort(module_names.begin(), module_names.end());
  module_names.erase(std::unique(module_names.begin(), module_names.end()), module_names.end());
  for (const auto& module : modules) {
    auto& imported = imports_[module.get()];
    for (const ast::Name& import : module->imports) {
      auto it = by_name_.find(import.text);
      if (it == by_name_.end()) {
        auto& diagnostic = sink.emit(Kind::UnknownModule, import.span,
                                     fmt::format("no module named '{}'", import.text));
        diagnostics::suggest(diagnostic, import.text, module_names);
        diagnostic.notes.push_back(
            {{},
             false,
             "modules are found in the standard library and in the directories named on "
             "the command line; to check one file of a pack, name the pack's directory"});
        continue;
      }
      imported.push_back(&it->second);
    }
  }
}

std::vector<const ModuleSymbols*> Scopes::visible_modules(const ast::Module& from) const {
  std::vector<const ModuleSymbols*> result;
  auto own = by_name_.find(from.name);
  if (own != by_name_.end()) result.push_back(&own->second);
  auto imported = imports_.find(&from);
  if (imported != imports_.end()) {
    result.insert(result.end(), imported->second.begin(), imported->second.end());
  }
  return result;
}

bool Scopes::sees_broken_module(const ast::Module& from) const {
  for (const ModuleSymbols* symbols : visible_modules(from)) {
    if (symbols->module->broken) return true;
  }
  return false;
}

template <typename Decl>
const Decl* Scopes::find(const ast::Module& from, const std::string& name,
                         SymbolTable<Decl> table) const {
  size_t dot = name.rfind('.');
  for (const ModuleSymbols* symbols : visible_modules(from)) {
    if (dot != std::string::npos && symbols->module->name != name.substr(0, dot)) {
      continue;
    }
    std::string local = dot == std::string::npos ? name : name.substr(dot + 1);
    auto it = (symbols->*table).find(local);
    if (it != (symbols->*table).end()) return it->second;
  }
  return nullptr;
}

template <typename Decl>
std::vector<std::string> Scopes::visible(const ast::Module& from, SymbolTable<Decl> table) const {
  std::vector<std::string> names;
  for (const ModuleSymbols* symbols : visible_modules(from)) {
    for (const auto& [name, decl] : symbols->*table) names.push_back(name);
  }
  return names;
}

template <typename Decl>
const Decl* Scopes::lookup(const ast::Module& from, const ast::Name& name, SymbolTable<Decl> table,
                           Kind unknown_kind, std::string_view what) const {
  size_t dot = name.text.rfind('.');
  std::vector<const Decl*> found;
  std::vector<std::string> owners;
  for (const ModuleSymbols* symbols : visible_modules(from)) {
    if (dot != std::string::npos && symbols->module->name != name.text.substr(0, dot)) {
      continue;
    }
    std::string local = dot == std::string::npos ? name.text : name.text.substr(dot + 1);
    auto it = (symbols->*table).find(local);
    if (it == (symbols->*table).end()) continue;
    // A module's own declaration hides imported ones of the same name.
    if (symbols->module == &from) return it->second;
    found.push_back(it->second);
    owners.push_back(symbols->module->name);
  }
  if (found.size() == 1) return found.front();
  if (found.empty()) {
    // The name may be declared in a module that failed to parse; its errors
    // are reported already.
    if (sees_broken_module(from)) return nullptr;
    auto& diagnostic =
        sink_.emit(unknown_kind, name.span, fmt::format("unknown {} '{}'", what, name.text));
    diagnostics::suggest(diagnostic, name.text, visible(from, table));
    // A qualified name whose module exists but is not imported here.
    if (dot != std::string::npos) {
      std::string owner = name.text.substr(0, dot);
      bool exists = std::binary_search(module_names_.begin(), module_names_.end(), owner);
      bool imported = false;
      for (const ModuleSymbols* symbols : visible_modules(from)) {
        imported |= symbols->module->name == owner;
      }
      if (exists && !imported) {
        diagnostic.notes.push_back(
            {{},
             false,
             fmt::format("module '{}' is not imported here: add 'import {}'", owner, owner)});
      }
    }
    return nullptr;
  }
  auto& diagnostic =
      sink_.emit(Kind::DuplicateDeclaration, name.span,
                 fmt::format("{} '{}' is ambiguous: modules '{}' and '{}' both declare it", what,
                             name.text, owners[0], owners[1]));
  diagnostic.notes.push_back(
      {{}, false, fmt::format("write '{}.{}' to choose one", owners[0], name.text)});
  return nullptr;
}

#define SOCC_INSTANTIATE(Decl)                                                                     \
  template const ast::Decl* Scopes::lookup<ast::Decl>(                                             \
      const ast::Module&, const ast::Name&, SymbolTable<ast::Decl>, Kind, std::string_view) const; \
  template const ast::Decl* Scopes::find<ast::Decl>(const ast::Module&, const std::string&,        \
                                                    SymbolTable<ast::Decl>) const;                 \
  template std::vector<std::string> Scopes::visible<ast::Decl>(const ast::Module&,                 \
                                                               SymbolTable<ast::Decl>) const;
SOCC_INSTANTIATE(SchemaDecl)
SOCC_INSTANTIATE(ListDecl)
SOCC_INSTANTIATE(ActionDecl)
SOCC_INSTANTIATE(PlaybookDecl)
SOCC_INSTANTIATE(DetectionDecl)
SOCC_INSTANTIATE(MacroDecl)
#undef SOCC_INSTANTIATE

}  // namespace socc::sema
