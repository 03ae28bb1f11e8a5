#include "test_support.h"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/diagnostics/diagnostic.h"

namespace socc::testing {

namespace fs = std::filesystem;

std::string source_dir() {
  return SOCC_SOURCE_DIR;
}

namespace {

// Removes the temporary trees when the test binary exits.
struct TempDirs {
  std::vector<fs::path> paths;
  ~TempDirs() {
    std::error_code ec;
    for (const auto& path : paths) fs::remove_all(path, ec);
  }
};
TempDirs temp_dirs;

}  // namespace

std::string write_temp_tree(const std::vector<std::pair<std::string, std::string>>& files) {
  static int counter = 0;
  fs::path dir = fs::temp_directory_path() /
                 ("socc-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(dir);
  fs::create_directories(dir);
  temp_dirs.paths.push_back(dir);
  for (const auto& [name, text] : files) {
    fs::path path = dir / name;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }
  return dir.string();
}

std::unique_ptr<driver::Compilation> compile_source(const std::string& text,
                                                    const std::string& name, bool generate_code) {
  std::string dir = write_temp_tree({{name, text}});
  driver::CompileOptions options;
  options.stdlib_dir = source_dir() + "/stdlib";
  options.generate_code = generate_code;
  auto result = driver::compile_rules({dir + "/" + name}, options);
  return result;
}

std::string rendered_diagnostics(const driver::Compilation& compilation) {
  std::ostringstream out;
  driver::print_diagnostics(compilation, driver::DiagnosticFormat::Text, out);
  std::string text = out.str();
  // Paths of temporary files differ per run; keep only the file name.
  std::string prefix = fs::temp_directory_path().string() + "/socc-test-";
  for (size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at)) {
    size_t slash = text.find('/', at + prefix.size());
    text.erase(at, slash + 1 - at);
  }
  return text;
}

std::vector<std::string> diagnostic_codes(const driver::Compilation& compilation) {
  std::vector<std::string> codes;
  for (const auto& d : compilation.sink.sorted())
    codes.emplace_back(diagnostics::info(d.kind).code);
  return codes;
}

EngineRun::EngineRun(const std::string& source, runtime::EngineOptions options) {
  compilation = compile_source(source);
  REQUIRE_MESSAGE(compilation->ok(), rendered_diagnostics(*compilation));
  engine = std::make_unique<runtime::Engine>(
      compilation->pack, compilation->compiled->eval(),
      [this](const runtime::Alert& alert) { alerts.push_back(alert); },
      [this](std::string_view message) { errors.emplace_back(message); }, options);
  engine->on_malformed([this](const runtime::MalformedLine& line) {
    rejected.push_back(fmt::format("{}:{}:{}", line.source, line.line, line.bytes));
  });
}

std::vector<std::string> EngineRun::fire(const std::string& line) {
  alerts.clear();
  engine->process(line, "events.jsonl", 1);
  std::vector<std::string> names;
  for (const auto& alert : alerts) names.push_back(alert.rule->name);
  return names;
}

CommandResult shell(const std::string& dir, const std::string& command) {
  std::string line = "cd '" + dir + "' && { " + command + " ; } >stdout.txt 2>stderr.txt";
  int status = std::system(line.c_str());
  return {WEXITSTATUS(status), read_file(dir + "/stdout.txt"), read_file(dir + "/stderr.txt")};
}

CommandResult run_socc(const std::string& dir, const std::string& args, const std::string& input) {
  return shell(dir, std::string(SOCC_BINARY) + " " + args + " <" + input);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

}  // namespace socc::testing
