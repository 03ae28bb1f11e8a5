#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/engine.h"

namespace socc::codegen {

// Evaluates one rule's condition (without its schema selection) on slots;
// returns 1 when it holds. Used by rule tests.
using RuleFn = uint8_t (*)(const socc_slot* slots);

struct CodegenOptions {
  // 0 compiles fastest (for quick reloads); 2 runs fastest.
  int opt_level = 2;
};

// A pack compiled to native code. Owns the JIT session: the function
// pointers stay valid for its lifetime.
class CompiledPack {
 public:
  ~CompiledPack();
  runtime::EvalFn eval() const { return eval_; }
  RuleFn rule(size_t index) const { return rules_[index]; }

 private:
  friend std::unique_ptr<CompiledPack> compile(const ir::Pack&, const CodegenOptions&,
                                               std::string*);
  struct Session;
  std::unique_ptr<Session> session_;
  runtime::EvalFn eval_ = nullptr;
  std::vector<RuleFn> rules_;
};

// Generates LLVM IR for the whole pack as one module and compiles it with
// ORC LLJIT. Returns nullptr and sets `error` if LLVM fails.
std::unique_ptr<CompiledPack> compile(const ir::Pack& pack, const CodegenOptions& options,
                                      std::string* error);

// The pack's LLVM IR as text, after optimisation at `options.opt_level`;
// with `rule` >= 0, only that rule's function and the functions it calls.
std::string emit_llvm_ir(const ir::Pack& pack, const CodegenOptions& options, int rule = -1);

}  // namespace socc::codegen
