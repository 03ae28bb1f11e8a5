#pragma once

#include <memory>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"

namespace socc::parse {

// Limits that keep hostile source files from exhausting the stack or memory.
struct ParseLimits {
  size_t max_file_bytes = 16u << 20;
  // Brackets of any kind plus consecutive `not`s open at one point.
  size_t max_nesting = 256;
};

// Parses one source file into an AST. Every lexical and syntax error of the
// file is reported into `sink`; a file with lexical or syntax errors yields
// nullptr so that later phases do not report consequences of a broken parse.
std::unique_ptr<ast::Module> parse_module(const diagnostics::SourceManager& sources,
                                          diagnostics::FileId file_id,
                                          diagnostics::DiagnosticSink& sink,
                                          const ParseLimits& limits = {});

}  // namespace socc::parse
