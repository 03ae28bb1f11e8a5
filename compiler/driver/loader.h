#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/sema/attack_catalog.h"

namespace socc::driver {

// Finds, reads and parses the source files of a compilation: the files and
// directories the user named (directories are searched for *.socc files),
// then every module they import, looked up as `a/b.socc` for `import a.b`
// under the standard library and under each directory named.
//
// Sigma rules (`.yml`, `.yaml`) are translated to socc source by the Sigma
// front end and parsed like any other file; the schemas they read come from
// a pipeline and are declared in one generated module.
struct LoadOptions {
  std::string stdlib_dir;
  // The ATT&CK catalog, for the techniques of Sigma tags.
  const sema::AttackCatalog* catalog = nullptr;
  // The Sigma pipeline; empty for the stdlib's sigma/pipeline.yml.
  std::string sigma_pipeline;
  // Report a Sigma rule that cannot be translated as a warning and leave
  // it out, instead of failing the compilation.
  bool skip_failed_sigma = false;
};

// Counts of the Sigma documents a load read.
struct SigmaTotals {
  size_t files = 0;
  size_t rules = 0;
  size_t translated = 0;
  size_t correlations = 0;
  size_t failed = 0;
};

struct LoadResult {
  std::vector<std::unique_ptr<ast::Module>> modules;
  // Every module name a file on the search path defines, loaded or not.
  std::vector<std::string> available_modules;
  SigmaTotals sigma;
  // The socc text each Sigma file became (registered files), and the
  // generated schema module; for `socc import-sigma`.
  std::vector<std::pair<std::string, diagnostics::FileId>> sigma_translations;
  std::optional<diagnostics::FileId> sigma_schemas;
};

LoadResult load_modules(const std::vector<std::string>& paths, const LoadOptions& options,
                        diagnostics::SourceManager& sources, diagnostics::DiagnosticSink& sink);

}  // namespace socc::driver
