#pragma once

// Internal to the parse library: turns an ANTLR parse tree without syntax
// errors into the AST.

#include <memory>

#include "SoccParser.h"
#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/parse/prescan.h"

namespace socc::parse {

std::unique_ptr<ast::Module> build_ast(socc_grammar::SoccParser::FileContext* file,
                                       diagnostics::FileId file_id, const OffsetMap& offsets,
                                       diagnostics::DiagnosticSink& sink);

}  // namespace socc::parse
