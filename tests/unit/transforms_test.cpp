// Unit tests of the compile-time value transformations behind Sigma's
// modifiers. Expected values were computed with Python's base64 module,
// str.encode and pySigma's own formulas.

#include "compiler/sema/transforms.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace socc::sema;

namespace {

using Strings = std::vector<std::string>;

std::string bytes(std::initializer_list<unsigned> values) {
  std::string out;
  for (unsigned v : values) out.push_back(static_cast<char>(v));
  return out;
}

std::string utf16_ok(std::string_view text, bool little_endian, bool bom) {
  std::string error;
  std::optional<std::string> out = utf16(text, little_endian, bom, &error);
  REQUIRE_MESSAGE(out.has_value(), error);
  return *out;
}

std::string utf16_error(std::string_view text) {
  std::string error;
  CHECK_FALSE(utf16(text, true, false, &error).has_value());
  return error;
}

std::string wide(std::string_view ascii) {
  return utf16_ok(ascii, true, false);
}

}  // namespace

TEST_CASE("transforms: base64") {
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("fooba") == "Zm9vYmE=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK(base64_encode(bytes({0x00, 0xff, 0xfe})) == "AP/+");
  CHECK(base64_encode("\xc3\xa9") == "w6k=");
  CHECK(base64_encode(wide("cmd")) == "YwBtAGQA");
  CHECK(base64_encode(std::string(3000, '\xff')) == std::string(4000, '/'));
}

TEST_CASE("transforms: base64offset as pySigma computes it") {
  CHECK(base64_offsets("http://") == Strings{"aHR0cDovL", "h0dHA6Ly", "odHRwOi8v"});
  CHECK(base64_offsets("/c ") == Strings{"L2Mg", "9jI", "vYy"});
  CHECK(base64_offsets("cmd") == Strings{"Y21k", "NtZ", "jbW"});
  CHECK(base64_offsets("ab") == Strings{"YW", "Fi", "hY"});
  CHECK(base64_offsets("abc") == Strings{"YWJj", "FiY", "hYm"});
  CHECK(base64_offsets("IEX (New-Object Net.WebClient)") ==
        Strings{"SUVYIChOZXctT2JqZWN0IE5ldC5XZWJDbGllbnQp",
                "lFWCAoTmV3LU9iamVjdCBOZXQuV2ViQ2xpZW50K",
                "JRVggKE5ldy1PYmplY3QgTmV0LldlYkNsaWVudC"});
  // After `wide`, as rules combine them.
  CHECK(base64_offsets(wide("cmd")) == Strings{"YwBtAGQA", "MAbQBkA", "jAG0AZA"});
  CHECK(base64_offsets(wide("Invoke-")) ==
        Strings{"SQBuAHYAbwBrAGUALQ", "kAbgB2AG8AawBlAC0A", "JAG4AdgBvAGsAZQAtA"});
  // Short values: pySigma's slices come out empty, and duplicates are kept
  // out.
  CHECK(base64_offsets("a") == Strings{"Y", "", "h"});
  CHECK(base64_offsets("") == Strings{""});
}

TEST_CASE("transforms: utf16 byte orders and the byte order mark") {
  CHECK(utf16_ok("cmd", true, false) == bytes({0x63, 0, 0x6d, 0, 0x64, 0}));
  CHECK(utf16_ok("cmd", false, false) == bytes({0, 0x63, 0, 0x6d, 0, 0x64}));
  CHECK(utf16_ok("cmd", true, true) == bytes({0xff, 0xfe, 0x63, 0, 0x6d, 0, 0x64, 0}));
  CHECK(utf16_ok("", true, false).empty());
  CHECK(utf16_ok("", true, true) == bytes({0xff, 0xfe}));
  CHECK(utf16_ok("", false, true) == bytes({0xfe, 0xff}));
  // é (2 bytes of UTF-8), € (3) and 😀 (4, a surrogate pair in UTF-16).
  CHECK(utf16_ok("é€😀", true, false) == bytes({0xe9, 0x00, 0xac, 0x20, 0x3d, 0xd8, 0x00, 0xde}));
  CHECK(utf16_ok("é€😀", false, false) == bytes({0x00, 0xe9, 0x20, 0xac, 0xd8, 0x3d, 0xde, 0x00}));
  CHECK(utf16_ok("é€😀", true, true) ==
        bytes({0xff, 0xfe, 0xe9, 0x00, 0xac, 0x20, 0x3d, 0xd8, 0x00, 0xde}));
  CHECK(utf16_ok("\U0010FFFF", true, false) == bytes({0xff, 0xdb, 0xff, 0xdf}));
  CHECK(utf16_ok(std::string_view("\0", 1), true, false) == bytes({0, 0}));
  CHECK(utf16_ok("\uFFFF", false, false) == bytes({0xff, 0xff}));
}

TEST_CASE("transforms: utf16 rejects invalid UTF-8 with its offset") {
  CHECK(utf16_error("ab\xff") == "invalid UTF-8 at byte 2");
  CHECK(utf16_error("\x80") == "invalid UTF-8 at byte 0");
  CHECK(utf16_error("é\xc3") == "invalid UTF-8 at byte 2");             // truncated
  CHECK(utf16_error("x\xc3x") == "invalid UTF-8 at byte 1");            // not a continuation
  CHECK(utf16_error("\xc0\xaf") == "invalid UTF-8 at byte 0");          // overlong
  CHECK(utf16_error("\xe0\x80\xaf") == "invalid UTF-8 at byte 0");      // overlong
  CHECK(utf16_error("a\xed\xa0\x80") == "invalid UTF-8 at byte 1");     // surrogate
  CHECK(utf16_error("\xf4\x90\x80\x80") == "invalid UTF-8 at byte 0");  // above U+10FFFF
  CHECK(utf16_error("\xf0\x9f\x98") == "invalid UTF-8 at byte 0");
  CHECK_FALSE(utf16("\xff", true, false, nullptr).has_value());
}

TEST_CASE("transforms: windash") {
  bool truncated = true;
  CHECK(windash_variants("-exec", 100, &truncated) ==
        Strings{"-exec", "/exec", "\u2013exec", "\u2014exec", "\u2015exec"});
  CHECK_FALSE(truncated);
  CHECK(windash_variants("cmd /c whoami", 100, &truncated) ==
        Strings{"cmd -c whoami", "cmd /c whoami", "cmd \u2013c whoami", "cmd \u2014c whoami",
                "cmd \u2015c whoami"});
  // No position: the text as it is.
  CHECK(windash_variants("a-b", 100, &truncated) == Strings{"a-b"});
  CHECK(windash_variants("- x", 100, &truncated) == Strings{"- x"});
  CHECK(windash_variants("x -", 100, &truncated) == Strings{"x -"});
  CHECK(windash_variants("/", 100, &truncated) == Strings{"/"});
  CHECK(windash_variants("foo_-bar", 100, &truncated) == Strings{"foo_-bar"});
  CHECK(windash_variants("é-x", 100, &truncated) == Strings{"é-x"});
  CHECK(windash_variants("", 100, &truncated) == Strings{""});
  CHECK_FALSE(truncated);
  // Only the dash before the word counts.
  CHECK(windash_variants("--foo", 100, &truncated) ==
        Strings{"--foo", "-/foo", "-\u2013foo", "-\u2014foo", "-\u2015foo"});
  CHECK(windash_variants("a /-b", 100, &truncated) ==
        Strings{"a /-b", "a //b", "a /\u2013b", "a /\u2014b", "a /\u2015b"});
  CHECK(windash_variants("(-x", 100, &truncated) ==
        Strings{"(-x", "(/x", "(\u2013x", "(\u2014x", "(\u2015x"});
  CHECK(windash_variants("-é", 100, &truncated) ==
        Strings{"-é", "/é", "\u2013é", "\u2014é", "\u2015é"});

  // Two positions: the first varies slowest.
  Strings two = windash_variants("-enc -nop", 100, &truncated);
  CHECK_FALSE(truncated);
  REQUIRE(two.size() == 25);
  CHECK(two[0] == "-enc -nop");
  CHECK(two[1] == "-enc /nop");
  CHECK(two[4] == "-enc \u2015nop");
  CHECK(two[5] == "/enc -nop");
  CHECK(two[10] == "\u2013enc -nop");
  CHECK(two[24] == "\u2015enc \u2015nop");
}

TEST_CASE("transforms: windash stops at the limit") {
  bool truncated = false;
  CHECK(windash_variants("-exec", 5, &truncated).size() == 5);
  CHECK_FALSE(truncated);
  CHECK(windash_variants("-exec", 3, &truncated) == Strings{"-exec", "/exec", "\u2013exec"});
  CHECK(truncated);
  CHECK(windash_variants("plain", 1, &truncated) == Strings{"plain"});
  CHECK_FALSE(truncated);
  CHECK(windash_variants("plain", 0, &truncated).empty());
  CHECK(truncated);
  // 5^1000 combinations: the limit bounds the work.
  std::string many;
  for (int i = 0; i < 1000; ++i) many += " -x";
  Strings first = windash_variants(many, 7, &truncated);
  CHECK(truncated);
  REQUIRE(first.size() == 7);
  CHECK(first[0] == many);
  CHECK(first[6] == many.substr(0, many.size() - 5) + "/x /x");
  CHECK(windash_variants(many, 2, nullptr).size() == 2);
}
