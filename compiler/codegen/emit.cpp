#include "compiler/codegen/emit.h"

#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>

#include <map>
#include <string>

namespace socc::codegen {
namespace {

using ir::Node;
using ir::NodeKind;
using ir::PredicateOp;
using ir::ValueType;

// Field numbers of socc_slot (runtime/slot.h), which the struct type below
// mirrors member by member.
enum SlotField : unsigned {
  kData = 0,
  kSize = 1,
  kInteger = 2,
  kReal = 3,
  kPresent = 4,
  kBoolean = 5,
  kLow = 6
};

size_t count_nodes(const Node& node) {
  size_t count = 1;
  for (const Node& child : node.children) count += count_nodes(child);
  return count;
}

std::string fold_ascii(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  return text;
}

class Emitter {
 public:
  Emitter(const ir::Pack& pack, llvm::LLVMContext& context)
      : pack_(pack),
        context_(context),
        module_(std::make_unique<llvm::Module>("socc_pack", context)),
        builder_(context) {
    ptr_ = llvm::PointerType::get(context, 0);
    i1_ = llvm::Type::getInt1Ty(context);
    i8_ = llvm::Type::getInt8Ty(context);
    i32_ = llvm::Type::getInt32Ty(context);
    i64_ = llvm::Type::getInt64Ty(context);
    double_ = llvm::Type::getDoubleTy(context);
    slot_type_ =
        llvm::StructType::create(context, {ptr_, i64_, i64_, double_, i8_, i8_, i64_}, "socc_slot");
    string_type_ = llvm::StructType::create(context, {ptr_, i64_}, "socc_string");
  }

  std::unique_ptr<llvm::Module> run() {
    std::vector<llvm::Function*> rules;
    for (size_t r = 0; r < pack_.rules.size(); ++r) {
      rules.push_back(emit_rule(static_cast<int>(r)));
    }
    emit_eval(rules);
    return std::move(module_);
  }

 private:
  // A runtime helper; declared as reading only its arguments' memory so
  // that LLVM may share identical calls between rules.
  // All helpers take (text, size, constant or table, size or count).
  llvm::FunctionCallee helper(const std::string& name) {
    auto* type = llvm::FunctionType::get(i32_, {ptr_, i64_, ptr_, i64_}, false);
    auto callee = module_->getOrInsertFunction(name, type);
    if (auto* fn = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
      fn->addFnAttr(llvm::Attribute::NoUnwind);
      fn->addFnAttr(llvm::Attribute::WillReturn);
      fn->setMemoryEffects(llvm::MemoryEffects::argMemOnly(llvm::ModRefInfo::Ref));
    }
    return callee;
  }

  llvm::Constant* string_global(const std::string& text) {
    auto it = strings_.find(text);
    if (it != strings_.end()) return it->second;
    auto* data = llvm::ConstantDataArray::getString(context_, text, false);
    auto* global = new llvm::GlobalVariable(*module_, data->getType(), true,
                                            llvm::GlobalValue::PrivateLinkage, data, "str");
    global->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
    global->setAlignment(llvm::Align(1));
    strings_[text] = global;
    return global;
  }

  // A private table of socc_string for a string set, folded unless the set
  // is case-sensitive.
  llvm::Constant* set_table(int set_index) {
    auto it = set_tables_.find(set_index);
    if (it != set_tables_.end()) return it->second;
    const ir::ConstantSet& set = pack_.sets[set_index];
    std::vector<llvm::Constant*> entries;
    for (const ir::Constant& value : set.values) {
      std::string text = set.case_sensitive ? value.string_value : fold_ascii(value.string_value);
      entries.push_back(llvm::ConstantStruct::get(
          string_type_, {string_global(text), llvm::ConstantInt::get(i64_, text.size())}));
    }
    auto* array_type = llvm::ArrayType::get(string_type_, entries.size());
    auto* global =
        new llvm::GlobalVariable(*module_, array_type, true, llvm::GlobalValue::PrivateLinkage,
                                 llvm::ConstantArray::get(array_type, entries), "set");
    set_tables_[set_index] = global;
    return global;
  }

  llvm::Value* slot_field(llvm::Value* slots, int slot, SlotField field, llvm::Type* type) {
    llvm::Value* address = builder_.CreateInBoundsGEP(
        slot_type_, slots,
        {llvm::ConstantInt::get(i64_, slot), llvm::ConstantInt::get(i32_, field)});
    return builder_.CreateLoad(type, address);
  }

  llvm::Value* compare_number(PredicateOp op, llvm::Value* value, const ir::Constant& constant,
                              bool real) {
    llvm::Value* rhs = real ? llvm::ConstantFP::get(double_, constant.float_value)
                            : llvm::ConstantInt::get(i64_, constant.int_value, true);
    return compare_values(op, value, rhs, real);
  }

  // An address against a constant (an address, or networks for `in`) or
  // another address field. Addresses are two 64-bit halves.
  llvm::Value* ip_predicate(const Node& node, llvm::Value* slots) {
    llvm::Value* hi = slot_field(slots, node.slot, kInteger, i64_);
    llvm::Value* lo = slot_field(slots, node.slot, kLow, i64_);
    if (node.rhs_slot >= 0 || node.op == PredicateOp::Eq || node.op == PredicateOp::Ne) {
      llvm::Value* other_hi = node.rhs_slot >= 0
                                  ? slot_field(slots, node.rhs_slot, kInteger, i64_)
                                  : llvm::ConstantInt::get(i64_, node.constant.ip_hi);
      llvm::Value* other_lo = node.rhs_slot >= 0
                                  ? slot_field(slots, node.rhs_slot, kLow, i64_)
                                  : llvm::ConstantInt::get(i64_, node.constant.ip_lo);
      llvm::Value* same = builder_.CreateAnd(builder_.CreateICmpEQ(hi, other_hi),
                                             builder_.CreateICmpEQ(lo, other_lo));
      return node.op == PredicateOp::Ne ? builder_.CreateNot(same) : same;
    }
    llvm::Value* any = llvm::ConstantInt::getFalse(context_);
    for (const ir::Constant& network : pack_.sets[node.set].values) {
      // The prefix splits into a mask of each half.
      int prefix = network.prefix;
      uint64_t mask_hi = prefix >= 64 ? ~0ULL : prefix == 0 ? 0 : ~0ULL << (64 - prefix);
      uint64_t mask_lo = prefix >= 128 ? ~0ULL : prefix <= 64 ? 0 : ~0ULL << (128 - prefix);
      llvm::Value* in_hi =
          builder_.CreateICmpEQ(builder_.CreateAnd(hi, llvm::ConstantInt::get(i64_, mask_hi)),
                                llvm::ConstantInt::get(i64_, network.ip_hi & mask_hi));
      llvm::Value* in_lo =
          builder_.CreateICmpEQ(builder_.CreateAnd(lo, llvm::ConstantInt::get(i64_, mask_lo)),
                                llvm::ConstantInt::get(i64_, network.ip_lo & mask_lo));
      any = builder_.CreateOr(any, builder_.CreateAnd(in_hi, in_lo));
    }
    return node.op == PredicateOp::InSet ? any : builder_.CreateNot(any);
  }

  llvm::Value* compare_values(PredicateOp op, llvm::Value* value, llvm::Value* rhs, bool real) {
    if (real) {
      switch (op) {
        case PredicateOp::Eq:
          return builder_.CreateFCmpOEQ(value, rhs);
        case PredicateOp::Ne:
          return builder_.CreateFCmpONE(value, rhs);
        case PredicateOp::Lt:
          return builder_.CreateFCmpOLT(value, rhs);
        case PredicateOp::Le:
          return builder_.CreateFCmpOLE(value, rhs);
        case PredicateOp::Gt:
          return builder_.CreateFCmpOGT(value, rhs);
        case PredicateOp::Ge:
          return builder_.CreateFCmpOGE(value, rhs);
        default:
          return llvm::ConstantInt::getFalse(context_);
      }
    }
    switch (op) {
      case PredicateOp::Eq:
        return builder_.CreateICmpEQ(value, rhs);
      case PredicateOp::Ne:
        return builder_.CreateICmpNE(value, rhs);
      case PredicateOp::Lt:
        return builder_.CreateICmpSLT(value, rhs);
      case PredicateOp::Le:
        return builder_.CreateICmpSLE(value, rhs);
      case PredicateOp::Gt:
        return builder_.CreateICmpSGT(value, rhs);
      case PredicateOp::Ge:
        return builder_.CreateICmpSGE(value, rhs);
      default:
        return llvm::ConstantInt::getFalse(context_);
    }
  }

  // The compiled regular expressions, in Pack::regexes order, are an array
  // of pointers the JIT binds to the symbol `socc_regexes`.
  llvm::Value* regex_pointer(int index) {
    if (regexes_ == nullptr) {
      regexes_ = new llvm::GlobalVariable(*module_, ptr_, true, llvm::GlobalValue::ExternalLinkage,
                                          nullptr, "socc_regexes");
    }
    llvm::Value* address = builder_.CreateConstInBoundsGEP1_64(ptr_, regexes_, index);
    return builder_.CreateLoad(ptr_, address);
  }

  llvm::Value* nonzero(llvm::Value* result) {
    return builder_.CreateICmpNE(result, llvm::ConstantInt::get(i32_, 0));
  }

  // A string field against another: the `_cs` helpers take the other
  // field as it is; the `field_..._ci` ones fold both sides.
  llvm::Value* string_fields(const Node& node, llvm::Value* data, llvm::Value* size,
                             llvm::Value* slots) {
    llvm::Value* other = slot_field(slots, node.rhs_slot, kData, ptr_);
    llvm::Value* other_size = slot_field(slots, node.rhs_slot, kSize, i64_);
    std::string name;
    switch (node.op) {
      case PredicateOp::Eq:
      case PredicateOp::Ne:
        name = "eq";
        break;
      case PredicateOp::Contains:
        name = "contains";
        break;
      case PredicateOp::StartsWith:
        name = "starts";
        break;
      case PredicateOp::EndsWith:
        name = "ends";
        break;
      default:
        return llvm::ConstantInt::getFalse(context_);
    }
    name = node.case_sensitive ? "socc_rt_" + name + "_cs" : "socc_rt_field_" + name + "_ci";
    llvm::Value* result = builder_.CreateCall(helper(name), {data, size, other, other_size});
    return node.op == PredicateOp::Ne ? builder_.CreateNot(nonzero(result)) : nonzero(result);
  }

  llvm::Value* string_predicate(const Node& node, llvm::Value* slots) {
    llvm::Value* data = slot_field(slots, node.slot, kData, ptr_);
    llvm::Value* size = slot_field(slots, node.slot, kSize, i64_);
    bool cs = node.case_sensitive;
    if (node.rhs_slot >= 0) return string_fields(node, data, size, slots);
    if (node.op == PredicateOp::Matches) {
      llvm::Value* result = builder_.CreateCall(
          helper("socc_rt_regex"),
          {data, size, regex_pointer(node.regex), llvm::ConstantInt::get(i64_, 0)});
      return nonzero(result);
    }
    if (node.op == PredicateOp::InSet || node.op == PredicateOp::NotInSet) {
      const ir::ConstantSet& set = pack_.sets[node.set];
      auto callee = helper(set.case_sensitive ? "socc_rt_in_set_cs" : "socc_rt_in_set_ci");
      llvm::Value* result = builder_.CreateCall(
          callee,
          {data, size, set_table(node.set), llvm::ConstantInt::get(i64_, set.values.size())});
      return node.op == PredicateOp::InSet
                 ? builder_.CreateICmpNE(result, llvm::ConstantInt::get(i32_, 0))
                 : builder_.CreateICmpEQ(result, llvm::ConstantInt::get(i32_, 0));
    }
    std::string needle = cs ? node.constant.string_value : fold_ascii(node.constant.string_value);
    std::string name;
    switch (node.op) {
      case PredicateOp::Eq:
      case PredicateOp::Ne:
        name = "socc_rt_eq";
        break;
      case PredicateOp::Contains:
        name = "socc_rt_contains";
        break;
      case PredicateOp::StartsWith:
        name = "socc_rt_starts";
        break;
      case PredicateOp::EndsWith:
        name = "socc_rt_ends";
        break;
      case PredicateOp::Like:
        name = "socc_rt_like";
        break;
      default:
        return llvm::ConstantInt::getFalse(context_);
    }
    name += cs ? "_cs" : "_ci";
    llvm::Value* result = builder_.CreateCall(
        helper(name),
        {data, size, string_global(needle), llvm::ConstantInt::get(i64_, needle.size())});
    return node.op == PredicateOp::Ne
               ? builder_.CreateICmpEQ(result, llvm::ConstantInt::get(i32_, 0))
               : builder_.CreateICmpNE(result, llvm::ConstantInt::get(i32_, 0));
  }

  // The predicate's value once the slot is known to be present.
  llvm::Value* present_predicate(const Node& node, llvm::Value* slots) {
    if (node.op == PredicateOp::Exists) return llvm::ConstantInt::getTrue(context_);
    ValueType type = pack_.slots[node.slot].type;
    switch (type) {
      case ValueType::String:
        return string_predicate(node, slots);
      case ValueType::Bool: {
        llvm::Value* value = slot_field(slots, node.slot, kBoolean, i8_);
        llvm::Value* rhs = node.rhs_slot >= 0
                               ? slot_field(slots, node.rhs_slot, kBoolean, i8_)
                               : llvm::ConstantInt::get(i8_, node.constant.bool_value ? 1 : 0);
        return node.op == PredicateOp::Ne ? builder_.CreateICmpNE(value, rhs)
                                          : builder_.CreateICmpEQ(value, rhs);
      }
      case ValueType::Ip:
        return ip_predicate(node, slots);
      case ValueType::Int:
      case ValueType::Timestamp:
      case ValueType::Duration:
      case ValueType::Float: {
        bool real = type == ValueType::Float;
        llvm::Value* value = real ? slot_field(slots, node.slot, kReal, double_)
                                  : slot_field(slots, node.slot, kInteger, i64_);
        if (node.rhs_slot >= 0) {
          llvm::Value* other = real ? slot_field(slots, node.rhs_slot, kReal, double_)
                                    : slot_field(slots, node.rhs_slot, kInteger, i64_);
          return compare_values(node.op, value, other, real);
        }
        if (node.op != PredicateOp::InSet && node.op != PredicateOp::NotInSet) {
          return compare_number(node.op, value, node.constant, real);
        }
        llvm::Value* any = llvm::ConstantInt::getFalse(context_);
        for (const ir::Constant& item : pack_.sets[node.set].values) {
          any = builder_.CreateOr(any, compare_number(PredicateOp::Eq, value, item, real));
        }
        return node.op == PredicateOp::InSet ? any : builder_.CreateNot(any);
      }
    }
    return llvm::ConstantInt::getFalse(context_);
  }

  // if (slot present) value = predicate else value = false
  llvm::Value* predicate(const Node& node, llvm::Value* slots) {
    llvm::Function* fn = builder_.GetInsertBlock()->getParent();
    llvm::Value* present = builder_.CreateICmpNE(slot_field(slots, node.slot, kPresent, i8_),
                                                 llvm::ConstantInt::get(i8_, 0));
    if (node.rhs_slot >= 0) {
      // A comparison of two fields needs both.
      present = builder_.CreateAnd(
          present, builder_.CreateICmpNE(slot_field(slots, node.rhs_slot, kPresent, i8_),
                                         llvm::ConstantInt::get(i8_, 0)));
    }
    llvm::BasicBlock* from = builder_.GetInsertBlock();
    auto* then = llvm::BasicBlock::Create(context_, "present", fn);
    auto* merge = llvm::BasicBlock::Create(context_, "pred", fn);
    builder_.CreateCondBr(present, then, merge);
    builder_.SetInsertPoint(then);
    llvm::Value* value = present_predicate(node, slots);
    llvm::BasicBlock* then_end = builder_.GetInsertBlock();
    builder_.CreateBr(merge);
    builder_.SetInsertPoint(merge);
    llvm::PHINode* phi = builder_.CreatePHI(i1_, 2);
    phi->addIncoming(llvm::ConstantInt::getFalse(context_), from);
    phi->addIncoming(value, then_end);
    return phi;
  }

  llvm::Value* node(const Node& n, llvm::Value* slots) {
    switch (n.kind) {
      case NodeKind::True:
        return llvm::ConstantInt::getTrue(context_);
      case NodeKind::False:
        return llvm::ConstantInt::getFalse(context_);
      case NodeKind::Predicate:
        return predicate(n, slots);
      case NodeKind::Not:
        return builder_.CreateNot(node(n.children.front(), slots));
      case NodeKind::And:
      case NodeKind::Or:
        break;
    }
    bool is_and = n.kind == NodeKind::And;
    if (n.children.empty()) return llvm::ConstantInt::get(i1_, is_and ? 1 : 0);
    return junction(n.children, 0, n.children.size(), is_and, slots);
  }

  // An and/or over children[begin, end). A join block with thousands of
  // predecessors makes LLVM's passes quadratic, so long operand lists are
  // grouped into a balanced tree of joins with at most kFanIn inputs each.
  llvm::Value* junction(const std::vector<Node>& children, size_t begin, size_t end, bool is_and,
                        llvm::Value* slots) {
    constexpr size_t kFanIn = 8;
    size_t count = end - begin;
    if (count <= kFanIn) {
      return short_circuit(is_and, count,
                           [&](size_t i) { return node(children[begin + i], slots); });
    }
    size_t per_group = (count + kFanIn - 1) / kFanIn;
    size_t groups = (count + per_group - 1) / per_group;
    return short_circuit(is_and, groups, [&](size_t g) {
      size_t first = begin + g * per_group;
      size_t last = std::min(end, first + per_group);
      size_t size = 0;
      for (size_t i = first; i < last; ++i) size += count_nodes(children[i]);
      if (size > kOutlineNodes) return outlined(children, first, last, is_and, slots);
      return junction(children, first, last, is_and, slots);
    });
  }

  // LLVM's code generation is superlinear in the size of one function, so a
  // large group of operands becomes a function of its own:
  //   define internal i1 @socc_part(ptr %slots)
  // and the rule calls it. Every function then stays below a few thousand
  // predicates, and compile time grows linearly with the rule.
  static constexpr size_t kOutlineNodes = 512;

  llvm::Value* outlined(const std::vector<Node>& children, size_t begin, size_t end, bool is_and,
                        llvm::Value* slots) {
    llvm::IRBuilderBase::InsertPoint saved = builder_.saveIP();
    auto* type = llvm::FunctionType::get(i1_, {ptr_}, false);
    auto* fn =
        llvm::Function::Create(type, llvm::GlobalValue::InternalLinkage, "socc_part", *module_);
    fn->addFnAttr(llvm::Attribute::NoUnwind);
    fn->addFnAttr(llvm::Attribute::NoInline);
    builder_.SetInsertPoint(llvm::BasicBlock::Create(context_, "entry", fn));
    builder_.CreateRet(junction(children, begin, end, is_and, fn->getArg(0)));
    builder_.restoreIP(saved);
    return builder_.CreateCall(fn, {slots});
  }

  // Short-circuit evaluation: each operand gets its own block and the first
  // deciding operand jumps to the join, where a phi gives the result.
  template <typename Operand>
  llvm::Value* short_circuit(bool is_and, size_t count, Operand operand) {
    llvm::Function* fn = builder_.GetInsertBlock()->getParent();
    auto* join = llvm::BasicBlock::Create(context_, is_and ? "and" : "or", fn);
    std::vector<std::pair<llvm::Value*, llvm::BasicBlock*>> incoming;
    for (size_t i = 0; i < count; ++i) {
      llvm::Value* value = operand(i);
      llvm::BasicBlock* here = builder_.GetInsertBlock();
      if (i + 1 == count) {
        incoming.emplace_back(value, here);
        builder_.CreateBr(join);
        break;
      }
      auto* next = llvm::BasicBlock::Create(context_, "next", fn);
      if (is_and) {
        builder_.CreateCondBr(value, next, join);
        incoming.emplace_back(llvm::ConstantInt::getFalse(context_), here);
      } else {
        builder_.CreateCondBr(value, join, next);
        incoming.emplace_back(llvm::ConstantInt::getTrue(context_), here);
      }
      builder_.SetInsertPoint(next);
    }
    builder_.SetInsertPoint(join);
    llvm::PHINode* phi = builder_.CreatePHI(i1_, incoming.size());
    for (auto& [value, block] : incoming) phi->addIncoming(value, block);
    return phi;
  }

  llvm::Function* emit_rule(int rule) {
    auto* type = llvm::FunctionType::get(i8_, {ptr_}, false);
    auto* fn = llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage,
                                      "socc_rule_" + std::to_string(rule), *module_);
    fn->addFnAttr(llvm::Attribute::NoUnwind);
    fn->addFnAttr(llvm::Attribute::NoInline);
    builder_.SetInsertPoint(llvm::BasicBlock::Create(context_, "entry", fn));
    llvm::Value* result = node(pack_.rules[rule].condition, fn->getArg(0));
    builder_.CreateRet(builder_.CreateZExt(result, i8_));
    return fn;
  }

  void emit_eval(const std::vector<llvm::Function*>& rules) {
    auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(context_), {ptr_, ptr_}, false);
    auto* fn =
        llvm::Function::Create(type, llvm::GlobalValue::ExternalLinkage, "socc_eval", *module_);
    fn->addFnAttr(llvm::Attribute::NoUnwind);
    llvm::Value* slots = fn->getArg(0);
    llvm::Value* fired = fn->getArg(1);
    builder_.SetInsertPoint(llvm::BasicBlock::Create(context_, "entry", fn));
    for (const ir::SchemaSelection& schema : pack_.schemas) {
      llvm::Value* selected = node(schema.select, slots);
      auto* body = llvm::BasicBlock::Create(context_, "schema." + schema.name, fn);
      auto* next = llvm::BasicBlock::Create(context_, "after." + schema.name, fn);
      builder_.CreateCondBr(selected, body, next);
      builder_.SetInsertPoint(body);
      for (int rule : schema.rules) {
        llvm::Value* result = builder_.CreateCall(rules[rule], {slots});
        builder_.CreateStore(result, builder_.CreateConstInBoundsGEP1_64(i8_, fired, rule));
      }
      builder_.CreateBr(next);
      builder_.SetInsertPoint(next);
    }
    builder_.CreateRetVoid();
  }

  const ir::Pack& pack_;
  llvm::LLVMContext& context_;
  std::unique_ptr<llvm::Module> module_;
  llvm::IRBuilder<> builder_;
  llvm::Type* ptr_;
  llvm::Type* i1_;
  llvm::Type* i8_;
  llvm::Type* i32_;
  llvm::Type* i64_;
  llvm::Type* double_;
  llvm::StructType* slot_type_;
  llvm::StructType* string_type_;
  std::map<std::string, llvm::Constant*> strings_;
  std::map<int, llvm::Constant*> set_tables_;
  llvm::GlobalVariable* regexes_ = nullptr;
};

}  // namespace

std::unique_ptr<llvm::Module> emit_module(const ir::Pack& pack, llvm::LLVMContext& context) {
  return Emitter(pack, context).run();
}

void optimize(llvm::Module& module, int opt_level) {
  if (opt_level <= 0) return;
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder;
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgscc);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgscc, modules);
  llvm::OptimizationLevel level = opt_level == 1   ? llvm::OptimizationLevel::O1
                                  : opt_level == 2 ? llvm::OptimizationLevel::O2
                                                   : llvm::OptimizationLevel::O3;
  builder.buildPerModuleDefaultPipeline(level).run(module, modules);
}

}  // namespace socc::codegen
