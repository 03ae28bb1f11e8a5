#pragma once

// Name lookup across modules. A module sees its own declarations and those
// of the modules it imports (not transitively). Each kind of declaration has
// its own namespace, so a list and a schema may share a name.

#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"

namespace socc::sema {

struct ModuleSymbols {
  const ast::Module* module = nullptr;
  std::map<std::string, const ast::SchemaDecl*> schemas;
  std::map<std::string, const ast::ListDecl*> lists;
  std::map<std::string, const ast::ActionDecl*> actions;
  std::map<std::string, const ast::PlaybookDecl*> playbooks;
  std::map<std::string, const ast::DetectionDecl*> detections;
  std::map<std::string, const ast::MacroDecl*> macros;
};

template <typename Decl>
using SymbolTable = std::map<std::string, const Decl*> ModuleSymbols::*;

class Scopes {
 public:
  // Registers every declaration, reporting duplicates within a module and
  // imports of modules that do not exist.
  Scopes(const std::vector<std::unique_ptr<ast::Module>>& modules,
         diagnostics::DiagnosticSink& sink, const std::vector<std::string>& available_modules);

  // Finds `name` as seen from `from`. A dotted name selects the module
  // explicitly (windows.sysmon.ImageLoad). Reports "unknown" (with a
  // suggestion) or "ambiguous" and returns nullptr when it does not resolve
  // to exactly one declaration.
  template <typename Decl>
  const Decl* lookup(const ast::Module& from, const ast::Name& name, SymbolTable<Decl> table,
                     diagnostics::Kind unknown_kind, std::string_view what) const;

  // Whether `name` resolves, without reporting anything.
  template <typename Decl>
  const Decl* find(const ast::Module& from, const std::string& name, SymbolTable<Decl> table) const;

  template <typename Decl>
  std::vector<std::string> visible(const ast::Module& from, SymbolTable<Decl> table) const;

  // Whether `from` sees a module that failed to parse, whose declarations
  // are unknown: names missing from `from`'s view may be among them.
  bool sees_broken_module(const ast::Module& from) const;

 private:
  // The modules `from` sees: itself first, then its imports.
  std::vector<const ModuleSymbols*> visible_modules(const ast::Module& from) const;

  std::unordered_map<std::string, ModuleSymbols> by_name_;
  // Every module name on the search path, sorted, loaded or not.
  std::vector<std::string> module_names_;
  std::unordered_map<const ast::Module*, std::vector<const ModuleSymbols*>> imports_;
  diagnostics::DiagnosticSink& sink_;
};

}  // namespace socc::sema
