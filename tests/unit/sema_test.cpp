// Unit tests of semantic analysis: the code of each kind of mistake, the
// notes that help fix it, and the facts a correct detection yields.

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "test_printers.h"
#include "test_support.h"

using namespace socc;
using namespace socc::testing;
using Codes = std::vector<std::string>;

namespace {

// A detection on a schema with one field of each type, with `where`.
std::string rule_where(const std::string& where, const std::string& extra = "") {
  return "import windows.sysmon\n"
         "schema Probe {\n"
         "  select \"Event.System.EventID\" == 99\n"
         "  image: string = \"Event.EventData.Image\"\n"
         "  pid: int = \"Event.EventData.ProcessId\"\n"
         "  ratio: float = \"Event.EventData.Ratio\"\n"
         "  elevated: bool = \"Event.EventData.Elevated\"\n"
         "  time: timestamp = \"Event.System.TimeCreated\"\n"
         "}\n"
         "list shells = ['cmd.exe', 'powershell.exe']\n"
         "list ports = [4444, 1337]\n" +
         extra +
         "detection d {\n  id \"id-1\"\n  title \"t\"\n  severity low\n  on Probe\n"
         "  where " +
         where + "\n}\n";
}

Codes codes_of(const std::string& text) {
  return diagnostic_codes(*compile_source(text, "rule.socc", false));
}

// The fixture declares two lists that most conditions do not read; the
// warning about them (W0210) is not what these tests are about.
Codes where_codes(const std::string& where) {
  Codes codes = codes_of(rule_where(where));
  codes.erase(std::remove(codes.begin(), codes.end(), "W0210"), codes.end());
  return codes;
}

// The notes of the only diagnostic of `text`.
std::vector<std::string> notes_of(const std::string& text) {
  auto compilation = compile_source(text, "rule.socc", false);
  REQUIRE(compilation->sink.diagnostics().size() == 1);
  std::vector<std::string> notes;
  for (const auto& note : compilation->sink.diagnostics()[0].notes) {
    notes.push_back(note.message);
  }
  return notes;
}

}  // namespace

TEST_CASE("well-typed conditions are accepted") {
  for (const char* where :
       {"image == 'a'", "image != 'a' and pid > 4", "image contains cs 'A'", "image in shells",
        "image not in ['a', 'b']", "pid in ports", "pid not in [1, 2]", "ratio > 1", "ratio <= 2.5",
        "ratio in [1, 2]", "elevated", "elevated == true", "not elevated", "elevated != false",
        "true", "pid >= -3 or (image endswith 'x')"}) {
    CAPTURE(where);
    CHECK(where_codes(where).empty());
  }
  // An empty list is well-typed but matches nothing: a warning.
  CHECK(where_codes("image in []") == Codes{"W0209"});
}

TEST_CASE("type errors have their codes") {
  CHECK(where_codes("pid == \"4\"") == Codes{"E0202"});
  CHECK(where_codes("image in [1, 2]") == Codes{"E0202"});
  CHECK(where_codes("pid in shells") == Codes{"E0202"});
  CHECK(where_codes("pid > 1.5") == Codes{"E0202"});
  CHECK(where_codes("elevated == 'true'") == Codes{"E0202"});
  CHECK(where_codes("image in 'cmd.exe'") == Codes{"E0202"});
  CHECK(where_codes("image < 'a'") == Codes{"E0203"});
  CHECK(where_codes("pid startswith 1") == Codes{"E0203"});
  CHECK(where_codes("pid == cs 4") == Codes{"E0203"});
  CHECK(where_codes("pid in cs [4]") == Codes{"E0203"});
  CHECK(where_codes("elevated > true") == Codes{"E0203"});
  // A time compares with a time literal, not with its text.
  CHECK(where_codes("time == '2024-01-01T00:00:00Z'") == Codes{"E0202"});
  CHECK(where_codes("time contains '2024'") == Codes{"E0203"});
  CHECK(where_codes("shells == 'a'") == Codes{"E0202"});
  // Membership is for strings and numbers only.
  CHECK(where_codes("elevated in [true]") == Codes{"E0203"});
  CHECK(where_codes("elevated not in [false]") == Codes{"E0203"});
  CHECK(where_codes("time in [2024-01-01T00:00:00Z]") == Codes{"E0203"});
  CHECK(where_codes("image") == Codes{"E0204"});
  CHECK(where_codes("1") == Codes{"E0204"});
  CHECK(where_codes("image and shells") == Codes{"E0204", "E0204"});
  CHECK(where_codes("image in ['a', 1]") == Codes{"E0205"});
  CHECK(where_codes("pid == parent_pid") == Codes{"E0104"});
  // Two fields compare when they have one type; constants go on the right.
  CHECK(where_codes("pid == ratio") == Codes{"E0202"});
  CHECK(where_codes("'a' == image") == Codes{"E0202"});
  CHECK(where_codes("'a' in shells") == Codes{"E0202"});
  CHECK(where_codes("lower(imag) == 'a'") == Codes{"E0104"});
  CHECK(where_codes("lowercase(image) == 'a'") == Codes{"E0108"});
  CHECK(where_codes("imgae == 'a'") == Codes{"E0104"});
  CHECK(where_codes("event.image == 'a'") == Codes{"E0105"});
  // Every mistake of one condition is reported.
  CHECK(where_codes("pid == 'a' or image > 'b' or nope == 1") == Codes{"E0202", "E0203", "E0104"});
}

TEST_CASE("schema, list and parameter types are checked") {
  CHECK(codes_of("schema S {\n  n: integer = \"N\"\n}\n") == Codes{"E0201"});
  CHECK(notes_of("schema S {\n  n: strng = \"N\"\n}\n") ==
        std::vector<std::string>{"did you mean 'string'?"});
  CHECK(codes_of("action a(x: text) {\n  risk notification\n}\n") == Codes{"E0201"});
  CHECK(codes_of("list l = [1, 'a', 2]\n") == Codes{"E0205"});
  CHECK(codes_of("schema S {\n  n: int = \"N\"\n  n: int = \"M\"\n}\n") == Codes{"E0102"});
}

TEST_CASE("did-you-mean notes name the intended declaration") {
  CHECK(notes_of(rule_where("imag == 'a'")) == std::vector<std::string>{"did you mean 'image'?"});
  // Lists are candidates too.
  CHECK(notes_of(rule_where("image in shell")) ==
        std::vector<std::string>{"did you mean 'shells'?"});
  CHECK(notes_of("import windows.sysmon\ndetection d {\n  id \"i\"\n  title \"t\"\n"
                 "  severity low\n  on ProcesCreation\n  where image == 'a'\n}\n") ==
        std::vector<std::string>{"did you mean 'ProcessCreation'?"});
  CHECK(notes_of("import windows.sysmon\ndetection d {\n  id \"i\"\n  title \"t\"\n"
                 "  severity hgh\n  on ProcessCreation\n  where image == 'a'\n}\n") ==
        std::vector<std::string>{"did you mean 'high'?"});
  CHECK(notes_of("import windows.sysmon\ndetection d {\n  id \"i\"\n  title \"t\"\n"
                 "  severity high\n  refrences \"x\"\n  on ProcessCreation\n"
                 "  where image == 'a'\n}\n") ==
        std::vector<std::string>{"did you mean 'references'?"});
  CHECK(notes_of("import response.actions\nplaybook p {\n"
                 "  step s = notfy(channel: \"c\", text: alert.title)\n}\n") ==
        std::vector<std::string>{"did you mean 'notify'?"});
  // No suggestion when nothing is close.
  CHECK(notes_of(rule_where("hostname == 'a'")).empty());
}

TEST_CASE("a misspelt argument gets a note and a missing one is reported") {
  auto compilation = compile_source(
      "import response.actions\nplaybook p {\n"
      "  step s = notify(chanel: \"c\", text: alert.title)\n}\n",
      "rule.socc", false);
  CHECK(diagnostic_codes(*compilation) == Codes{"E0207", "E0207"});
  bool noted = false;
  for (const auto& d : compilation->sink.diagnostics()) {
    for (const auto& note : d.notes) noted |= note.message == "did you mean 'channel'?";
  }
  CHECK(noted);
}

TEST_CASE("a revoked technique names its replacement") {
  std::string text = rule_where("image == 'a'");
  text.insert(text.find("  on Probe"), "  attack T1004\n");
  auto compilation = compile_source(text, "rule.socc", false);
  REQUIRE(compilation->sink.diagnostics().size() == 1);
  const auto& d = compilation->sink.diagnostics()[0];
  CHECK(diagnostics::info(d.kind).code == "E0302");
  CHECK(d.message == "ATT&CK technique 'T1004' (Winlogon Helper DLL) was revoked");
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0].message == "it was replaced by 'T1547.004'");
  REQUIRE(d.fixits.size() == 1);
  CHECK(d.fixits[0].replacement == "T1547.004");
  CHECK(compilation->sources.text(d.span.file_id).substr(d.span.begin, 5) == "T1004");
}

TEST_CASE("a deprecated technique is a warning, an error under --werror") {
  // The condition reads both lists of the fixture, so W0303 is the only
  // warning.
  std::string text = rule_where("image in shells or pid in ports");
  text.insert(text.find("  on Probe"), "  attack T1043, T1059.001\n");
  auto compilation = compile_source(text, "rule.socc", false);
  CHECK(diagnostic_codes(*compilation) == Codes{"W0303"});
  CHECK(compilation->ok());
  CHECK(compilation->sink.warning_count() == 1);
  CHECK(compilation->sink.diagnostics()[0].severity == diagnostics::Severity::Warning);
  // The technique still counts for the detection.
  REQUIRE(compilation->program.detections.size() == 1);
  const auto& techniques = compilation->program.detections[0].techniques;
  REQUIRE(techniques.size() == 2);
  CHECK(techniques[0]->id == "T1043");
  CHECK(techniques[1]->name == "PowerShell");

  std::string dir = write_temp_tree({{"rule.socc", text}});
  driver::CompileOptions options;
  options.stdlib_dir = source_dir() + "/stdlib";
  options.warnings_as_errors = true;
  auto strict = driver::compile_rules({dir + "/rule.socc"}, options);
  CHECK_FALSE(strict->ok());
  CHECK(strict->sink.diagnostics()[0].severity == diagnostics::Severity::Error);
}

TEST_CASE("unknown and malformed technique ids") {
  for (const char* id : {"T1059.999", "T0001"}) {
    std::string text = rule_where("image == 'a'");
    text.insert(text.find("  on Probe"), std::string("  attack ") + id + "\n");
    CHECK(codes_of(text) == Codes{"E0301"});
  }
  std::string text = rule_where("image == 'a'");
  text.insert(text.find("  on Probe"), "  attack execution, T59\n");
  CHECK(codes_of(text) == Codes{"E0403", "E0403"});
}

TEST_CASE("a required item with a malformed value is not also reported missing") {
  std::string text = rule_where("image == 'a'");
  text.replace(text.find("  id \"id-1\""), 11, "  id \"a\", \"b\"");
  CHECK(codes_of(text) == Codes{"E0403"});
  text = rule_where("image == 'a'");
  text.replace(text.find("  title \"t\""), 11, "  title t");
  CHECK(codes_of(text) == Codes{"E0403"});
  text = rule_where("image == 'a'");
  text.replace(text.find("  severity low"), 14, "  severity \"low\"");
  CHECK(codes_of(text) == Codes{"E0403"});
  text = rule_where("image == 'a'");
  text.replace(text.find("  severity low"), 14, "  severity lo");
  CHECK(codes_of(text) == Codes{"E0403"});
}

TEST_CASE("a duplicate clause and the file's other mistakes are reported in one run") {
  std::string text = rule_where("imgae == 'a'");
  text.insert(text.find("  on Probe"), "  on Probe\n");
  CHECK(codes_of(text) == Codes{"E0405", "E0104"});
}

TEST_CASE("a checked detection carries its metadata") {
  std::string text = rule_where("image == 'a'");
  text.insert(text.find("  on Probe"),
              "  author \"a\", \"b\"\n  status stable\n  attack T1059.001\n"
              "  references \"https://example.org\"\n  description \"d\"\n");
  auto compilation = compile_source(text, "rule.socc", false);
  REQUIRE(compilation->ok());
  const auto& detection = compilation->program.detections.at(0);
  CHECK(detection.rule_id == "id-1");
  CHECK(detection.title == "t");
  CHECK(detection.description == "d");
  CHECK(detection.authors == std::vector<std::string>{"a", "b"});
  CHECK(detection.references == std::vector<std::string>{"https://example.org"});
  CHECK(detection.status == "stable");
  CHECK(detection.severity == sema::Severity::Low);
  REQUIRE(detection.schema != nullptr);
  CHECK(detection.schema->name.text == "Probe");
  // `test` is a keyword, and a status.
  text = rule_where("image == 'a'");
  text.insert(text.find("  on Probe"), "  status test\n");
  compilation = compile_source(text, "rule.socc", false);
  REQUIRE(compilation->ok());
  CHECK(compilation->program.detections.at(0).status == "test");
}

TEST_CASE("playbook event fields must exist with one type in every responder") {
  std::string text =
      "import response.actions\n"
      "schema A {\n  select \"K\" == 1\n  pid: int = \"P\"\n  user: string = \"U\"\n}\n"
      "schema B {\n  select \"K\" == 2\n  pid: string = \"P\"\n}\n"
      "playbook p {\n  step k = kill_process(host: alert.host, pid: event.pid)\n}\n"
      "detection a {\n  id \"1\"\n  title \"a\"\n  severity low\n  on A\n  where pid == 1\n"
      "  respond p\n}\n"
      "detection b {\n  id \"2\"\n  title \"b\"\n  severity low\n  on B\n  where pid == '1'\n"
      "  respond p\n}\n";
  auto compilation = compile_source(text, "rule.socc", false);
  CHECK(diagnostic_codes(*compilation) == Codes{"E0407"});
  CHECK(compilation->sink.diagnostics()[0].message.find(
            "event field 'pid' is not an int field of schema 'B'") != std::string::npos);
}

TEST_CASE("a name two imports declare is ambiguous until qualified") {
  std::string text =
      "import windows.sysmon\nimport windows.security\ndetection d {\n  id \"i\"\n"
      "  title \"t\"\n  severity low\n  on ProcessCreation\n  where command_line == 'a'\n}\n";
  CHECK(codes_of(text) == Codes{"E0102"});
  text.replace(text.find("on ProcessCreation"), 18, "on windows.security.ProcessCreation");
  auto compilation = compile_source(text, "rule.socc", false);
  REQUIRE(compilation->ok());
  const ast::SchemaDecl* schema = compilation->program.detections.at(0).schema;
  REQUIRE(schema != nullptr);
  CHECK(schema->field("new_process_name") != nullptr);
}

TEST_CASE("imports are not transitive") {
  std::string dir =
      write_temp_tree({{"helpers.socc", "import windows.sysmon\nlist shells = ['cmd.exe']\n"},
                       {"main.socc",
                        "import helpers\ndetection d {\n  id \"i\"\n  title \"t\"\n"
                        "  severity low\n  on ProcessCreation\n  where image in shells\n}\n"}});
  driver::CompileOptions options;
  options.stdlib_dir = source_dir() + "/stdlib";
  options.generate_code = false;
  auto compilation = driver::compile_rules({dir}, options);
  CHECK(diagnostic_codes(*compilation) == Codes{"E0103"});
}

TEST_CASE("an imported file whose header names another module gives E0109") {
  namespace fs = std::filesystem;
  // A private stdlib: the real ATT&CK catalog and one module with a wrong
  // header.
  std::string stdlib = write_temp_tree({{"net/dns.socc", "module net.resolver\nlist l = [1]\n"}});
  fs::create_directory_symlink(source_dir() + "/stdlib/attack", stdlib + "/attack");
  std::string rules = write_temp_tree({{"r.socc", "import net.dns\n"}});
  driver::CompileOptions options;
  options.stdlib_dir = stdlib;
  auto compilation = driver::compile_rules({rules + "/r.socc"}, options);
  CHECK(diagnostic_codes(*compilation) == Codes{"E0101", "E0109"});
  CHECK(rendered_diagnostics(*compilation).find("declares module 'net.resolver'") !=
        std::string::npos);
}
