// Chains of macros and lists are expanded by recursion, so their depth and
// the number of macro uses one condition expands are bounded: a hostile or
// mistaken rule file gets a diagnostic, not a stack overflow or an
// exponential compile.

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>

#include "tests/unit/test_support.h"

using namespace socc::testing;

namespace {

bool has_code(const std::vector<std::string>& codes, const std::string& code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

}  // namespace

TEST_CASE("limits: a chain of 20,000 macros is E0007, not a stack overflow") {
  std::string text = "import windows.sysmon\n";
  const int n = 20000;
  for (int i = 0; i + 1 < n; ++i) text += fmt::format("macro m{}(f: string) = m{}(f)\n", i, i + 1);
  text += fmt::format("macro m{}(f: string) = f contains \"x\"\n", n - 1);
  text += "detection d { id \"x\" title \"t\" severity low on ProcessCreation where m0(image) }\n";
  auto compilation = compile_source(text);
  CHECK(has_code(diagnostic_codes(*compilation), "E0007"));
  CHECK_FALSE(compilation->ok());
}

TEST_CASE("limits: a chain of 20,000 lists is E0007") {
  std::string text = "import windows.sysmon\n";
  const int n = 20000;
  for (int i = 0; i + 1 < n; ++i) text += fmt::format("list l{} = [l{}]\n", i, i + 1);
  text += fmt::format("list l{} = [\"a\"]\n", n - 1);
  text +=
      "detection d { id \"x\" title \"t\" severity low on ProcessCreation where image in l0 }\n";
  auto compilation = compile_source(text);
  CHECK(has_code(diagnostic_codes(*compilation), "E0007"));
}

TEST_CASE("limits: macros that double per level stop at the expansion limit (E0214)") {
  std::string text = "import windows.sysmon\n";
  const int n = 40;  // 2^40 uses if nothing stopped it
  for (int i = 0; i + 1 < n; ++i) {
    text += fmt::format("macro m{}(f: string) = m{}(f) or m{}(f)\n", i, i + 1, i + 1);
  }
  text += fmt::format("macro m{}(f: string) = f contains \"x\"\n", n - 1);
  text += "detection d { id \"x\" title \"t\" severity low on ProcessCreation where m0(image) }\n";
  auto compilation = compile_source(text);
  auto codes = diagnostic_codes(*compilation);
  CHECK(codes == std::vector<std::string>{"E0214"});
  CHECK(rendered_diagnostics(*compilation).find("in the expansion of m0 > m1 > m2") !=
        std::string::npos);
}

TEST_CASE("limits: a macro tree within the limit expands and compiles") {
  // 2^10 = 1,024 uses of the innermost macro: well inside the limit.
  std::string text = "import windows.sysmon\n";
  const int n = 11;
  for (int i = 0; i + 1 < n; ++i) {
    text += fmt::format("macro m{}(f: string) = m{}(f) or m{}(f)\n", i, i + 1, i + 1);
  }
  text += fmt::format("macro m{}(f: string) = f contains \"x\"\n", n - 1);
  text += "detection d { id \"x\" title \"t\" severity low on ProcessCreation where m0(image) }\n";
  auto compilation = compile_source(text);
  CHECK(compilation->ok());
  CHECK(diagnostic_codes(*compilation).empty());
}
