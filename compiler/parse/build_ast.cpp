#include "compiler/parse/build_ast.h"

#include <fmt/format.h>

#include <cmath>

#include "compiler/parse/literals.h"

namespace socc::parse {
namespace {

using socc_grammar::SoccParser;
using P = SoccParser;

class AstBuilder {
 public:
  AstBuilder(diagnostics::FileId file_id, const OffsetMap& offsets,
             diagnostics::DiagnosticSink& sink)
      : file_id_(file_id), offsets_(offsets), sink_(sink) {}

  std::unique_ptr<ast::Module> module(P::FileContext* file) {
    auto module = std::make_unique<ast::Module>();
    module->file_id = file_id_;
    if (auto* header = file->moduleDecl()) {
      module->header = qualified_name(header->qualifiedName());
    }
    for (auto* import : file->importDecl()) {
      module->imports.push_back(qualified_name(import->qualifiedName()));
    }
    for (auto* decl : file->declaration()) {
      if (auto* d = decl->schemaDecl()) module->schemas.push_back(schema(d));
      if (auto* d = decl->listDecl()) module->lists.push_back(list(d));
      if (auto* d = decl->detectionDecl()) {
        module->detections.push_back(detection(d));
      }
      if (auto* d = decl->actionDecl()) module->actions.push_back(action(d));
      if (auto* d = decl->playbookDecl()) {
        module->playbooks.push_back(playbook(d));
      }
      if (auto* d = decl->testDecl()) module->tests.push_back(test(d));
      if (auto* d = decl->macroDecl()) module->macros.push_back(macro(d));
    }
    return module;
  }

 private:
  ast::Span span(antlr4::ParserRuleContext* ctx) const {
    return {file_id_, offsets_.byte_offset(ctx->getStart()->getStartIndex()),
            offsets_.byte_offset(ctx->getStop()->getStopIndex() + 1)};
  }

  ast::Span span(antlr4::Token* token) const {
    return {file_id_, offsets_.byte_offset(token->getStartIndex()),
            offsets_.byte_offset(token->getStopIndex() + 1)};
  }

  ast::Name name(P::NameContext* ctx) const { return {ctx->getText(), span(ctx)}; }

  // A dotted name as one Name whose span covers all its segments.
  ast::Name qualified_name(P::QualifiedNameContext* ctx) const {
    return {ctx->getText(), span(ctx)};
  }

  std::string string_token(antlr4::Token* token) {
    size_t error_offset = 0;
    std::string text = token->getText();
    auto decoded = decode_string(text, &error_offset);
    if (decoded) return *decoded;
    ast::Span at = span(token);
    at.begin += static_cast<uint32_t>(error_offset);
    at.end = at.begin + 1;
    sink_.emit(diagnostics::Kind::InvalidLiteral, at, "invalid escape sequence in string literal");
    return {};
  }

  // The concatenation of adjacent string literals.
  std::string text(P::TextContext* ctx) {
    std::string result;
    for (auto* piece : ctx->STRING()) result += string_token(piece->getSymbol());
    return result;
  }

  ast::Literal literal(P::LiteralContext* ctx) {
    ast::Literal lit;
    lit.span = span(ctx);
    if (auto* s = dynamic_cast<P::StringLiteralContext*>(ctx)) {
      lit.kind = ast::LiteralKind::String;
      lit.string_value = text(s->text());
    } else if (auto* i = dynamic_cast<P::IntLiteralContext*>(ctx)) {
      lit.kind = ast::LiteralKind::Int;
      auto value = decode_int(i->INT()->getText(), i->MINUS() != nullptr);
      if (!value) {
        sink_.emit(diagnostics::Kind::InvalidLiteral, lit.span,
                   "integer literal does not fit in 64 bits");
      }
      lit.int_value = value.value_or(0);
    } else if (auto* f = dynamic_cast<P::FloatLiteralContext*>(ctx)) {
      lit.kind = ast::LiteralKind::Float;
      lit.float_value = std::strtod(f->FLOAT()->getText().c_str(), nullptr);
      if (f->MINUS()) lit.float_value = -lit.float_value;
      if (!std::isfinite(lit.float_value)) {
        sink_.emit(diagnostics::Kind::InvalidLiteral, lit.span,
                   "float literal is beyond the range of a double");
        lit.float_value = 0;
      }
    } else if (auto* b = dynamic_cast<P::BoolLiteralContext*>(ctx)) {
      lit.kind = ast::LiteralKind::Bool;
      lit.bool_value = b->TRUE() != nullptr;
    } else if (auto* ip = dynamic_cast<P::IpLiteralContext*>(ctx)) {
      std::string text = ip->IPV4()->getText();
      std::string error;
      if (!decode_network(text, &lit, &error)) {
        sink_.emit(diagnostics::Kind::InvalidLiteral, lit.span, error);
      }
    } else if (auto* d = dynamic_cast<P::DurationLiteralContext*>(ctx)) {
      lit.kind = ast::LiteralKind::Duration;
      auto value = decode_duration(d->DURATION()->getText());
      if (!value) {
        sink_.emit(diagnostics::Kind::InvalidLiteral, lit.span,
                   "duration literal does not fit in 64 bits of microseconds");
      }
      lit.int_value = value.value_or(0);
    } else if (auto* t = dynamic_cast<P::TimestampLiteralContext*>(ctx)) {
      lit.kind = ast::LiteralKind::Timestamp;
      auto value = decode_datetime(t->DATETIME()->getText());
      if (!value) {
        sink_.emit(diagnostics::Kind::InvalidLiteral, lit.span,
                   "not a valid date and time (month 1-12, a day the month has, "
                   "hours 0-23, minutes and seconds 0-59)");
      }
      lit.int_value = value.value_or(0);
    }
    return lit;
  }

  std::vector<ast::ExprPtr> list_elements(P::ListLiteralContext* ctx) {
    std::vector<ast::ExprPtr> elements;
    for (auto* item : ctx->operand()) elements.push_back(operand(item));
    return elements;
  }

  std::unique_ptr<ast::SchemaDecl> schema(P::SchemaDeclContext* ctx) {
    auto decl = std::make_unique<ast::SchemaDecl>();
    decl->name = name(ctx->name());
    decl->span = span(ctx);
    if (auto* select = ctx->schemaSelect()) {
      for (auto* condition : select->rawCondition()) {
        ast::RawCondition raw;
        raw.span = span(condition);
        if (auto* eq = dynamic_cast<P::RawEqualsContext*>(condition)) {
          raw.path = string_token(eq->path);
          raw.values.push_back(literal(eq->literal()));
        } else if (auto* in = dynamic_cast<P::RawInContext*>(condition)) {
          raw.path = string_token(in->path);
          raw.elements = list_elements(in->listLiteral());
        }
        decl->select.push_back(std::move(raw));
      }
    }
    for (auto* field : ctx->fieldDecl()) {
      ast::FieldDecl f;
      f.name = name(field->name(0));
      f.type_name = name(field->typeName);
      f.path = string_token(field->path);
      f.path_span = span(field->path);
      decl->fields.push_back(std::move(f));
    }
    return decl;
  }

  std::unique_ptr<ast::ListDecl> list(P::ListDeclContext* ctx) {
    auto decl = std::make_unique<ast::ListDecl>();
    decl->name = name(ctx->name(0));
    decl->span = span(ctx);
    if (ctx->typeName) decl->type_name = name(ctx->typeName);
    if (auto* items = ctx->listLiteral()) {
      decl->elements = list_elements(items);
    } else if (auto* file = ctx->listFile()) {
      decl->source = name(file->source);
      decl->file_path = text(file->text());
      decl->file_span = span(file->text());
    }
    return decl;
  }

  std::unique_ptr<ast::MacroDecl> macro(P::MacroDeclContext* ctx) {
    auto decl = std::make_unique<ast::MacroDecl>();
    decl->name = name(ctx->name());
    decl->span = span(ctx);
    for (auto* param : ctx->param()) {
      decl->params.push_back({name(param->name(0)), name(param->typeName)});
    }
    decl->body = expr(ctx->expr());
    return decl;
  }

  ast::MetaItem meta_item(P::MetaItemContext* ctx) {
    ast::MetaItem item;
    item.key = name(ctx->key);
    item.span = span(ctx);
    for (auto* value : ctx->metaValue()) {
      ast::MetaValue v;
      v.span = span(value);
      if (value->text()) {
        v.kind = ast::MetaValue::Kind::String;
        v.text = text(value->text());
      } else if (value->INT()) {
        v.kind = ast::MetaValue::Kind::Int;
        v.text = value->getText();
        v.int_value = decode_int(v.text, false).value_or(0);
      } else {
        v.kind = ast::MetaValue::Kind::Name;
        v.text = value->getText();
      }
      item.values.push_back(std::move(v));
    }
    return item;
  }

  std::unique_ptr<ast::DetectionDecl> detection(P::DetectionDeclContext* ctx) {
    auto decl = std::make_unique<ast::DetectionDecl>();
    decl->name = name(ctx->name());
    decl->span = span(ctx);
    for (auto* item : ctx->detectionItem()) {
      // A repeated clause is reported and ignored; the first one counts.
      if (auto* on = dynamic_cast<P::OnItemContext*>(item)) {
        if (!duplicate(!decl->on.empty(), span(item), "on")) {
          for (auto* schema : on->schemas) decl->on.push_back(qualified_name(schema));
        }
      } else if (auto* where = dynamic_cast<P::WhereItemContext*>(item)) {
        if (!duplicate(decl->where != nullptr, span(item), "where")) {
          decl->where = expr(where->expr());
          decl->where_span = span(item);
        }
      } else if (auto* respond = dynamic_cast<P::RespondItemContext*>(item)) {
        if (!duplicate(decl->respond.has_value(), span(item), "respond")) {
          decl->respond = name(respond->playbook);
        }
      } else if (auto* meta = dynamic_cast<P::MetaDetectionItemContext*>(item)) {
        decl->meta.push_back(meta_item(meta->metaItem()));
      }
    }
    return decl;
  }

  bool duplicate(bool seen, ast::Span at, std::string_view what) {
    if (!seen) return false;
    sink_.emit(diagnostics::Kind::DuplicateItem, at,
               fmt::format("a detection has one '{}' clause; this one is ignored", what));
    return true;
  }

  std::unique_ptr<ast::ActionDecl> action(P::ActionDeclContext* ctx) {
    auto decl = std::make_unique<ast::ActionDecl>();
    decl->name = name(ctx->name());
    decl->span = span(ctx);
    for (auto* param : ctx->param()) {
      decl->params.push_back({name(param->name(0)), name(param->typeName)});
    }
    for (auto* item : ctx->metaItem()) decl->meta.push_back(meta_item(item));
    return decl;
  }

  std::unique_ptr<ast::PlaybookDecl> playbook(P::PlaybookDeclContext* ctx) {
    auto decl = std::make_unique<ast::PlaybookDecl>();
    decl->name = name(ctx->name());
    decl->span = span(ctx);
    for (auto* step_ctx : ctx->step()) {
      ast::Step step;
      step.name = name(step_ctx->name(0));
      step.action = name(step_ctx->action);
      step.span = span(step_ctx);
      for (auto* arg : step_ctx->arg()) {
        step.args.push_back({name(arg->name()), expr(arg->expr())});
      }
      if (step_ctx->expr()) step.when = expr(step_ctx->expr());
      decl->steps.push_back(std::move(step));
    }
    return decl;
  }

  std::unique_ptr<ast::TestDecl> test(P::TestDeclContext* ctx) {
    auto decl = std::make_unique<ast::TestDecl>();
    decl->name = name(ctx->name());
    decl->span = span(ctx);
    for (auto* case_ctx : ctx->testCase()) {
      ast::TestCase test_case;
      test_case.expect_fire = case_ctx->FIRES() != nullptr;
      test_case.span = span(case_ctx);
      for (auto* init : case_ctx->fieldInit()) {
        test_case.fields.push_back({name(init->name()), operand(init->operand()), {}});
      }
      decl->cases.push_back(std::move(test_case));
    }
    return decl;
  }

  ast::ExprPtr make(ast::ExprKind kind, antlr4::ParserRuleContext* ctx) {
    auto e = std::make_unique<ast::Expr>();
    e->kind = kind;
    e->span = span(ctx);
    return e;
  }

  // And/Or chains are left-deep in the parse tree; walk their left spine
  // with a loop so that a long chain costs no stack, and build one n-ary
  // node from it.
  template <typename Ctx>
  ast::ExprPtr chain(Ctx* ctx, ast::ExprKind kind) {
    std::vector<P::ExprContext*> operands;
    P::ExprContext* current = ctx;
    while (auto* same = dynamic_cast<Ctx*>(current)) {
      operands.push_back(same->expr(1));
      current = same->expr(0);
    }
    operands.push_back(current);
    auto node = make(kind, ctx);
    for (auto it = operands.rbegin(); it != operands.rend(); ++it) {
      node->args.push_back(expr(*it));
    }
    return node;
  }

  ast::ExprPtr expr(P::ExprContext* ctx) {
    if (auto* paren = dynamic_cast<P::ParenExprContext*>(ctx)) {
      return expr(paren->expr());
    }
    if (auto* in = dynamic_cast<P::InExprContext*>(ctx)) {
      auto e = make(ast::ExprKind::In, ctx);
      e->lhs = operand(in->lhs);
      e->rhs = operand(in->rhs);
      e->negated = in->NOT() != nullptr;
      e->case_sensitive = in->CS() != nullptr;
      return e;
    }
    if (auto* compare = dynamic_cast<P::CompareExprContext*>(ctx)) {
      auto e = make(ast::ExprKind::Compare, ctx);
      e->lhs = operand(compare->lhs);
      e->rhs = operand(compare->rhs);
      e->op = compare_op(compare->compareOp());
      e->case_sensitive = compare->CS() != nullptr;
      e->match_all = compare->quantifier() && compare->quantifier()->ALL();
      return e;
    }
    if (auto* operand_expr = dynamic_cast<P::OperandExprContext*>(ctx)) {
      return operand(operand_expr->operand());
    }
    if (auto* not_expr = dynamic_cast<P::NotExprContext*>(ctx)) {
      auto e = make(ast::ExprKind::Not, ctx);
      e->lhs = expr(not_expr->expr());
      return e;
    }
    if (auto* and_expr = dynamic_cast<P::AndExprContext*>(ctx)) {
      return chain(and_expr, ast::ExprKind::And);
    }
    if (auto* or_expr = dynamic_cast<P::OrExprContext*>(ctx)) {
      return chain(or_expr, ast::ExprKind::Or);
    }
    return make(ast::ExprKind::Literal, ctx);
  }

  static ast::CompareOp compare_op(P::CompareOpContext* ctx) {
    if (ctx->EQ()) return ast::CompareOp::Eq;
    if (ctx->NE()) return ast::CompareOp::Ne;
    if (ctx->LT()) return ast::CompareOp::Lt;
    if (ctx->LE()) return ast::CompareOp::Le;
    if (ctx->GT()) return ast::CompareOp::Gt;
    if (ctx->GE()) return ast::CompareOp::Ge;
    if (ctx->CONTAINS()) return ast::CompareOp::Contains;
    if (ctx->STARTSWITH()) return ast::CompareOp::StartsWith;
    if (ctx->LIKE()) return ast::CompareOp::Like;
    if (ctx->MATCHES()) return ast::CompareOp::Matches;
    return ast::CompareOp::EndsWith;
  }

  ast::ExprPtr operand(P::OperandContext* ctx) {
    if (auto* lit = dynamic_cast<P::LiteralOperandContext*>(ctx)) {
      auto e = make(ast::ExprKind::Literal, ctx);
      e->literal = literal(lit->literal());
      return e;
    }
    if (auto* list = dynamic_cast<P::ListOperandContext*>(ctx)) {
      auto e = make(ast::ExprKind::List, ctx);
      e->args = list_elements(list->listLiteral());
      return e;
    }
    if (auto* call = dynamic_cast<P::CallOperandContext*>(ctx)) {
      auto e = make(ast::ExprKind::Call, ctx);
      e->callee = name(call->name());
      for (auto* arg : call->expr()) e->args.push_back(expr(arg));
      return e;
    }
    auto* named = dynamic_cast<P::NameOperandContext*>(ctx);
    auto e = make(ast::ExprKind::Name, ctx);
    for (auto* segment : named->name()) e->path.push_back(name(segment));
    return e;
  }

  diagnostics::FileId file_id_;
  const OffsetMap& offsets_;
  diagnostics::DiagnosticSink& sink_;
};

}  // namespace

std::unique_ptr<ast::Module> build_ast(P::FileContext* file, diagnostics::FileId file_id,
                                       const OffsetMap& offsets,
                                       diagnostics::DiagnosticSink& sink) {
  return AstBuilder(file_id, offsets, sink).module(file);
}

}  // namespace socc::parse
