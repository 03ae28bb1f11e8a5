// libFuzzer target: the input is the text of one rule source file. It goes
// through the parser alone, and, when it parses, through the whole front end
// (loading, imports, sema, lowering) without code generation. Every
// diagnostic is rendered, so spans and carets are checked too. Nothing may
// crash, leak or hang, whatever the bytes.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "compiler/diagnostics/render.h"
#include "compiler/driver/compilation.h"
#include "compiler/parse/parse.h"

namespace {

// One private directory per process; the input is written to the same file
// every time.
const std::string& temp_file() {
  static const std::string path = [] {
    const char* tmp = std::getenv("TMPDIR");
    // mkdtemp replaces the six trailing X's with a unique suffix.
    std::string pattern =
        std::string(tmp && *tmp ? tmp : "/tmp") + "/socc-fuzz-parse-" + std::string(6, 'X');
    if (!mkdtemp(pattern.data())) {
      std::perror("socc fuzz: mkdtemp");
      std::abort();
    }
    static std::string directory = pattern;
    std::atexit([] {
      std::error_code ignored;
      std::filesystem::remove_all(directory, ignored);
    });
    return pattern + "/fuzz.socc";
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);

  // The parser on its own.
  socc::diagnostics::SourceManager sources;
  socc::diagnostics::DiagnosticSink sink;
  socc::diagnostics::FileId id = sources.add("fuzz.socc", text);
  auto module = socc::parse::parse_module(sources, id, sink);
  std::string rendered;
  for (const auto& diagnostic : sink.diagnostics()) {
    rendered += socc::diagnostics::render_text(diagnostic, sources);
    rendered += socc::diagnostics::render_json(diagnostic, sources);
  }
  if (!module) return 0;

  // The whole front end through the driver, as `socc build` runs it.
  {
    std::ofstream out(temp_file(), std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!out) {
      std::perror("socc fuzz: cannot write the input file");
      std::abort();
    }
  }
  socc::driver::CompileOptions options;
  options.stdlib_dir = SOCC_SOURCE_DIR "/stdlib";
  options.generate_code = false;
  auto compilation = socc::driver::compile_rules({temp_file()}, options);
  std::ostringstream printed;
  socc::driver::print_diagnostics(*compilation, socc::driver::DiagnosticFormat::Text, printed);
  socc::driver::print_diagnostics(*compilation, socc::driver::DiagnosticFormat::Json, printed);
  return 0;
}
