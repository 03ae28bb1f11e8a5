#include "compiler/codegen/jit.h"

#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <re2/re2.h>

#include <mutex>
#include <set>

#include "compiler/codegen/emit.h"
#include "runtime/glob.h"
#include "runtime/match_helpers.h"

namespace socc::codegen {
namespace {

void initialize_llvm() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

std::string message(llvm::Error error) {
  std::string text;
  llvm::raw_string_ostream stream(text);
  stream << error;
  return text;
}

// The runtime helpers generated code calls, by name.
llvm::orc::SymbolMap helper_symbols(llvm::orc::LLJIT& jit) {
  struct Entry {
    const char* name;
    void* address;
  };
  const Entry entries[] = {
      {"socc_rt_eq_ci", reinterpret_cast<void*>(&socc_rt_eq_ci)},
      {"socc_rt_eq_cs", reinterpret_cast<void*>(&socc_rt_eq_cs)},
      {"socc_rt_contains_ci", reinterpret_cast<void*>(&socc_rt_contains_ci)},
      {"socc_rt_contains_cs", reinterpret_cast<void*>(&socc_rt_contains_cs)},
      {"socc_rt_starts_ci", reinterpret_cast<void*>(&socc_rt_starts_ci)},
      {"socc_rt_starts_cs", reinterpret_cast<void*>(&socc_rt_starts_cs)},
      {"socc_rt_ends_ci", reinterpret_cast<void*>(&socc_rt_ends_ci)},
      {"socc_rt_ends_cs", reinterpret_cast<void*>(&socc_rt_ends_cs)},
      {"socc_rt_in_set_ci", reinterpret_cast<void*>(&socc_rt_in_set_ci)},
      {"socc_rt_in_set_cs", reinterpret_cast<void*>(&socc_rt_in_set_cs)},
      {"socc_rt_like_ci", reinterpret_cast<void*>(&socc_rt_like_ci)},
      {"socc_rt_like_cs", reinterpret_cast<void*>(&socc_rt_like_cs)},
      {"socc_rt_field_eq_ci", reinterpret_cast<void*>(&socc_rt_field_eq_ci)},
      {"socc_rt_field_contains_ci", reinterpret_cast<void*>(&socc_rt_field_contains_ci)},
      {"socc_rt_field_starts_ci", reinterpret_cast<void*>(&socc_rt_field_starts_ci)},
      {"socc_rt_field_ends_ci", reinterpret_cast<void*>(&socc_rt_field_ends_ci)},
      {"socc_rt_regex", reinterpret_cast<void*>(&socc_rt_regex)},
  };
  llvm::orc::SymbolMap symbols;
  for (const Entry& entry : entries) {
    symbols[jit.mangleAndIntern(entry.name)] = {llvm::orc::ExecutorAddr::fromPtr(entry.address),
                                                llvm::JITSymbolFlags::Exported};
  }
  return symbols;
}

}  // namespace

// Owns the JIT and the compiled regular expressions its code points to.
struct CompiledPack::Session {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  std::vector<std::unique_ptr<RE2>> regexes;
  // What `socc_regexes` names: one pointer per regex (never empty, so that
  // the symbol always has an address).
  std::vector<const void*> regex_table;
};

CompiledPack::~CompiledPack() = default;

std::unique_ptr<CompiledPack> compile(const ir::Pack& pack, const CodegenOptions& options,
                                      std::string* error) {
  initialize_llvm();
  auto jit = llvm::orc::LLJITBuilder().create();
  if (!jit) {
    *error = message(jit.takeError());
    return nullptr;
  }
  auto session = std::make_unique<CompiledPack::Session>();
  for (const ir::Regex& spec : pack.regexes) {
    RE2::Options re_options;
    re_options.set_log_errors(false);
    re_options.set_case_sensitive(spec.case_sensitive);
    auto regex = std::make_unique<RE2>(spec.pattern, re_options);
    if (!regex->ok()) {
      // Semantic analysis compiled the same pattern with the same options.
      *error = "regular expression does not compile: " + regex->error();
      return nullptr;
    }
    session->regex_table.push_back(regex.get());
    session->regexes.push_back(std::move(regex));
  }
  if (session->regex_table.empty()) session->regex_table.push_back(nullptr);

  auto context = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> module = emit_module(pack, *context);
  module->setDataLayout((*jit)->getDataLayout());
  module->setTargetTriple((*jit)->getTargetTriple().str());
  std::string verify_errors;
  llvm::raw_string_ostream verify_stream(verify_errors);
  if (llvm::verifyModule(*module, &verify_stream)) {
    *error = "generated code is invalid: " + verify_errors;
    return nullptr;
  }
  optimize(*module, options.opt_level);

  llvm::orc::JITDylib& dylib = (*jit)->getMainJITDylib();
  llvm::orc::SymbolMap symbols = helper_symbols(**jit);
  symbols[(*jit)->mangleAndIntern("socc_regexes")] = {
      llvm::orc::ExecutorAddr::fromPtr(session->regex_table.data()),
      llvm::JITSymbolFlags::Exported};
  if (auto err = dylib.define(llvm::orc::absoluteSymbols(std::move(symbols)))) {
    *error = message(std::move(err));
    return nullptr;
  }
  // Optimised code may call libc (memcmp, memset); resolve it from the
  // process.
  auto process = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      (*jit)->getDataLayout().getGlobalPrefix());
  if (!process) {
    *error = message(process.takeError());
    return nullptr;
  }
  dylib.addGenerator(std::move(*process));
  if (auto err =
          (*jit)->addIRModule(llvm::orc::ThreadSafeModule(std::move(module), std::move(context)))) {
    *error = message(std::move(err));
    return nullptr;
  }

  auto compiled = std::unique_ptr<CompiledPack>(new CompiledPack());
  auto eval = (*jit)->lookup("socc_eval");
  if (!eval) {
    *error = message(eval.takeError());
    return nullptr;
  }
  compiled->eval_ = eval->toPtr<runtime::EvalFn>();
  for (size_t r = 0; r < pack.rules.size(); ++r) {
    auto rule = (*jit)->lookup("socc_rule_" + std::to_string(r));
    if (!rule) {
      *error = message(rule.takeError());
      return nullptr;
    }
    compiled->rules_.push_back(rule->toPtr<RuleFn>());
  }
  compiled->session_ = std::move(session);
  compiled->session_->jit = std::move(*jit);
  return compiled;
}

std::string emit_llvm_ir(const ir::Pack& pack, const CodegenOptions& options, int rule) {
  initialize_llvm();
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module = emit_module(pack, context);
  optimize(*module, options.opt_level);
  std::string text;
  llvm::raw_string_ostream stream(text);
  if (rule < 0) {
    module->print(stream, nullptr);
    return text;
  }
  // The rule's function, then every function it reaches through calls.
  std::vector<llvm::Function*> pending{module->getFunction("socc_rule_" + std::to_string(rule))};
  std::set<llvm::Function*> printed;
  while (!pending.empty()) {
    llvm::Function* fn = pending.back();
    pending.pop_back();
    if (fn == nullptr || !printed.insert(fn).second) continue;
    fn->print(stream);
    for (llvm::BasicBlock& block : *fn) {
      for (llvm::Instruction& instruction : block) {
        if (auto* call = llvm::dyn_cast<llvm::CallInst>(&instruction)) {
          pending.push_back(call->getCalledFunction());
        }
      }
    }
  }
  return text;
}

}  // namespace socc::codegen
