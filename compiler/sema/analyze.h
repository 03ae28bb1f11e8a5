#pragma once

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/sema/attack_catalog.h"
#include "compiler/sema/program.h"

namespace socc::sema {

// Resolves names across `modules`, checks types and metadata, and returns
// the checked program. Every problem is reported into `sink`; the program is
// only fit for lowering when the sink holds no errors afterwards.
Program analyze(std::vector<std::unique_ptr<ast::Module>> modules,
                const AttackCatalog& catalog,
                diagnostics::DiagnosticSink& sink);

}  // namespace socc::sema
