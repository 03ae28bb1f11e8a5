// End-to-end tests of condition semantics through the generated code: each
// rule is compiled with the real pipeline and its function is called on
// hand-built slots (docs/language.md §7).

#include <doctest/doctest.h>

#include <optional>

#include "test_support.h"

using namespace socc;
using namespace socc::testing;

namespace {

// Values of the probe schema's fields; nullopt is missing.
struct Event {
  std::optional<std::string> image;
  std::optional<int64_t> pid;
  std::optional<double> ratio;
  std::optional<bool> elevated;
};

const char* kSchema =
    "schema Probe {\n"
    "  select \"Event.System.EventID\" == 99\n"
    "  image: string = \"Event.EventData.Image\"\n"
    "  pid: int = \"Event.EventData.ProcessId\"\n"
    "  ratio: float = \"Event.EventData.Ratio\"\n"
    "  elevated: bool = \"Event.EventData.Elevated\"\n"
    "}\n"
    "list shells = ['cmd.exe', 'PowerShell.exe']\n"
    "list ports = [4444, -1]\n";

// One compiled rule on the probe schema.
class Rule {
 public:
  explicit Rule(const std::string& where) {
    compilation_ = compile_source(std::string(kSchema) +
                                  "detection d {\n  id \"i\"\n  title \"t\"\n  severity low\n"
                                  "  on Probe\n  where " +
                                  where + "\n}\n");
    REQUIRE_MESSAGE(compilation_->ok(), rendered_diagnostics(*compilation_));
    REQUIRE(compilation_->compiled);
  }

  bool operator()(const Event& event) const {
    const ir::Pack& pack = compilation_->pack;
    std::vector<socc_slot> slots(pack.slots.size() + 1);
    for (size_t i = 0; i < pack.slots.size(); ++i) {
      socc_slot& slot = slots[i];
      const std::string& path = pack.slots[i].path;
      if (path == "Event.EventData.Image" && event.image) {
        slot.data = event.image->data();
        slot.size = event.image->size();
        slot.present = 1;
      } else if (path == "Event.EventData.ProcessId" && event.pid) {
        slot.integer = *event.pid;
        slot.real = static_cast<double>(*event.pid);
        slot.present = 1;
      } else if (path == "Event.EventData.Ratio" && event.ratio) {
        slot.real = *event.ratio;
        slot.present = 1;
      } else if (path == "Event.EventData.Elevated" && event.elevated) {
        slot.boolean = *event.elevated;
        slot.present = 1;
      }
    }
    uint8_t result = compilation_->compiled->rule(0)(slots.data());
    REQUIRE(result <= 1);
    return result == 1;
  }

 private:
  std::unique_ptr<driver::Compilation> compilation_;
};

Event image(const std::string& value) {
  return {value, {}, {}, {}};
}
Event pid(int64_t value) {
  return {{}, value, {}, {}};
}
Event ratio(double value) {
  return {{}, {}, value, {}};
}
Event elevated(bool value) {
  return {{}, {}, {}, value};
}
const Event kEmpty;

}  // namespace

TEST_CASE("a comparison with a missing field is false and `not` makes it true") {
  CHECK_FALSE(Rule("image == 'x'")(kEmpty));
  CHECK_FALSE(Rule("image != 'x'")(kEmpty));
  CHECK(Rule("not image == 'x'")(kEmpty));
  CHECK(Rule("not image != 'x'")(kEmpty));
  CHECK_FALSE(Rule("image contains ''")(kEmpty));
  CHECK_FALSE(Rule("pid != 0")(kEmpty));
  CHECK_FALSE(Rule("pid < 0 or pid >= 0")(kEmpty));
  CHECK_FALSE(Rule("ratio != 1.5")(kEmpty));
  CHECK_FALSE(Rule("elevated != true")(kEmpty));
  CHECK_FALSE(Rule("elevated")(kEmpty));
  CHECK(Rule("not elevated")(kEmpty));
  CHECK_FALSE(Rule("image in shells")(kEmpty));
  // Present fields behave as expected.
  CHECK(Rule("image != 'x'")(image("y")));
  CHECK_FALSE(Rule("image != 'x'")(image("X")));
  CHECK(Rule("image contains ''")(image("")));
}

// docs/language.md §7: "Every comparison with a missing field is false,
// including `!=` and `not in`".
TEST_CASE("`not in` with a missing field is false") {
  CHECK_FALSE(Rule("image not in ['a']")(kEmpty));
  CHECK_FALSE(Rule("image not in cs shells")(kEmpty));
  CHECK_FALSE(Rule("pid not in [1]")(kEmpty));
  CHECK_FALSE(Rule("ratio not in [1.5]")(kEmpty));
  CHECK(Rule("not image in ['a']")(kEmpty));
}

TEST_CASE("string comparisons ignore ASCII case unless `cs`") {
  CHECK(Rule("image == 'cmd.exe'")(image("CMD.EXE")));
  CHECK(Rule("image == 'CMD.exe'")(image("cmd.EXE")));
  CHECK_FALSE(Rule("image == cs 'cmd.exe'")(image("CMD.EXE")));
  CHECK(Rule("image == cs 'CMD.EXE'")(image("CMD.EXE")));
  CHECK(Rule("image != cs 'cmd.exe'")(image("CMD.EXE")));
  CHECK_FALSE(Rule("image != 'cmd.exe'")(image("CMD.EXE")));
  CHECK(Rule("image contains '\\SYSTEM32\\'")(image("c:\\windows\\system32\\cmd.exe")));
  CHECK_FALSE(Rule("image contains cs '\\SYSTEM32\\'")(image("c:\\windows\\system32\\x")));
  CHECK(Rule("image startswith 'C:\\Windows'")(image("c:\\WINDOWS\\x")));
  CHECK_FALSE(Rule("image startswith cs 'C:\\Windows'")(image("c:\\WINDOWS\\x")));
  CHECK(Rule("image endswith '\\Cmd.exe'")(image("C:\\x\\cmd.EXE")));
  CHECK(Rule("image endswith cs '\\Cmd.exe'")(image("C:\\x\\Cmd.exe")));
  CHECK_FALSE(Rule("image endswith cs '\\Cmd.exe'")(image("C:\\x\\cmd.exe")));
  // Only ASCII folds.
  CHECK_FALSE(Rule("image == \"\\u{C9}t\\u{C9}\"")(image("\xC3\xA9T\xC3\xA9")));
  CHECK(Rule("image == \"\\u{C9}t\\u{C9}\"")(image("\xC3\x89T\xC3\x89")));
  // Escapes reach the code: a NUL inside a string is one byte.
  CHECK(Rule("image == \"a\\0b\"")(image(std::string("A\0B", 3))));
  CHECK_FALSE(Rule("image == \"a\\0b\"")(image("a")));
}

TEST_CASE("`in` lists of strings and ints, negated and case-sensitive") {
  CHECK(Rule("image in shells")(image("POWERSHELL.EXE")));
  CHECK(Rule("image in ['cmd.exe', 'pwsh.exe']")(image("Pwsh.Exe")));
  CHECK_FALSE(Rule("image in shells")(image("cmd.exe ")));
  CHECK_FALSE(Rule("image in cs shells")(image("powershell.exe")));
  CHECK(Rule("image in cs shells")(image("PowerShell.exe")));
  CHECK_FALSE(Rule("image not in shells")(image("CMD.exe")));
  CHECK(Rule("image not in shells")(image("pwsh.exe")));
  CHECK(Rule("image not in cs ['A']")(image("a")));
  CHECK_FALSE(Rule("image in []")(image("")));
  CHECK(Rule("pid in ports")(pid(4444)));
  CHECK(Rule("pid in ports")(pid(-1)));
  CHECK_FALSE(Rule("pid in ports")(pid(4445)));
  CHECK(Rule("pid not in [1, 2, 3]")(pid(4)));
  CHECK_FALSE(Rule("pid not in [1, 2, 3]")(pid(2)));
  CHECK(Rule("ratio in [2.5, 1.0]")(ratio(2.5)));
  CHECK(Rule("ratio in [1, 2]")(ratio(1.0)));
  CHECK_FALSE(Rule("ratio in [1, 2]")(ratio(1.5)));
  CHECK(Rule("ratio not in [1, 2]")(ratio(1.5)));
}

TEST_CASE("int ordering is signed and exact") {
  CHECK(Rule("pid > 4")(pid(5)));
  CHECK_FALSE(Rule("pid > 4")(pid(4)));
  CHECK(Rule("pid >= 4")(pid(4)));
  CHECK(Rule("pid < 0")(pid(-5)));
  CHECK_FALSE(Rule("pid < -5")(pid(-5)));
  CHECK(Rule("pid <= -5")(pid(-5)));
  CHECK(Rule("pid == 0x3e7")(pid(999)));
  CHECK(Rule("pid > -9223372036854775808")(pid(INT64_MIN + 1)));
  CHECK_FALSE(Rule("pid > -9223372036854775808")(pid(INT64_MIN)));
  CHECK(Rule("pid == 9223372036854775807")(pid(INT64_MAX)));
  // Beyond 2^53 an int is not rounded through a double.
  CHECK_FALSE(Rule("pid == 9007199254740993")(pid(9007199254740992)));
}

TEST_CASE("float fields compare with int and float literals") {
  CHECK(Rule("ratio > 1")(ratio(1.5)));
  CHECK_FALSE(Rule("ratio > 1")(ratio(1.0)));
  CHECK(Rule("ratio == 2")(ratio(2.0)));
  CHECK(Rule("ratio <= 2.5")(ratio(2.5)));
  CHECK(Rule("ratio < -0.25")(ratio(-0.5)));
  CHECK(Rule("ratio != 2")(ratio(2.000001)));
}

TEST_CASE("bool fields") {
  CHECK(Rule("elevated")(elevated(true)));
  CHECK_FALSE(Rule("elevated")(elevated(false)));
  CHECK(Rule("elevated == false")(elevated(false)));
  CHECK(Rule("elevated != true")(elevated(false)));
  CHECK(Rule("not elevated")(elevated(false)));
  CHECK_FALSE(Rule("not elevated")(elevated(true)));
}

TEST_CASE("boolean logic, precedence and literals") {
  Event both{std::string("b"), 2, {}, {}};
  // `not` binds tighter than `and`: (not image == 'a') and pid == 1.
  CHECK_FALSE(Rule("not image == 'a' and pid == 1")(both));
  CHECK(Rule("not (image == 'a' and pid == 1)")(both));
  // `and` binds tighter than `or`.
  CHECK(Rule("image == 'b' or pid == 1 and pid == 3")(both));
  CHECK_FALSE(Rule("(image == 'b' or pid == 1) and pid == 3")(both));
  CHECK(Rule("image == 'b' and (pid == 1 or pid == 2) and not elevated")(both));
  CHECK(Rule("true")(kEmpty));
  CHECK_FALSE(Rule("false")(kEmpty));
  CHECK_FALSE(Rule("not true or false")(kEmpty));
  CHECK(Rule("not not pid == 2")(both));
}
