// Golden tests of diagnostics: each tests/golden/diagnostics/<name>.socc
// (or <name>.yml, a Sigma rule) is compiled on its own and its rendered diagnostics must equal
// <name>.expected exactly. Run with SOCC_UPDATE_GOLDEN=1 to rewrite the
// expected files after an intended change, then review the diff.

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "compiler/diagnostics/diagnostic.h"
#include "test_support.h"

namespace fs = std::filesystem;
using namespace socc::testing;

TEST_CASE("golden diagnostics match their expected output") {
  fs::path dir = fs::path(source_dir()) / "tests/golden/diagnostics";
  std::vector<fs::path> cases;
  for (const auto& entry : fs::directory_iterator(dir)) {
    auto extension = entry.path().extension();
    if (extension == ".socc" || extension == ".yml") cases.push_back(entry.path());
  }
  std::sort(cases.begin(), cases.end());
  REQUIRE(cases.size() > 0);
  bool update = std::getenv("SOCC_UPDATE_GOLDEN") != nullptr;
  for (const fs::path& path : cases) {
    CAPTURE(path.filename().string());
    auto compilation = compile_source(read_file(path.string()), path.filename().string(), false);
    std::string actual = rendered_diagnostics(*compilation);
    fs::path expected_path = path;
    expected_path.replace_extension(".expected");
    if (update) {
      std::ofstream(expected_path, std::ios::binary) << actual;
      continue;
    }
    REQUIRE_MESSAGE(fs::exists(expected_path), "missing " << expected_path.string());
    CHECK(actual == read_file(expected_path.string()));
  }
}

TEST_CASE("every diagnostic kind has a golden test") {
  fs::path dir = fs::path(source_dir()) / "tests/golden/diagnostics";
  std::string all;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".expected") all += read_file(entry.path().string());
  }
  // Kinds that no single source file can provoke are listed with the
  // reason; everything else must appear in some expected output.
  const std::set<std::string> exempt = {
      "E0001",  // unreadable file: covered by a unit test of the loader
      "E0009",  // file too large: covered by a unit test with a 17 MB file
      "E0109",  // header/path mismatch: needs an imported file outside the
                // stdlib; covered by a unit test with a private stdlib
      "E0304",  // unreadable ATT&CK catalog: covered by a unit test
      "E0208",  // code generation failed: no valid source provokes it
      "E0507",  // unmapped logsource: the default pipeline maps every one;
                // covered by a unit test with a pipeline of its own
      "E0508",  // malformed pipeline: covered by the same unit test
  };
  for (const auto& kind : socc::diagnostics::all_kinds()) {
    std::string code(kind.code);
    if (exempt.count(code)) continue;
    CAPTURE(code);
    CHECK(all.find("[" + code + "]") != std::string::npos);
  }
}
