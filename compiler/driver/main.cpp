// The socc command line: build, test, run and explain rule packs.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <iostream>

#include "compiler/codegen/jit.h"
#include "compiler/diagnostics/suggest.h"
#include "compiler/driver/commands.h"
#include "compiler/driver/compilation.h"
#include "compiler/ir/print.h"

namespace {

using socc::driver::Compilation;
using socc::driver::CompileOptions;
using socc::driver::DiagnosticFormat;

struct CommonOptions {
  std::vector<std::string> rules;
  std::string stdlib;
  std::string format = "text";
  bool werror = false;
  int opt_level = 2;
  std::string pipeline;
  bool skip_failed_sigma = false;
};

void add_common(CLI::App* command, CommonOptions& common, bool rules_positional) {
  if (rules_positional) {
    command->add_option("paths", common.rules, "rule files or directories")->required();
  } else {
    // One path per --rules, so that the event inputs after it stay inputs;
    // repeat the option for several rule paths.
    command->add_option("-r,--rules", common.rules, "rule file or directory (repeatable)")
        ->required()
        ->allow_extra_args(false);
  }
  command->add_option("--stdlib", common.stdlib, "standard library directory");
  command->add_option("--format", common.format, "diagnostics as text or json")
      ->check(CLI::IsMember({"text", "json"}));
  command->add_flag("--werror", common.werror, "treat warnings as errors");
  command->add_option("-O", common.opt_level, "optimisation level 0-3")->check(CLI::Range(0, 3));
  command->add_option("--pipeline", common.pipeline,
                      "Sigma pipeline (YAML) mapping logsources and fields to schemas");
  command->add_flag("--skip-failed-sigma", common.skip_failed_sigma,
                    "leave out Sigma rules that cannot be translated, reporting them as warnings");
}

// Compiles and prints diagnostics; nullptr when compilation failed.
std::unique_ptr<Compilation> compile(const CommonOptions& common, bool generate_code) {
  CompileOptions options;
  options.stdlib_dir = common.stdlib;
  options.warnings_as_errors = common.werror;
  options.opt_level = common.opt_level;
  options.generate_code = generate_code;
  options.sigma_pipeline = common.pipeline;
  options.skip_failed_sigma = common.skip_failed_sigma;
  auto compilation = socc::driver::compile_rules(common.rules, options);
  socc::driver::print_diagnostics(
      *compilation, common.format == "json" ? DiagnosticFormat::Json : DiagnosticFormat::Text,
      std::cerr);
  if (!compilation->ok()) return nullptr;
  return compilation;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"socc: a compiler for detection and response as code"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "socc 0.1.0");

  CommonOptions build_options;
  auto* build = app.add_subcommand("build", "check and compile rules; exit 1 on any error");
  add_common(build, build_options, true);

  CommonOptions test_options;
  auto* test = app.add_subcommand("test", "run the test blocks of rules");
  add_common(test, test_options, true);

  CommonOptions run_options;
  socc::driver::RunOptions run;
  std::string connectors_path;
  auto* run_cmd = app.add_subcommand("run", "match events (JSON lines) against rules");
  add_common(run_cmd, run_options, false);
  run_cmd->add_option("inputs", run.inputs, "event files, directories of .jsonl, or - for stdin")
      ->required();
  run_cmd->add_option("--alerts", run.alerts_path, "append alerts to this file, not stdout");
  run_cmd->add_option("--audit", run.audit_path, "append response audit records to this file");
  run_cmd->add_option("--rejects", run.rejects_path,
                      "append one JSON line per malformed input line to this file");
  run_cmd->add_flag("--execute", run.response.execute,
                    "run response actions through their connectors (default: dry-run)");
  run_cmd->add_option("--connectors", connectors_path, "YAML file binding actions to programs");

  CommonOptions explain_options;
  std::string rule_name;
  bool show_llvm = false;
  auto* explain = app.add_subcommand("explain", "print what a rule compiled into");
  add_common(explain, explain_options, false);
  explain->add_option("rule", rule_name, "detection name")->required();
  explain->add_flag("--llvm", show_llvm, "also print the rule's optimised LLVM IR");

  CommonOptions import_options;
  std::string import_dir;
  bool import_schemas = false;
  auto* import_sigma = app.add_subcommand("import-sigma", "translate Sigma rules into socc source");
  add_common(import_sigma, import_options, true);
  import_sigma->add_option("-o,--output", import_dir,
                           "write one .socc file per Sigma file, and the schema module, here");
  import_sigma->add_flag("--schemas", import_schemas,
                         "also print the module of the schemas the rules read");

  // CLI11 reports usage errors by exception; they stop here.
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (build->parsed()) {
    auto compilation = compile(build_options, true);
    if (!compilation) return 1;
    std::cerr << fmt::format(
        "socc: {} detections, {} playbooks, {} tests compiled in {:.1f} ms "
        "(front end {:.1f} ms, JIT {:.1f} ms)\n",
        socc::driver::detection_count(compilation->pack), compilation->pack.playbooks.size(),
        compilation->pack.tests.size(), compilation->frontend_ms + compilation->codegen_ms,
        compilation->frontend_ms, compilation->codegen_ms);
    return 0;
  }
  if (test->parsed()) {
    auto compilation = compile(test_options, true);
    if (!compilation) return 1;
    return socc::driver::test_command(*compilation, std::cout);
  }
  if (run_cmd->parsed()) {
    // Running actions needs to know which programs carry them out; without
    // connectors every step would only fail.
    if (run.response.execute && connectors_path.empty()) {
      std::cerr << "error: --execute needs --connectors FILE, the programs that carry out "
                   "the actions\nRun with --help for more information.\n";
      return 2;
    }
    socc::driver::prepare_run_process();
    std::string error;
    if (!connectors_path.empty() &&
        !socc::driver::load_connectors(connectors_path, &run.response.connectors, &error)) {
      std::cerr << "error: " << error << '\n';
      return 2;
    }
    auto compilation = compile(run_options, true);
    if (!compilation) return 1;
    if (!connectors_path.empty()) {
      auto problems = socc::driver::check_connectors(compilation->pack, run.response.connectors,
                                                     connectors_path);
      for (const std::string& problem : problems) std::cerr << "error: " << problem << '\n';
      if (!problems.empty()) return 2;
    }
    return socc::driver::run_command(*compilation, run, std::cerr);
  }
  if (import_sigma->parsed()) {
    auto compilation = compile(import_options, false);
    if (!compilation) return 1;
    return socc::driver::import_sigma_command(*compilation, import_dir, import_schemas, std::cout,
                                              std::cerr);
  }
  if (explain->parsed()) {
    auto compilation = compile(explain_options, true);
    if (!compilation) return 1;
    const auto& rules = compilation->pack.rules;
    // A detection on several schemas has one rule per schema: all print.
    bool found = false;
    for (size_t r = 0; r < rules.size(); ++r) {
      if (rules[r].name != rule_name) continue;
      found = true;
      std::cout << socc::ir::print_rule(compilation->pack, static_cast<int>(r));
      if (show_llvm) {
        socc::codegen::CodegenOptions options;
        options.opt_level = explain_options.opt_level;
        std::cout << socc::codegen::emit_llvm_ir(compilation->pack, options, static_cast<int>(r));
      }
    }
    if (found) return 0;
    std::cerr << fmt::format("error: no detection named '{}'\n", rule_name);
    std::vector<std::string> names;
    for (const auto& rule : rules) names.push_back(rule.name);
    if (auto match = socc::diagnostics::closest_match(rule_name, names)) {
      std::cerr << fmt::format("  note: did you mean '{}'?\n", *match);
    }
    return 1;
  }
  return 0;
}
