#pragma once

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/sema/attack_catalog.h"
#include "compiler/sema/program.h"

namespace socc::sema {

// Resolves names across `modules`, checks types and metadata, and returns
// the checked program. Every problem is reported into `sink`; the program is
// only fit for lowering when the sink holds no errors afterwards.
// `available_modules` names every module on the search path, loaded or not,
// for suggestions on imports that name none.
Program analyze(std::vector<std::unique_ptr<ast::Module>> modules, const AttackCatalog& catalog,
                diagnostics::DiagnosticSink& sink,
                const std::vector<std::string>& available_modules = {});

}  // namespace socc::sema
