// Unit tests of the runtime's building blocks: the string predicates that
// generated code calls, timestamps, and the line reader.

#include <doctest/doctest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include "runtime/line_reader.h"
#include "runtime/match_helpers.h"
#include "runtime/timestamp.h"
#include "test_support.h"

using namespace socc::runtime;

namespace {

using Helper = int (*)(const char*, uint64_t, const char*, uint64_t) noexcept;

bool call(Helper helper, std::string_view text, std::string_view needle) {
  return helper(text.data(), text.size(), needle.data(), needle.size()) != 0;
}

struct Line {
  LineReader::Status status;
  std::string text;
  size_t number;
};

// Every record of `input` as read through a pipe with `max_line`.
std::vector<Line> read_all(const std::string& input, size_t max_line) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::thread writer([&] {
    // Small writes so that lines arrive split across reads.
    for (size_t at = 0; at < input.size(); at += 7) {
      size_t n = std::min<size_t>(7, input.size() - at);
      REQUIRE(::write(fds[1], input.data() + at, n) == static_cast<ssize_t>(n));
    }
    ::close(fds[1]);
  });
  LineReader reader(fds[0], max_line);
  std::vector<Line> lines;
  std::string_view line;
  size_t number = 0;
  for (int guard = 0; guard < 1000; ++guard) {
    LineReader::Status status = reader.next(&line, &number);
    if (status == LineReader::Status::End) break;
    lines.push_back({status, std::string(line), number});
    if (status == LineReader::Status::Error) break;
  }
  writer.join();
  ::close(fds[0]);
  return lines;
}

}  // namespace

TEST_CASE("case-insensitive helpers fold the text, not the needle") {
  // Needles of the _ci helpers are folded by the compiler.
  CHECK(call(socc_rt_eq_ci, "CMD.EXE", "cmd.exe"));
  CHECK_FALSE(call(socc_rt_eq_ci, "cmd.exe", "cmd.ex"));
  CHECK_FALSE(call(socc_rt_eq_ci, "cmd.exe", "CMD.EXE"));
  CHECK(call(socc_rt_contains_ci, "C:\\Windows\\System32\\CMD.exe", "\\system32\\"));
  CHECK(call(socc_rt_contains_ci, "aaab", "aab"));
  CHECK_FALSE(call(socc_rt_contains_ci, "powershell", "pwsh"));
  CHECK(call(socc_rt_starts_ci, "PowerShell.exe -enc", "powershell"));
  CHECK_FALSE(call(socc_rt_starts_ci, "x PowerShell", "powershell"));
  CHECK(call(socc_rt_ends_ci, "C:\\WINDOWS\\CMD.EXE", "\\cmd.exe"));
  CHECK_FALSE(call(socc_rt_ends_ci, "cmd.exe.txt", ".exe"));
  // Only ASCII folds: bytes of other letters compare as they are.
  CHECK(call(socc_rt_eq_ci, "\xC3\x89T\xC3\x89", "\xC3\x89t\xC3\x89"));
  CHECK_FALSE(call(socc_rt_eq_ci, "\xC3\x89", "\xC3\xA9"));
  // '@' and '[' neighbour the upper-case letters and must not fold.
  CHECK_FALSE(call(socc_rt_eq_ci, "@[", "`{"));
}

TEST_CASE("case-sensitive helpers compare bytes") {
  CHECK(call(socc_rt_eq_cs, "cmd.exe", "cmd.exe"));
  CHECK_FALSE(call(socc_rt_eq_cs, "CMD.exe", "cmd.exe"));
  CHECK(call(socc_rt_contains_cs, "a-EncodedCommand b", "-EncodedCommand"));
  CHECK_FALSE(call(socc_rt_contains_cs, "a-encodedcommand b", "-EncodedCommand"));
  CHECK(call(socc_rt_starts_cs, "MZ\x90", "MZ"));
  CHECK_FALSE(call(socc_rt_starts_cs, "mz", "MZ"));
  CHECK(call(socc_rt_ends_cs, "x.DLL", ".DLL"));
  CHECK_FALSE(call(socc_rt_ends_cs, "x.dll", ".DLL"));
  // Embedded NUL bytes are ordinary bytes.
  std::string with_nul("a\0b", 3);
  CHECK(call(socc_rt_contains_cs, with_nul, std::string("\0b", 2)));
  CHECK(call(socc_rt_contains_ci, with_nul, std::string("\0b", 2)));
}

TEST_CASE("helpers with an empty needle or a needle longer than the text") {
  for (Helper helper : {socc_rt_contains_ci, socc_rt_contains_cs, socc_rt_starts_ci,
                        socc_rt_starts_cs, socc_rt_ends_ci, socc_rt_ends_cs}) {
    CHECK(call(helper, "abc", ""));
    CHECK(call(helper, "", ""));
    CHECK_FALSE(call(helper, "ab", "abc"));
    CHECK_FALSE(call(helper, "", "a"));
  }
  CHECK(call(socc_rt_eq_ci, "", ""));
  CHECK(call(socc_rt_eq_cs, "", ""));
  CHECK_FALSE(call(socc_rt_eq_ci, "", "a"));
  CHECK_FALSE(call(socc_rt_eq_cs, "a", ""));
  // The text needs no terminator: a prefix of a longer buffer is matched.
  const char buffer[] = "cmd.exeXYZ";
  CHECK(socc_rt_ends_cs(buffer, 7, ".exe", 4));
  CHECK_FALSE(socc_rt_contains_cs(buffer, 7, "XY", 2));
  CHECK_FALSE(socc_rt_contains_ci(buffer, 7, "xy", 2));
}

TEST_CASE("set helpers") {
  socc_string folded[] = {{"cmd.exe", 7}, {"powershell.exe", 14}};
  CHECK(socc_rt_in_set_ci("CMD.EXE", 7, folded, 2));
  CHECK(socc_rt_in_set_ci("PowerShell.exe", 14, folded, 2));
  CHECK_FALSE(socc_rt_in_set_ci("pwsh.exe", 8, folded, 2));
  CHECK_FALSE(socc_rt_in_set_ci("cmd.exe", 7, folded, 0));
  CHECK(socc_rt_in_set_cs("cmd.exe", 7, folded, 2));
  CHECK_FALSE(socc_rt_in_set_cs("CMD.EXE", 7, folded, 2));
  socc_string with_empty[] = {{"", 0}};
  CHECK(socc_rt_in_set_cs("", 0, with_empty, 1));
  CHECK_FALSE(socc_rt_in_set_cs("a", 1, with_empty, 1));
}

TEST_CASE("parse_timestamp reads the forms evtx dumpers write") {
  CHECK(parse_timestamp("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_timestamp("2019-04-30T22:48:59.260851Z") == 1556664539260851);
  // A space for the T, and no zone: UTC.
  CHECK(parse_timestamp("2019-04-30 22:48:59.260851") == 1556664539260851);
  // Seven fraction digits (Windows FILETIME precision) are cut to micros.
  CHECK(parse_timestamp("2019-04-30T22:48:59.2608519Z") == 1556664539260851);
  CHECK(parse_timestamp("2019-04-30T22:48:59.2Z") == 1556664539200000);
  CHECK(parse_timestamp("2019-04-30T22:48:59Z") == 1556664539000000);
  // Offsets: local time minus the offset is UTC.
  CHECK(parse_timestamp("2019-05-01T00:48:59.260851+02:00") == 1556664539260851);
  CHECK(parse_timestamp("2019-04-30T17:18:59.260851-05:30") == 1556664539260851);
  CHECK(parse_timestamp("2024-02-29T12:00:00Z") == int64_t(1709208000) * 1000000);
  CHECK(parse_timestamp("1969-12-31T23:59:59.5Z") == -500000);
  CHECK(parse_timestamp("1600-03-01T00:00:00Z") == int64_t(-11670912000) * 1000000);

  for (const char* bad :
       {"", "2019-04-30", "2019-04-30T22:48", "2019-13-01T00:00:00Z", "2019-00-01T00:00:00Z",
        "2019-04-00T00:00:00Z", "2019-04-30T24:00:00Z", "2019-04-30T22:60:00Z",
        "2019-04-30T22:48:59.Z", "2019-04-30T22:48:59+0100", "2019-04-30T22:48:59+01",
        "2019-04-30T22:48:59Zjunk", "2019/04/30T22:48:59Z", "20x9-04-30T22:48:59Z",
        "2019-04-30X22:48:59Z", "2019-02-30T00:00:00Z", "2019-04-31T00:00:00Z",
        "2023-02-29T00:00:00Z", "1900-02-29T00:00:00Z"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_timestamp(bad).has_value());
  }
}

TEST_CASE("format_timestamp and parse_timestamp round trip") {
  CHECK(format_timestamp(0) == "1970-01-01T00:00:00.000000Z");
  CHECK(format_timestamp(1556664539260851) == "2019-04-30T22:48:59.260851Z");
  CHECK(format_timestamp(-1) == "1969-12-31T23:59:59.999999Z");
  CHECK(format_timestamp(-500000) == "1969-12-31T23:59:59.500000Z");
  CHECK(format_timestamp(int64_t(253402300799) * 1000000 + 999999) ==
        "9999-12-31T23:59:59.999999Z");
  for (int64_t micros :
       {int64_t(0), int64_t(1), int64_t(-1), int64_t(1556664539260851), int64_t(951782400000000),
        int64_t(-11670912000000001), int64_t(253402300799999999), int64_t(1709208000123456)}) {
    CAPTURE(micros);
    CHECK(parse_timestamp(format_timestamp(micros)) == micros);
  }
  // Text with offsets and 7 digits comes back in canonical form.
  auto micros = parse_timestamp("2021-06-09T06:58:49.2874189+02:00");
  REQUIRE(micros.has_value());
  CHECK(format_timestamp(*micros) == "2021-06-09T04:58:49.287418Z");
}

TEST_CASE("LineReader splits lines, strips CR and keeps a last line without newline") {
  auto lines = read_all("one\r\ntwo\n\nthree", 64);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].text == "one");
  CHECK(lines[1].text == "two");
  CHECK(lines[2].text == "");
  CHECK(lines[3].text == "three");
  for (size_t i = 0; i < lines.size(); ++i) {
    CHECK(lines[i].status == LineReader::Status::Line);
    CHECK(lines[i].number == i + 1);
  }
  CHECK(read_all("", 64).empty());
  // A CR before the end of input is a line end too.
  lines = read_all("a\r\nb\r", 64);
  REQUIRE(lines.size() == 2);
  CHECK(lines[1].text == "b");
}

TEST_CASE("LineReader skips an over-long line and reads on") {
  std::string input =
      std::string(16, 'a') + "\n" + std::string(100, 'b') + "\nok\n" + std::string(17, 'c');
  auto lines = read_all(input, 16);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].status == LineReader::Status::Line);
  CHECK(lines[0].text == std::string(16, 'a'));
  CHECK(lines[1].status == LineReader::Status::TooLong);
  CHECK(lines[1].text.empty());
  CHECK(lines[1].number == 2);
  CHECK(lines[2].status == LineReader::Status::Line);
  CHECK(lines[2].text == "ok");
  CHECK(lines[2].number == 3);
  // An over-long last line without a newline.
  CHECK(lines[3].status == LineReader::Status::TooLong);
  CHECK(lines[3].number == 4);
}

TEST_CASE("LineReader skips a line larger than its buffer in a file") {
  namespace fs = std::filesystem;
  std::string dir = socc::testing::write_temp_tree({});
  std::string path = dir + "/events.jsonl";
  {
    std::ofstream out(path, std::ios::binary);
    out << "{\"first\":1}\n" << std::string(5u << 20, 'x') << "\n{\"last\":2}";
  }
  FILE* file = std::fopen(path.c_str(), "rb");
  REQUIRE(file != nullptr);
  LineReader reader(::fileno(file), 1u << 20);
  std::string_view line;
  size_t number = 0;
  CHECK(reader.next(&line, &number) == LineReader::Status::Line);
  CHECK(line == "{\"first\":1}");
  CHECK(reader.next(&line, &number) == LineReader::Status::TooLong);
  CHECK(number == 2);
  CHECK(reader.next(&line, &number) == LineReader::Status::Line);
  CHECK(line == "{\"last\":2}");
  CHECK(number == 3);
  CHECK(reader.next(&line, &number) == LineReader::Status::End);
  std::fclose(file);
  fs::remove_all(dir);
}
