#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "compiler/codegen/jit.h"
#include "compiler/diagnostics/diagnostic.h"
#include "compiler/driver/loader.h"
#include "compiler/ir/ir.h"
#include "compiler/sema/attack_catalog.h"
#include "compiler/sema/program.h"

namespace socc::driver {

struct CompileOptions {
  std::string stdlib_dir;
  bool warnings_as_errors = false;
  int opt_level = 2;
  // False stops after lowering to the IR (for `build` without codegen).
  bool generate_code = true;
  // Sigma: the pipeline (empty: the stdlib's), and whether a rule that
  // cannot be translated is a warning that leaves it out.
  std::string sigma_pipeline;
  bool skip_failed_sigma = false;
};

// Everything one run of the compiler produced, phase by phase.
struct Compilation {
  diagnostics::SourceManager sources;
  diagnostics::DiagnosticSink sink;
  std::optional<sema::AttackCatalog> catalog;
  sema::Program program;
  ir::Pack pack;
  std::unique_ptr<codegen::CompiledPack> compiled;
  SigmaTotals sigma;
  std::vector<std::pair<std::string, diagnostics::FileId>> sigma_translations;
  std::optional<diagnostics::FileId> sigma_schemas;
  double frontend_ms = 0;
  double codegen_ms = 0;

  bool ok() const { return !sink.has_errors(); }
};

// The stdlib directory: $SOCC_STDLIB, else the one this build was
// configured with.
std::string default_stdlib_dir();

// Runs every phase over `paths`. Stops before lowering when a phase
// reported errors; all of them are in the result's sink.
std::unique_ptr<Compilation> compile_rules(const std::vector<std::string>& paths,
                                           const CompileOptions& options);

enum class DiagnosticFormat { Text, Json };

// Prints the diagnostics sorted by position, then a count line (text only).
void print_diagnostics(const Compilation& compilation, DiagnosticFormat format, std::ostream& out);

}  // namespace socc::driver
