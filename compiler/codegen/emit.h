#pragma once

// Internal to code generation: lowers a pack's IR to one LLVM module.

#include <memory>

#include "compiler/ir/ir.h"

namespace llvm {
class LLVMContext;
class Module;
}  // namespace llvm

namespace socc::codegen {

// The module defines, for every rule r,
//   i8 @socc_rule_<r>(ptr %slots)    ; the rule's condition alone
// and one entry point for the whole pack,
//   void @socc_eval(ptr %slots, ptr %fired)
// which tests each schema's selection once and, for the rules on that
// schema, stores their results into fired[r]. String predicates call the
// runtime's socc_rt_* helpers; constants live in private globals.
std::unique_ptr<llvm::Module> emit_module(const ir::Pack& pack, llvm::LLVMContext& context);

// Runs the standard optimisation pipeline at level 0..3.
void optimize(llvm::Module& module, int opt_level);

}  // namespace socc::codegen
