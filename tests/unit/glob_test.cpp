// Unit tests of glob patterns: parsing into pieces, and the `like` helpers
// that generated code calls, including a comparison with a plain dynamic
// programming matcher on random inputs.

#include "runtime/glob.h"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

using socc::runtime::GlobPiece;
using socc::runtime::parse_glob;

namespace {

bool like_cs(std::string_view text, std::string_view pattern) {
  return socc_rt_like_cs(text.data(), text.size(), pattern.data(), pattern.size()) != 0;
}

bool like_ci(std::string_view text, std::string_view pattern) {
  return socc_rt_like_ci(text.data(), text.size(), pattern.data(), pattern.size()) != 0;
}

GlobPiece literal(std::string text) {
  return {GlobPiece::Kind::Literal, std::move(text)};
}
GlobPiece star() {
  return {GlobPiece::Kind::Star, {}};
}
GlobPiece one() {
  return {GlobPiece::Kind::One, {}};
}

bool same_pieces(const std::vector<GlobPiece>& actual, const std::vector<GlobPiece>& expected) {
  if (actual.size() != expected.size()) return false;
  for (size_t i = 0; i < actual.size(); ++i) {
    if (actual[i].kind != expected[i].kind || actual[i].text != expected[i].text) return false;
  }
  return true;
}

// The length of the character at `i` by decoding the code point and
// checking its range, independently of the runtime's byte table.
size_t reference_char_length(const std::string& s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char lead = b(i);
  size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if (length == 1 || lead > 0xF7 || i + length > s.size()) return 1;
  uint32_t cp = lead & (0xFF >> (length + 1));
  for (size_t k = 1; k < length; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 1;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 1;
  return length;
}

// Matching by dynamic programming over the character boundaries of the
// text, read from its start: reachable[b] says the pieces so far can end
// at byte b. Cubic, but plainly correct.
bool reference_like(const std::string& text, const std::string& pattern, bool fold) {
  std::string folded = text;
  if (fold) {
    for (char& c : folded) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
  }
  std::vector<bool> boundary(text.size() + 1, false);
  std::vector<size_t> next(text.size() + 1, text.size() + 1);
  for (size_t i = 0; i < text.size();) {
    boundary[i] = true;
    next[i] = i + reference_char_length(text, i);
    i = next[i];
  }
  boundary[text.size()] = true;
  std::vector<bool> reachable(text.size() + 1, false);
  reachable[0] = true;
  for (const GlobPiece& piece : parse_glob(pattern)) {
    std::vector<bool> after(text.size() + 1, false);
    for (size_t b = 0; b <= text.size(); ++b) {
      if (!reachable[b]) continue;
      if (piece.kind == GlobPiece::Kind::Star) {
        for (size_t e = b; e <= text.size(); ++e) after[e] = after[e] || boundary[e];
      } else if (piece.kind == GlobPiece::Kind::One) {
        if (b < text.size()) after[next[b]] = true;
      } else if (folded.compare(b, piece.text.size(), piece.text) == 0 &&
                 b + piece.text.size() <= text.size() && boundary[b + piece.text.size()]) {
        after[b + piece.text.size()] = true;
      }
    }
    reachable = after;
  }
  return reachable[text.size()];
}

}  // namespace

TEST_CASE("glob: parse_glob resolves escapes, merges literals, collapses stars") {
  CHECK(parse_glob("").empty());
  CHECK(same_pieces(parse_glob("abc"), {literal("abc")}));
  CHECK(same_pieces(parse_glob("*"), {star()}));
  CHECK(same_pieces(parse_glob("***"), {star()}));
  CHECK(same_pieces(parse_glob("a**b"), {literal("a"), star(), literal("b")}));
  CHECK(same_pieces(parse_glob("??"), {one(), one()}));
  CHECK(same_pieces(parse_glob("*.exe"), {star(), literal(".exe")}));
  CHECK(same_pieces(parse_glob("a?*?b"), {literal("a"), one(), star(), one(), literal("b")}));
  CHECK(same_pieces(parse_glob(R"(\*)"), {literal("*")}));
  CHECK(same_pieces(parse_glob(R"(\?)"), {literal("?")}));
  CHECK(same_pieces(parse_glob(R"(\\)"), {literal("\\")}));
  // A backslash before anything else stays, and the next character is read
  // on its own: `\W` is a backslash then W, `\\*` a backslash then a star.
  CHECK(same_pieces(parse_glob(R"(C:\Windows\\*)"), {literal(R"(C:\Windows\)"), star()}));
  CHECK(same_pieces(parse_glob(R"(\*.bak)"), {literal("*.bak")}));
  CHECK(same_pieces(parse_glob(R"(a\)"), {literal(R"(a\)")}));
  CHECK(same_pieces(parse_glob(R"(\)"), {literal(R"(\)")}));
  CHECK(same_pieces(parse_glob(R"(\\\*)"), {literal(R"(\*)")}));
  CHECK(same_pieces(parse_glob(R"(\\\\)"), {literal(R"(\\)")}));
  CHECK(same_pieces(parse_glob(R"(\\\)"), {literal(R"(\\)")}));
  CHECK(same_pieces(parse_glob(R"(*\**)"), {star(), literal("*"), star()}));
  CHECK(same_pieces(parse_glob(R"(\?*\?)"), {literal("?"), star(), literal("?")}));
  CHECK(same_pieces(parse_glob(std::string("a\0b", 3)), {literal(std::string("a\0b", 3))}));
}

TEST_CASE("glob: stars and question marks") {
  CHECK(like_cs("", ""));
  CHECK_FALSE(like_cs("a", ""));
  CHECK(like_cs("", "*"));
  CHECK(like_cs("", "***"));
  CHECK_FALSE(like_cs("", "?"));
  CHECK(like_cs("anything", "*"));
  CHECK(like_cs("abc", "abc"));
  CHECK_FALSE(like_cs("abc", "ab"));
  CHECK_FALSE(like_cs("ab", "abc"));
  CHECK(like_cs("abc", "a?c"));
  CHECK_FALSE(like_cs("ac", "a?c"));
  CHECK(like_cs("abc", "???"));
  CHECK_FALSE(like_cs("abcd", "???"));
  CHECK(like_cs("abc", "a*"));
  CHECK(like_cs("abc", "*c"));
  CHECK(like_cs("abc", "*b*"));
  CHECK(like_cs("abc", "a*b*c"));
  CHECK(like_cs("ac", "a*c"));
  CHECK_FALSE(like_cs("abc", "*d*"));
  CHECK(like_cs("abcbc", "a*bc"));
  CHECK(like_cs("xaab", "*a?b"));
  CHECK(like_cs("mississippi", "m*iss*ppi"));
  CHECK(like_cs("mississippi", "*s?s*"));
  CHECK_FALSE(like_cs("mississippi", "m*iss*ppx"));
  CHECK(like_cs("ab", "*?"));
  CHECK(like_cs("ab", "?*?"));
  CHECK_FALSE(like_cs("a", "?*?"));
  CHECK(like_cs("abcabd", "*ab?"));
  CHECK(like_cs("abcabd", "*abd"));
  CHECK(like_cs("aXbYc", "a*b*c"));
  CHECK_FALSE(like_cs("aXbYcZ", "a*b*c"));
  // In Sigma's syntax `\*` is a literal star: a wildcard after a backslash
  // needs the backslash doubled.
  CHECK(like_cs(R"(C:\Windows\System32\cmd.exe)", R"(C:\Windows\\*\cmd.exe)"));
  CHECK_FALSE(like_cs(R"(C:\Windows\System32\cmd.exe)", R"(C:\Windows\*\cmd.exe)"));
  CHECK(like_cs(R"(C:\Windows*\cmd.exe)", R"(C:\Windows\*\cmd.exe)"));
  CHECK(like_cs(R"(C:\Users\bob\AppData\Roaming\x.exe)", R"(*\AppData\\*.exe)"));
  CHECK_FALSE(like_cs(R"(C:\Users\bob\AppData\Roaming\x.dll)", R"(*\AppData\\*.exe)"));
}

TEST_CASE("glob: escapes") {
  CHECK(like_cs("*.bak", R"(\*.bak)"));
  CHECK_FALSE(like_cs("x.bak", R"(\*.bak)"));
  CHECK(like_cs("what?", R"(what\?)"));
  CHECK_FALSE(like_cs("whatX", R"(what\?)"));
  CHECK(like_cs(R"(a\b)", R"(a\\b)"));
  CHECK_FALSE(like_cs(R"(a\\b)", R"(a\\b)"));
  // Unknown escapes keep the backslash and do not swallow the next byte.
  CHECK(like_cs(R"(C:\Windows\x)", R"(C:\Windows\\*)"));
  CHECK(like_cs(R"(C:\Windows\)", R"(C:\Windows\\*)"));
  CHECK_FALSE(like_cs(R"(C:\Windows)", R"(C:\Windows\\*)"));
  CHECK(like_cs(R"(a\nb)", R"(a\nb)"));
  CHECK(like_cs(R"(end\)", R"(end\)"));
  CHECK(like_cs(R"(x\)", R"(*\)"));
  CHECK(like_cs("a*b?c", R"(a\*b\?c)"));
  CHECK_FALSE(like_cs("aXbYc", R"(a\*b\?c)"));
  CHECK(like_cs("lit*x", R"(*\**)"));
  CHECK_FALSE(like_cs("litx", R"(*\**)"));
  CHECK(like_ci("*.bak", R"(\*.bak)"));
}

TEST_CASE("glob: `?` takes one UTF-8 character") {
  CHECK(like_cs("café", "caf?"));
  CHECK_FALSE(like_cs("cafxx", "caf?"));
  CHECK(like_cs("cafxx", "caf??"));
  CHECK_FALSE(like_cs("café", "caf??"));
  CHECK(like_cs("€", "?"));   // 3 bytes
  CHECK(like_cs("😀", "?"));  // 4 bytes
  CHECK(like_cs("a😀b", "a?b"));
  CHECK(like_cs("x😀", "*?"));
  CHECK(like_cs("😀😀", "?*?"));
  CHECK(like_cs("é€😀", "???"));
  CHECK_FALSE(like_cs("é€😀", "????"));
  // Invalid bytes are one character each.
  CHECK(like_cs("\xff", "?"));
  CHECK(like_cs("\xc3", "?"));  // lead byte without its continuation
  CHECK(like_cs("\xc3x", "??"));
  CHECK(like_cs("\xa9\xa9", "??"));            // stray continuation bytes
  CHECK(like_cs("\xc0\xaf", "??"));            // overlong encoding
  CHECK(like_cs("\xed\xa0\x80", "???"));       // a surrogate
  CHECK(like_cs("\xf4\x90\x80\x80", "????"));  // above U+10FFFF
  CHECK(like_cs("\xe2\x82", "??"));            // truncated three-byte sequence
  CHECK(like_cs("\xe2\x82\xac\xe2", "??"));    // then a truncated one
  CHECK(like_cs(std::string("\0", 1), "?"));
  // A literal covers whole characters, so a stray byte in the pattern does
  // not match the second byte of a well-formed é, but does match stray text.
  CHECK_FALSE(like_cs("\xc3\xa9", "*\xa9"));
  CHECK_FALSE(like_cs("\xc3\xa9", "\xc3*"));
  CHECK(like_cs("x\xa9", "*\xa9"));
  CHECK(like_cs("\xc3\xa9", "\xc3\xa9"));
  CHECK(like_cs("\xc3\xa9", "*\xc3\xa9*"));
  CHECK_FALSE(like_cs("\xc3\xa9", "\xc3?"));
}

TEST_CASE("glob: case folding is ASCII only") {
  CHECK(like_ci(R"(C:\WINDOWS\System32\CMD.EXE)", R"(c:\windows\\*\cmd.exe)"));
  CHECK(like_ci("PowerShell.exe", "power*.exe"));
  CHECK(like_ci("ABC", "a?c"));
  CHECK_FALSE(like_cs("ABC", "a?c"));
  CHECK(like_ci("ÉCOLE", "École"));  // É is the same bytes on both sides
  CHECK_FALSE(like_ci("École", "école"));
  CHECK_FALSE(like_ci("ÉCOLE", "école"));
  CHECK(like_ci("xÉ", "x?"));
  // The pattern is expected folded already; an upper-case pattern byte
  // matches nothing.
  CHECK_FALSE(like_ci("ABC", "ABC"));
  CHECK(like_ci("a[b]", "a[b]"));
  CHECK(like_ci("A@B", "a@b"));  // @ is just before A, not folded
  CHECK_FALSE(like_ci("a`b", "a@b"));
  CHECK(like_ci("xxHELLOyy", "*hello*"));
  CHECK(like_ci("xxHELLOyyHELLO", "*hello"));
}

TEST_CASE("glob: long and hostile inputs finish") {
  std::string as(100000, 'a');
  CHECK_FALSE(like_cs(as, "*a*a*a*a*a*a*a*a*b"));
  CHECK_FALSE(like_ci(as, "*a*a*a*a*a*a*a*a*b"));
  // No literal suffix to shortcut: the last segment is tried everywhere.
  CHECK_FALSE(like_cs(as, "*a*a*a*a*a*a*a*a*b?"));
  CHECK_FALSE(like_cs(as, "*a*a*a*a*a*a*a*a*b*"));
  CHECK(like_cs(as, "*a*a*a*a*a*a*a*a*"));
  CHECK(like_cs(as, "*a*a*a*a*a*a*a*a"));
  CHECK(like_cs(as + "b", "*a*a*a*a*a*a*a*a*b"));
  CHECK_FALSE(like_cs(as, "*aaaaaaaaaaaaaaaaaaaaaaaaaaaaab*"));
  CHECK(like_cs(as, "*" + std::string(1000, 'a') + "?*"));
  std::string pattern;
  for (int i = 0; i < 200; ++i) pattern += "*?";
  CHECK(like_cs(as, pattern));
  CHECK_FALSE(like_cs(as, pattern + "b"));
  std::string stars(100000, '*');
  CHECK(like_cs(as, stars));
  CHECK(like_cs("", stars));
  std::string emoji;
  for (int i = 0; i < 20000; ++i) emoji += "😀";
  CHECK(like_cs(emoji, std::string(20000, '?')));
  CHECK_FALSE(like_cs(emoji, std::string(20001, '?')));
  CHECK_FALSE(like_cs(emoji, "*?*?*?*x"));
}

TEST_CASE("glob: random inputs agree with dynamic programming") {
  // Small alphabets so that matches are frequent; multi-byte, stray and
  // truncated UTF-8 so that character boundaries matter.
  const std::vector<std::string> text_atoms = {"a",
                                               "b",
                                               "A",
                                               "\\",
                                               "*",
                                               "?",
                                               "\xc3\xa9",
                                               "\xc3",
                                               "\xa9",
                                               "\xe2\x82\xac",
                                               "\xf0\x9f\x98\x80",
                                               "\x9f"};
  const std::vector<std::string> pattern_atoms = {
      "a",   "b",    "*",        "*",    "?",    "?",    "\\",          "\\*",
      "\\?", "\\\\", "\xc3\xa9", "\xc3", "\xa9", "\x9f", "\xe2\x82\xac"};
  std::mt19937 random(20240501);
  auto pick = [&](const std::vector<std::string>& atoms, size_t max) {
    std::string out;
    size_t n = random() % (max + 1);
    for (size_t i = 0; i < n; ++i) out += atoms[random() % atoms.size()];
    return out;
  };
  int matches = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text = pick(text_atoms, 8);
    std::string pattern = pick(pattern_atoms, 6);
    bool expected_cs = reference_like(text, pattern, false);
    bool expected_ci = reference_like(text, pattern, true);
    matches += expected_cs;
    INFO("text: ", text, " pattern: ", pattern);
    REQUIRE(like_cs(text, pattern) == expected_cs);
    REQUIRE(like_ci(text, pattern) == expected_ci);
  }
  CHECK(matches > 500);
}
