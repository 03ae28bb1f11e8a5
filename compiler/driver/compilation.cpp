#include "compiler/driver/compilation.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>

#include "compiler/diagnostics/render.h"
#include "compiler/driver/loader.h"
#include "compiler/ir/lower.h"
#include "compiler/sema/analyze.h"

namespace socc::driver {
namespace {

double elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since)
      .count();
}

}  // namespace

std::string default_stdlib_dir() {
  if (const char* env = std::getenv("SOCC_STDLIB"); env && *env) return env;
  return SOCC_STDLIB_DIR;
}

std::unique_ptr<Compilation> compile_rules(const std::vector<std::string>& paths,
                                           const CompileOptions& options) {
  auto result = std::make_unique<Compilation>();
  result->sink.set_warnings_as_errors(options.warnings_as_errors);
  auto start = std::chrono::steady_clock::now();

  std::string stdlib = options.stdlib_dir.empty() ? default_stdlib_dir() : options.stdlib_dir;
  std::string catalog_error;
  result->catalog = sema::AttackCatalog::load(stdlib + "/attack", &catalog_error);
  if (!result->catalog) {
    diagnostics::FileId id = result->sources.add(stdlib + "/attack", "");
    result->sink.emit(diagnostics::Kind::AttackCatalogUnreadable, {id, 0, 0}, catalog_error);
    return result;
  }

  LoadOptions load_options;
  load_options.stdlib_dir = stdlib;
  load_options.catalog = &*result->catalog;
  load_options.sigma_pipeline = options.sigma_pipeline;
  load_options.skip_failed_sigma = options.skip_failed_sigma;
  LoadResult loaded = load_modules(paths, load_options, result->sources, result->sink);
  result->sigma = loaded.sigma;
  result->sigma_translations = loaded.sigma_translations;
  result->sigma_schemas = loaded.sigma_schemas;
  result->program = sema::analyze(std::move(loaded.modules), *result->catalog, result->sink,
                                  loaded.available_modules);
  if (result->sink.has_errors()) {
    result->frontend_ms = elapsed_ms(start);
    return result;
  }
  result->pack = ir::lower(result->program, *result->catalog, result->sources);
  result->frontend_ms = elapsed_ms(start);
  if (!options.generate_code) return result;

  start = std::chrono::steady_clock::now();
  std::string error;
  codegen::CodegenOptions codegen_options;
  codegen_options.opt_level = options.opt_level;
  result->compiled = codegen::compile(result->pack, codegen_options, &error);
  result->codegen_ms = elapsed_ms(start);
  if (!result->compiled) {
    diagnostics::FileId id = result->sources.add("<codegen>", "");
    result->sink.emit(diagnostics::Kind::Unsupported, {id, 0, 0},
                      "code generation failed: " + error);
  }
  return result;
}

void print_diagnostics(const Compilation& compilation, DiagnosticFormat format, std::ostream& out) {
  for (const auto& diagnostic : compilation.sink.sorted()) {
    if (format == DiagnosticFormat::Json) {
      out << diagnostics::render_json(diagnostic, compilation.sources) << '\n';
    } else {
      out << diagnostics::render_text(diagnostic, compilation.sources);
    }
  }
  size_t errors = compilation.sink.error_count();
  size_t warnings = compilation.sink.warning_count();
  if (format == DiagnosticFormat::Text && (errors > 0 || warnings > 0)) {
    out << fmt::format("{} error{}, {} warning{}\n", errors, errors == 1 ? "" : "s", warnings,
                       warnings == 1 ? "" : "s");
  }
}

}  // namespace socc::driver
