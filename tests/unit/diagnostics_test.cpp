// Unit tests of the diagnostics library: positions in source files, the
// registry of kinds, "did you mean" and the text rendering.

#include <doctest/doctest.h>

#include <regex>
#include <set>

#include "compiler/diagnostics/diagnostic.h"
#include "compiler/diagnostics/render.h"
#include "compiler/diagnostics/source_manager.h"
#include "compiler/diagnostics/suggest.h"

using namespace socc::diagnostics;

namespace {

LineColumn at(const SourceManager& sources, FileId id, uint32_t offset) {
  return sources.position(id, offset);
}

}  // namespace

TEST_CASE("SourceManager maps byte offsets to 1-based lines and columns") {
  SourceManager sources;
  FileId first = sources.add("a.socc", "ab\ncd\n\nefg");
  FileId second = sources.add("b.socc", "xyz");
  CHECK(first == 0);
  CHECK(second == 1);
  CHECK(sources.file_count() == 2);
  CHECK(sources.path(second) == "b.socc");

  CHECK(at(sources, first, 0).line == 1);
  CHECK(at(sources, first, 0).column == 1);
  CHECK(at(sources, first, 1).column == 2);
  // The newline belongs to the line it ends.
  CHECK(at(sources, first, 2).line == 1);
  CHECK(at(sources, first, 2).column == 3);
  CHECK(at(sources, first, 3).line == 2);
  CHECK(at(sources, first, 3).column == 1);
  CHECK(at(sources, first, 6).line == 3);
  CHECK(at(sources, first, 7).line == 4);
  CHECK(at(sources, first, 9).column == 3);
  // The end of the file is a valid position (spans are half-open).
  CHECK(at(sources, first, 10).line == 4);
  CHECK(at(sources, first, 10).column == 4);
  CHECK(at(sources, second, 2).line == 1);
  CHECK(at(sources, second, 2).column == 3);

  CHECK(sources.line_text(first, 1) == "ab");
  CHECK(sources.line_text(first, 3) == "");
  CHECK(sources.line_text(first, 4) == "efg");
  CHECK(sources.line_text(first, 0) == "");
  CHECK(sources.line_text(first, 5) == "");
}

TEST_CASE("SourceManager columns count bytes of multi-byte UTF-8") {
  SourceManager sources;
  // "é" is 2 bytes, "→" 3 bytes, "😀" 4 bytes.
  std::string text = "t\xC3\xA9st \xE2\x86\x92 x\n\xF0\x9F\x98\x80y";
  FileId id = sources.add("u.socc", text);
  size_t x = text.find('x');
  CHECK(at(sources, id, static_cast<uint32_t>(x)).line == 1);
  CHECK(at(sources, id, static_cast<uint32_t>(x)).column == 11);
  size_t y = text.find('y');
  CHECK(at(sources, id, static_cast<uint32_t>(y)).line == 2);
  CHECK(at(sources, id, static_cast<uint32_t>(y)).column == 5);
  CHECK(sources.line_text(id, 2) == "\xF0\x9F\x98\x80y");
}

TEST_CASE("SourceManager handles CRLF line ends") {
  SourceManager sources;
  FileId id = sources.add("crlf.socc", "one\r\ntwo\r\n\r\nthree");
  CHECK(at(sources, id, 5).line == 2);
  CHECK(at(sources, id, 5).column == 1);
  CHECK(at(sources, id, 7).column == 3);
  CHECK(at(sources, id, 12).line == 4);
  CHECK(sources.line_text(id, 1) == "one");
  CHECK(sources.line_text(id, 2) == "two");
  CHECK(sources.line_text(id, 3) == "");
  CHECK(sources.line_text(id, 4) == "three");
}

TEST_CASE("closest_match suggests plausible misspellings only") {
  std::vector<std::string> fields = {"image", "parent_image", "command_line", "pid"};
  CHECK(closest_match("imag", fields) == std::optional<std::string>("image"));
  CHECK(closest_match("parent_imag", fields) == std::optional<std::string>("parent_image"));
  // Case differences are typos too.
  CHECK(closest_match("Image", fields) == std::optional<std::string>("image"));
  CHECK(closest_match("commandline", fields) == std::optional<std::string>("command_line"));
  // Too far from everything: no suggestion.
  CHECK_FALSE(closest_match("hostname", fields).has_value());
  CHECK_FALSE(closest_match("xyz", fields).has_value());
  CHECK_FALSE(closest_match("image", {}).has_value());
  // An exact match is its own suggestion.
  CHECK(closest_match("pid", fields) == std::optional<std::string>("pid"));
  // A one-letter name allows one edit.
  CHECK(closest_match("q", {"p"}) == std::optional<std::string>("p"));
  CHECK_FALSE(closest_match("q", {"pp"}).has_value());
  // The nearest candidate wins, not the first close one.
  CHECK(closest_match("severiti", {"severe", "severity"}) ==
        std::optional<std::string>("severity"));
  // Overlong names are not compared at all.
  std::string long_name(200, 'a');
  CHECK_FALSE(closest_match(long_name, {long_name}).has_value());
}

TEST_CASE("every diagnostic kind has a unique, well-formed code") {
  std::set<std::string_view> codes;
  std::regex pattern("[EW][0-9]{4}");
  for (const KindInfo& kind : all_kinds()) {
    CAPTURE(kind.name);
    CHECK(codes.insert(kind.code).second);
    CHECK(std::regex_match(std::string(kind.code), pattern));
    // Warnings are W-codes, errors E-codes.
    CHECK((kind.code[0] == 'W') == (kind.severity == Severity::Warning));
    CHECK(&info(kind.kind) == &kind);
    CHECK_FALSE(kind.summary.empty());
  }
  CHECK(info(Kind::UnknownField).code == "E0104");
  CHECK(info(Kind::DeprecatedTechnique).severity == Severity::Warning);
}

TEST_CASE("DiagnosticSink counts by severity and honours --werror") {
  DiagnosticSink sink;
  sink.emit(Kind::EmptyPlaybook, {0, 5, 6}, "w");
  CHECK(sink.warning_count() == 1);
  CHECK_FALSE(sink.has_errors());
  sink.set_warnings_as_errors(true);
  auto& promoted = sink.emit(Kind::DeprecatedTechnique, {0, 1, 2}, "w2");
  CHECK(promoted.severity == Severity::Error);
  CHECK(sink.error_count() == 1);
  sink.emit(Kind::SyntaxError, {0, 1, 1}, "e");
  auto sorted = sink.sorted();
  REQUIRE(sorted.size() == 3);
  // Sorted by position; ties keep emission order.
  CHECK(sorted[0].message == "w2");
  CHECK(sorted[1].message == "e");
  CHECK(sorted[2].message == "w");
}

TEST_CASE("render_text shows position, code, excerpt and caret") {
  SourceManager sources;
  FileId id = sources.add("r.socc", "line one\n  where imgae == 1\n");
  Diagnostic d{Kind::UnknownField, Severity::Error, {id, 17, 22}, "no field 'imgae'", {}, {}};
  d.notes.push_back({{}, false, "did you mean 'image'?"});
  CHECK(render_text(d, sources) ==
        "r.socc:2:9: error[E0104]: no field 'imgae'\n"
        "    where imgae == 1\n"
        "          ^~~~~\n"
        "  note: did you mean 'image'?\n");
  std::string json = render_json(d, sources);
  CHECK(json.find("\"code\":\"E0104\"") != std::string::npos);
  CHECK(json.find("\"line\":2,\"column\":9,\"end_line\":2,\"end_column\":14") != std::string::npos);
  CHECK(json.find("\"notes\":[\"did you mean 'image'?\"]") != std::string::npos);
}

TEST_CASE("render_text aligns the caret after multi-byte characters") {
  SourceManager sources;
  // The caret must sit under `imgae`, which the terminal shows after one
  // character for the two bytes of "é".
  std::string line = "where title == \"\xC3\xA9\" and imgae == 1";
  FileId id = sources.add("u.socc", line + "\n");
  uint32_t begin = static_cast<uint32_t>(line.find("imgae"));
  Diagnostic d{Kind::UnknownField, Severity::Error, {id, begin, begin + 5}, "m", {}, {}};
  std::string expected_caret = std::string(2 + 23, ' ') + "^~~~~\n";
  std::string text = render_text(d, sources);
  CHECK(text.substr(text.find('\n', text.find('\n') + 1) + 1) == expected_caret);
}
