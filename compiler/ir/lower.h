#pragma once

#include "compiler/diagnostics/source_manager.h"
#include "compiler/ir/ir.h"
#include "compiler/sema/attack_catalog.h"
#include "compiler/sema/program.h"

namespace socc::ir {

// Lowers a checked program without errors to the IR.
Pack lower(const sema::Program& program, const sema::AttackCatalog& catalog,
           const diagnostics::SourceManager& sources);

}  // namespace socc::ir
