// Unit tests of loading a pack from disk: directory walks that meet broken
// entries, files that are too large or endless, modules that fail to parse,
// and names that several imported modules declare.

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>

#include "test_printers.h"
#include "test_support.h"

using namespace socc;
using namespace socc::testing;
using Codes = std::vector<std::string>;

namespace {

std::unique_ptr<driver::Compilation> compile_paths(const std::vector<std::string>& paths) {
  driver::CompileOptions options;
  options.stdlib_dir = source_dir() + "/stdlib";
  options.generate_code = false;
  return driver::compile_rules(paths, options);
}

const char* kList = "list shells = [\"cmd.exe\"]\n";

}  // namespace

TEST_CASE("a symlink loop in a rule directory is reported and the walk goes on") {
  std::string dir = write_temp_tree({{"a.socc", kList}, {"sub/z.socc", kList}});
  std::filesystem::create_symlink("loop.socc", dir + "/loop.socc");
  std::filesystem::create_symlink("elsewhere", dir + "/dangling.socc");
  std::filesystem::create_directory_symlink("..", dir + "/sub/up");
  auto compilation = compile_paths({dir});
  CHECK(diagnostic_codes(*compilation) == Codes{"E0001", "E0001"});
  std::string text = rendered_diagnostics(*compilation);
  CHECK(text.find("loop.socc': Too many levels of symbolic links") != std::string::npos);
  CHECK(text.find("dangling.socc': No such file or directory") != std::string::npos);
  // Both real files were still loaded, once each.
  CHECK(compilation->program.modules.size() == 2);
}

TEST_CASE("an endless or oversized rule file is rejected without reading it all") {
  auto compilation = compile_paths({"/dev/zero"});
  CHECK(diagnostic_codes(*compilation) == Codes{"E0009"});
  std::string dir = write_temp_tree({});
  compilation = compile_paths({dir});
  CHECK(compilation->ok());
  compilation = compile_paths({dir + "/missing.socc"});
  CHECK(diagnostic_codes(*compilation) == Codes{"E0001"});
  CHECK(rendered_diagnostics(*compilation).find("No such file or directory") != std::string::npos);
}

TEST_CASE("a module with a syntax error is reported once and still exists for importers") {
  std::string dir = write_temp_tree({
      {"lists.socc", "list shells = [\"cmd.exe\",\n"},
      {"rule.socc",
       "import lists\nimport windows.sysmon\n"
       "detection d { id \"1\" title \"t\" severity low on ProcessCreation\n"
       "  where image in shells }\n"},
  });
  auto compilation = compile_paths({dir});
  // One syntax error, and no "no module named 'lists'" or unknown-name
  // errors that would only be consequences of it.
  CHECK(diagnostic_codes(*compilation) == Codes{"E0006"});
}

TEST_CASE("a list declared by two imported modules is ambiguous") {
  std::string dir = write_temp_tree({
      {"a.socc", "list shells = [\"cmd.exe\"]\n"},
      {"b.socc", "list shells = [\"powershell.exe\"]\n"},
      {"rule.socc",
       "import a\nimport b\nimport windows.sysmon\n"
       "detection d { id \"1\" title \"t\" severity low on ProcessCreation\n"
       "  where image in shells }\n"},
  });
  auto compilation = compile_paths({dir});
  CHECK(diagnostic_codes(*compilation) == Codes{"E0102"});
  CHECK(rendered_diagnostics(*compilation).find("'shells' is ambiguous") != std::string::npos);
}

TEST_CASE("a misspelt import suggests a module that exists on disk") {
  auto compilation = compile_source("import windows.sysmn\n", "rule.socc", false);
  CHECK(diagnostic_codes(*compilation) == Codes{"E0101"});
  CHECK(rendered_diagnostics(*compilation).find("did you mean 'windows.sysmon'?") !=
        std::string::npos);
}

TEST_CASE("a keyword where a name belongs says so") {
  auto compilation = compile_source("list on = [1]\n", "rule.socc", false);
  CHECK(diagnostic_codes(*compilation) == Codes{"E0006"});
  CHECK(rendered_diagnostics(*compilation).find("'on' is a keyword") != std::string::npos);
}

TEST_CASE("a float field may be tested against a list mixing ints and floats") {
  auto compilation = compile_source(
      "schema M { ratio: float = \"r\" }\n"
      "detection d { id \"1\" title \"t\" severity low on M where ratio in [1.5, 2] }\n"
      "test d { fires { ratio: 2 } fires { ratio: 1.5 } quiet { ratio: 2.5 } }\n",
      "rule.socc", true);
  REQUIRE(compilation->ok());
  for (const auto& test : compilation->pack.tests) {
    std::vector<socc_slot> slots(compilation->pack.slots.size());
    for (const auto& [slot, value] : test.slot_values) {
      slots[slot].present = 1;
      slots[slot].real = value.float_value;
    }
    CHECK((compilation->compiled->rule(test.rule)(slots.data()) != 0) == test.expect_fire);
  }
}
