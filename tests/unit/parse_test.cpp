// Unit tests of lexing and parsing: literals, lexical errors, and inputs
// built to exhaust the stack or memory.

#include "compiler/parse/parse.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>

#include "compiler/parse/literals.h"
#include "test_printers.h"
#include "test_support.h"

using namespace socc;
using namespace socc::testing;

namespace {

struct Parsed {
  diagnostics::SourceManager sources;
  diagnostics::DiagnosticSink sink;
  std::unique_ptr<ast::Module> module;
};

std::unique_ptr<Parsed> parse_text(const std::string& text) {
  auto parsed = std::make_unique<Parsed>();
  diagnostics::FileId id = parsed->sources.add("p.socc", text);
  parsed->module = parse::parse_module(parsed->sources, id, parsed->sink);
  return parsed;
}

// The items of `list l = [...]` written with `items`.
std::vector<ast::Literal> list_items(const std::string& items) {
  auto parsed = parse_text("list l = [" + items + "]\n");
  REQUIRE(parsed->sink.diagnostics().empty());
  REQUIRE(parsed->module);
  REQUIRE(parsed->module->lists.size() == 1);
  std::vector<ast::Literal> literals;
  for (const auto& element : parsed->module->lists[0]->elements) {
    REQUIRE(element->kind == ast::ExprKind::Literal);
    literals.push_back(element->literal);
  }
  return literals;
}

std::vector<std::string> parse_codes(const std::string& text) {
  auto parsed = parse_text(text);
  std::vector<std::string> codes;
  for (const auto& d : parsed->sink.diagnostics()) {
    codes.emplace_back(diagnostics::info(d.kind).code);
  }
  // Lexical and syntax errors drop the module; a bad literal keeps it, so
  // that the file's other mistakes are still found.
  bool literal_only = !codes.empty() && std::all_of(codes.begin(), codes.end(),
                                                    [](const auto& c) { return c == "E0008"; });
  if (!codes.empty()) CHECK((parsed->module == nullptr) == !literal_only);
  return codes;
}

std::optional<std::string> decoded(std::string_view token) {
  size_t error = 0;
  return parse::decode_string(token, &error);
}

const char* kHeader =
    "import windows.sysmon\n"
    "detection d {\n  id \"x\"\n  title \"t\"\n  severity low\n  on ProcessCreation\n";

}  // namespace

TEST_CASE("decode_string: escapes of \"...\" strings") {
  CHECK(decoded(R"("a\\b\"c\'d")") == "a\\b\"c'd");
  CHECK(decoded(R"("\n\r\t")") == "\n\r\t");
  CHECK(decoded(R"("\0")") == std::string(1, '\0'));
  CHECK(decoded(R"("\x41\x7a")") == "Az");
  CHECK(decoded(R"("\u{e9}\u{1F600}")") == "\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(decoded(R"("")") == "");

  size_t error = 0;
  CHECK_FALSE(parse::decode_string(R"("C:\Windows")", &error));
  CHECK(error == 3);  // the backslash, counted from the opening quote
  for (const char* bad : {R"("\x4")", R"("\xZZ")", R"("\u{D800}")", R"("\u{110000}")", R"("\u{}")",
                          R"("\u{1234567}")", R"("\u0041")", R"("\q")"}) {
    CAPTURE(bad);
    CHECK_FALSE(decoded(bad));
  }
}

TEST_CASE("decode_string: raw '...' strings take backslashes literally") {
  CHECK(decoded(R"('C:\Windows\System32')") == "C:\\Windows\\System32");
  CHECK(decoded("'it''s'") == "it's");
  CHECK(decoded("''''") == "'");
  CHECK(decoded(R"('\n')") == "\\n");
}

TEST_CASE("decode_int: decimal, hexadecimal and the int64 range") {
  CHECK(parse::decode_int("0", false) == std::optional<int64_t>(0));
  CHECK(parse::decode_int("4688", false) == std::optional<int64_t>(4688));
  CHECK(parse::decode_int("0x3e7", false) == std::optional<int64_t>(999));
  CHECK(parse::decode_int("0xFF", true) == std::optional<int64_t>(-255));
  CHECK(parse::decode_int("9223372036854775807", false) == std::optional<int64_t>(INT64_MAX));
  CHECK(parse::decode_int("9223372036854775808", true) == std::optional<int64_t>(INT64_MIN));
  CHECK_FALSE(parse::decode_int("9223372036854775808", false));
  CHECK_FALSE(parse::decode_int("9223372036854775809", true));
  CHECK_FALSE(parse::decode_int("0x8000000000000000", false));
  CHECK_FALSE(parse::decode_int("99999999999999999999999", false));
}

TEST_CASE("literals reach the AST with their values") {
  auto items = list_items(R"("tab\there", 'C:\Temp\', 'O''Brien', "\u{263A}")");
  REQUIRE(items.size() == 4);
  CHECK(items[0].kind == ast::LiteralKind::String);
  CHECK(items[0].string_value == "tab\there");
  CHECK(items[1].string_value == "C:\\Temp\\");
  CHECK(items[2].string_value == "O'Brien");
  CHECK(items[3].string_value == "\xE2\x98\xBA");

  // Adjacent literals of either kind form one string, across lines.
  items = list_items("\"a \\\\\" 'C:\\Temp'\n   \"\\t!\", 'x'");
  REQUIRE(items.size() == 2);
  CHECK(items[0].string_value == "a \\C:\\Temp\t!");
  CHECK(items[1].string_value == "x");

  items = list_items("0x10, -5, 9223372036854775807, -9223372036854775808");
  REQUIRE(items.size() == 4);
  CHECK(items[0].kind == ast::LiteralKind::Int);
  CHECK(items[0].int_value == 16);
  CHECK(items[1].int_value == -5);
  CHECK(items[2].int_value == INT64_MAX);
  CHECK(items[3].int_value == INT64_MIN);

  items = list_items("1.5, -0.25, true, false,");
  REQUIRE(items.size() == 4);
  CHECK(items[0].kind == ast::LiteralKind::Float);
  CHECK(items[0].float_value == 1.5);
  CHECK(items[1].float_value == -0.25);
  CHECK(items[2].kind == ast::LiteralKind::Bool);
  CHECK(items[2].bool_value);
  CHECK_FALSE(items[3].bool_value);
}

TEST_CASE("malformed literals are E0008 at the literal") {
  auto parsed = parse_text("list l = [1, 9223372036854775808]\n");
  REQUIRE(parsed->sink.diagnostics().size() == 1);
  const auto& d = parsed->sink.diagnostics()[0];
  CHECK(d.kind == diagnostics::Kind::InvalidLiteral);
  CHECK(d.span.begin == 13);
  CHECK(d.span.end == 32);
  CHECK(parsed->module != nullptr);

  CHECK(parse_codes("list l = [-9223372036854775809]\n") == std::vector<std::string>{"E0008"});
  CHECK(parse_codes("list l = [0xFFFFFFFFFFFFFFFFF]\n") == std::vector<std::string>{"E0008"});
  parsed = parse_text("list l = [\"ok\", \"bad\\q\"]\n");
  REQUIRE(parsed->sink.diagnostics().size() == 1);
  CHECK(parsed->sink.diagnostics()[0].kind == diagnostics::Kind::InvalidLiteral);
  CHECK(parsed->sink.diagnostics()[0].span.begin == 20);  // the backslash
}

TEST_CASE("lexical errors: unterminated string, stray character, NUL, bad UTF-8") {
  auto parsed = parse_text("list l = [\"abc\n");
  REQUIRE_FALSE(parsed->sink.diagnostics().empty());
  CHECK(parsed->sink.diagnostics()[0].kind == diagnostics::Kind::UnterminatedString);
  CHECK(parsed->sink.diagnostics()[0].span.begin == 10);
  CHECK(parse_codes("list l = ['abc]\n")[0] == "E0004");

  parsed = parse_text("list l = [1] ;\n");
  REQUIRE_FALSE(parsed->sink.diagnostics().empty());
  CHECK(parsed->sink.diagnostics()[0].kind == diagnostics::Kind::StrayCharacter);
  CHECK(parsed->sink.diagnostics()[0].span.begin == 13);
  CHECK(parsed->sink.diagnostics()[0].message == "unexpected character ';'");

  CHECK(parse_codes(std::string("list l = [1]\n//\0\n", 17)) == std::vector<std::string>{"E0003"});
  CHECK(parse_codes("list l = ['\xFF']\n") == std::vector<std::string>{"E0002"});
  // Overlong encodings and UTF-16 surrogates are not UTF-8.
  CHECK(parse_codes("// \xC0\xAF\n") == std::vector<std::string>{"E0002"});
  CHECK(parse_codes("// \xED\xA0\x80\n") == std::vector<std::string>{"E0002"});
  CHECK(parse_codes("// \xF4\x90\x80\x80\n") == std::vector<std::string>{"E0002"});
  // Both kinds in one file are both reported.
  CHECK(parse_codes(std::string("\xFE \0", 3)) == std::vector<std::string>{"E0002", "E0003"});
  // Valid multi-byte text is fine, and spans after it are byte offsets.
  parsed = parse_text("// caf\xC3\xA9 \xF0\x9F\x98\x80\nlist l = [1] ;\n");
  REQUIRE(parsed->sink.diagnostics().size() == 1);
  CHECK(parsed->sink.diagnostics()[0].span.begin == 27);
}

TEST_CASE("100000 nested parentheses give E0007, not a stack overflow") {
  std::string text = kHeader + std::string("  where ") + std::string(100000, '(') + "image == 'a'" +
                     std::string(100000, ')') + "\n}\n";
  auto compilation = compile_source(text, "rule.socc", false);
  CHECK(diagnostic_codes(*compilation) == std::vector<std::string>{"E0007"});
}

TEST_CASE("100000 `not`s give E0007, not a stack overflow") {
  std::string nots;
  for (int i = 0; i < 100000; ++i) nots += "not ";
  std::string text = kHeader + std::string("  where ") + nots + "image == 'a'\n}\n";
  auto compilation = compile_source(text, "rule.socc", false);
  CHECK(diagnostic_codes(*compilation) == std::vector<std::string>{"E0007"});
}

TEST_CASE("alternating `not (` counts both towards the nesting limit") {
  std::string opening;
  for (int i = 0; i < 200; ++i) opening += "not (";
  std::string text = kHeader + std::string("  where ") + opening + "image == 'a'" +
                     std::string(200, ')') + "\n}\n";
  auto compilation = compile_source(text, "rule.socc", false);
  CHECK(diagnostic_codes(*compilation) == std::vector<std::string>{"E0007"});
  // A flat chain of negations is not nesting.
  std::string flat = "not image == 'a'";
  for (int i = 0; i < 2000; ++i) flat += " and not image == 'a'";
  compilation =
      compile_source(kHeader + std::string("  where ") + flat + "\n}\n", "rule.socc", false);
  CHECK(compilation->ok());
}

TEST_CASE("nesting just under the limit still parses") {
  std::string text = kHeader + std::string("  where ") + std::string(250, '(') + "image == 'a'" +
                     std::string(250, ')') + "\n}\n";
  auto compilation = compile_source(text, "rule.socc", false);
  CHECK(compilation->ok());
}

namespace {

std::string and_chain(int count) {
  std::string where = "pid != 0";
  for (int i = 1; i < count; ++i) where += " and pid != " + std::to_string(i);
  return kHeader + std::string("  where ") + where + "\n}\n";
}

}  // namespace

TEST_CASE("a chain of 50000 `and`s parses into one n-ary node") {
  auto compilation = compile_source(and_chain(50000), "rule.socc", false);
  REQUIRE(compilation->ok());
  const ast::Expr& condition = *compilation->program.detections.at(0).decl->where;
  CHECK(condition.kind == ast::ExprKind::And);
  CHECK(condition.args.size() == 50000);
  REQUIRE(compilation->pack.rules.size() == 1);
  CHECK(compilation->pack.rules[0].condition.kind == ir::NodeKind::And);
  CHECK(compilation->pack.rules[0].condition.children.size() == 50000);
}

// Code generation of long chains is quadratic in LLVM (see the report of
// this test's author): 50000 operands take minutes, so the generated code
// is checked on a shorter chain.
TEST_CASE("a long `and` chain compiles to code that evaluates it") {
  auto compilation = compile_source(and_chain(1000), "rule.socc", true);
  REQUIRE(compilation->ok());
  REQUIRE(compilation->compiled);
  std::vector<socc_slot> slots(compilation->pack.slots.size());
  int pid = -1;
  for (size_t i = 0; i < compilation->pack.slots.size(); ++i) {
    if (compilation->pack.slots[i].path == "Event.EventData.ProcessId") pid = int(i);
  }
  REQUIRE(pid >= 0);
  slots[pid].present = 1;
  slots[pid].integer = 1000;
  CHECK(compilation->compiled->rule(0)(slots.data()) == 1);
  slots[pid].integer = 999;
  CHECK(compilation->compiled->rule(0)(slots.data()) == 0);
  slots[pid].integer = 0;
  CHECK(compilation->compiled->rule(0)(slots.data()) == 0);
  slots[pid].present = 0;
  CHECK(compilation->compiled->rule(0)(slots.data()) == 0);
}

TEST_CASE("a 17 MB file gives E0009") {
  std::string dir = write_temp_tree({{"big.socc", "list l = [1]\n" + std::string(17u << 20, ' ')}});
  driver::CompileOptions options;
  options.stdlib_dir = source_dir() + "/stdlib";
  auto compilation = driver::compile_rules({dir + "/big.socc"}, options);
  std::filesystem::remove_all(dir);
  CHECK(diagnostic_codes(*compilation) == std::vector<std::string>{"E0009"});
  CHECK(rendered_diagnostics(*compilation).find("the limit of 16777216 bytes") !=
        std::string::npos);
}

TEST_CASE("a file that cannot be read gives E0001") {
  driver::CompileOptions options;
  options.stdlib_dir = source_dir() + "/stdlib";
  std::string dir = write_temp_tree({});
  auto compilation = driver::compile_rules({dir + "/missing.socc"}, options);
  CHECK_FALSE(compilation->ok());
  CHECK(diagnostic_codes(*compilation) == std::vector<std::string>{"E0001"});
  CHECK(rendered_diagnostics(*compilation).find("cannot read") != std::string::npos);
}

TEST_CASE("a stdlib without attack/ gives E0304") {
  std::string stdlib = write_temp_tree({{"windows/sysmon.socc", "module windows.sysmon\n"}});
  std::string rules = write_temp_tree({{"r.socc", "import windows.sysmon\n"}});
  driver::CompileOptions options;
  options.stdlib_dir = stdlib;
  auto compilation = driver::compile_rules({rules + "/r.socc"}, options);
  CHECK_FALSE(compilation->ok());
  CHECK(diagnostic_codes(*compilation) == std::vector<std::string>{"E0304"});
  CHECK(rendered_diagnostics(*compilation).find("ATT&CK catalog") != std::string::npos);
}
