#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"

namespace socc::driver {

// Finds, reads and parses the source files of a compilation: the files and
// directories the user named (directories are searched for *.socc files),
// then every module they import, looked up as `a/b.socc` for `import a.b`
// under the standard library and under each directory named.
struct LoadResult {
  std::vector<std::unique_ptr<ast::Module>> modules;
  // Every module name a file on the search path defines, loaded or not.
  std::vector<std::string> available_modules;
};

LoadResult load_modules(const std::vector<std::string>& paths, const std::string& stdlib_dir,
                        diagnostics::SourceManager& sources, diagnostics::DiagnosticSink& sink);

}  // namespace socc::driver
