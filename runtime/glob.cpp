#include "runtime/glob.h"

#include <string.h>

namespace {

using Byte = unsigned char;

constexpr uint64_t kNone = ~uint64_t{0};

struct Token {
  enum Kind { Literal, Star, One } kind;
  Byte byte;      // the literal byte, escapes resolved
  uint64_t next;  // where the following token starts
};

// The token at `p` (< `size`). Only `\*`, `\?` and `\\` are escapes, so a
// backslash before anything else stays a literal and consumes nothing more.
inline Token read_token(const Byte* pattern, uint64_t size, uint64_t p) {
  Byte c = pattern[p];
  if (c == '*') return {Token::Star, 0, p + 1};
  if (c == '?') return {Token::One, 0, p + 1};
  if (c == '\\' && p + 1 < size) {
    Byte escaped = pattern[p + 1];
    if (escaped == '*' || escaped == '?' || escaped == '\\') {
      return {Token::Literal, escaped, p + 2};
    }
  }
  return {Token::Literal, c, p + 1};
}

inline Byte fold(Byte c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<Byte>(c + 32) : c;
}

inline bool in_range(const Byte* text, uint64_t size, uint64_t i, Byte low, Byte high) {
  return i < size && text[i] >= low && text[i] <= high;
}

// The length of the character at `i`: that of the well-formed UTF-8
// sequence starting there (Unicode table 3-7: no overlong forms, no
// surrogates, nothing above U+10FFFF), or 1 for any other byte.
uint64_t char_length(const Byte* text, uint64_t size, uint64_t i) {
  Byte lead = text[i];
  if (lead < 0xC2 || lead > 0xF4) return 1;
  if (lead <= 0xDF) return in_range(text, size, i + 1, 0x80, 0xBF) ? 2 : 1;
  if (lead <= 0xEF) {
    Byte low = lead == 0xE0 ? 0xA0 : 0x80;
    Byte high = lead == 0xED ? 0x9F : 0xBF;
    return in_range(text, size, i + 1, low, high) && in_range(text, size, i + 2, 0x80, 0xBF) ? 3
                                                                                             : 1;
  }
  Byte low = lead == 0xF0 ? 0x90 : 0x80;
  Byte high = lead == 0xF4 ? 0x8F : 0xBF;
  return in_range(text, size, i + 1, low, high) && in_range(text, size, i + 2, 0x80, 0xBF) &&
                 in_range(text, size, i + 3, 0x80, 0xBF)
             ? 4
             : 1;
}

// Whether a character of the text starts at `i`. Reading characters from
// the start never steps over a byte outside 0x80..0xBF (no sequence has one
// inside), so only a well-formed sequence that began at most three bytes
// earlier can cover `i`: the reading is the same from any earlier point.
bool at_boundary(const Byte* text, uint64_t size, uint64_t i) {
  if (i == 0 || i >= size || (text[i] & 0xC0) != 0x80) return true;
  for (uint64_t back = 1; back <= 3 && back <= i; ++back) {
    if (char_length(text, size, i - back) > back) return false;
  }
  return true;
}

template <bool kFold>
inline bool same(Byte text_byte, Byte pattern_byte) {
  if constexpr (kFold) {
    return fold(text_byte) == pattern_byte;
  } else {
    return text_byte == pattern_byte;
  }
}

// The first position at or after `from` holding a byte that equals `byte`
// (after folding), or `size`.
template <bool kFold>
uint64_t find_byte(const Byte* text, uint64_t size, uint64_t from, Byte byte) {
  if (from >= size) return size;
  if (!kFold || byte < 'a' || byte > 'z') {
    // Folding only maps A-Z onto a-z, so any other byte is found as itself.
    const void* hit = memchr(text + from, byte, size - from);
    return hit == nullptr ? size : static_cast<uint64_t>(static_cast<const Byte*>(hit) - text);
  }
  // For a lower-case letter, folding equals setting bit 5: only its upper
  // case differs from it in that bit alone.
  while (from < size && (text[from] | 0x20) != byte) ++from;
  return from;
}

// Whether the pattern from `p` on is literal bytes only; if so, their count.
bool literal_tail(const Byte* pattern, uint64_t size, uint64_t p, uint64_t* length) {
  uint64_t count = 0;
  while (p < size) {
    Token token = read_token(pattern, size, p);
    if (token.kind != Token::Literal) return false;
    ++count;
    p = token.next;
  }
  *length = count;
  return true;
}

// Whether the literal-only pattern from `p` equals text[from, size).
template <bool kFold>
bool tail_matches(const Byte* text, uint64_t size, uint64_t from, const Byte* pattern,
                  uint64_t pattern_size, uint64_t p) {
  while (p < pattern_size) {
    Token token = read_token(pattern, pattern_size, p);
    if (!same<kFold>(text[from], token.byte)) return false;
    ++from;
    p = token.next;
  }
  return true;
}

// The greedy matcher: each segment between stars is placed at its leftmost
// fit, and a failure backtracks only to the last star, which then starts
// one character later. That is enough because a segment placed further
// right also ends further right (literals have fixed lengths and `?` takes
// the next character), so an earlier fit never loses a match the later
// star could not absorb. Each backtrack costs at most one segment, hence
// O(size * pattern_size) in all.
template <bool kFold>
int like(const Byte* text, uint64_t size, const Byte* pattern, uint64_t pattern_size) noexcept {
  uint64_t t = 0;
  uint64_t p = 0;
  uint64_t star_p = kNone;  // the token after the last star
  uint64_t star_t = 0;      // where that star's match currently ends
  for (;;) {
    bool advanced = false;
    if (p < pattern_size) {
      Token token = read_token(pattern, pattern_size, p);
      if (token.kind == Token::Star) {
        // A literal run before the star must end on a character boundary.
        if (at_boundary(text, size, t)) {
          uint64_t q = token.next;
          while (q < pattern_size && pattern[q] == '*') ++q;
          if (q == pattern_size) return 1;
          // The last star followed by literals only: they must be the
          // text's suffix, which one comparison settles.
          uint64_t length = 0;
          if (literal_tail(pattern, pattern_size, q, &length)) {
            if (length > size - t) return 0;
            uint64_t from = size - length;
            return at_boundary(text, size, from) &&
                   tail_matches<kFold>(text, size, from, pattern, pattern_size, q);
          }
          star_p = q;
          star_t = t;
          p = q;
          advanced = true;
        }
      } else if (token.kind == Token::One) {
        if (t < size && at_boundary(text, size, t)) {
          t += char_length(text, size, t);
          p = token.next;
          advanced = true;
        }
      } else if (t < size && same<kFold>(text[t], token.byte)) {
        ++t;
        p = token.next;
        advanced = true;
      }
    } else if (t == size) {
      return 1;
    }
    if (advanced) continue;
    // Mismatch: let the last star take one more character.
    if (star_p == kNone || star_t >= size) return 0;
    star_t += char_length(text, size, star_t);
    Token first = read_token(pattern, pattern_size, star_p);
    if (first.kind == Token::Literal && (first.byte & 0xC0) != 0x80) {
      // Skip to where the segment's first byte occurs. Such a byte (ASCII
      // or a lead byte) always starts a character, so nothing is missed.
      star_t = find_byte<kFold>(text, size, star_t, first.byte);
      if (star_t >= size) return 0;
    }
    t = star_t;
    p = star_p;
  }
}

}  // namespace

namespace socc::runtime {

std::vector<GlobPiece> parse_glob(std::string_view pattern) {
  std::vector<GlobPiece> pieces;
  const Byte* bytes = reinterpret_cast<const Byte*>(pattern.data());
  for (uint64_t p = 0; p < pattern.size();) {
    Token token = read_token(bytes, pattern.size(), p);
    p = token.next;
    if (token.kind == Token::Literal) {
      if (pieces.empty() || pieces.back().kind != GlobPiece::Kind::Literal) {
        pieces.push_back({GlobPiece::Kind::Literal, {}});
      }
      pieces.back().text.push_back(static_cast<char>(token.byte));
    } else if (token.kind == Token::One) {
      pieces.push_back({GlobPiece::Kind::One, {}});
    } else if (pieces.empty() || pieces.back().kind != GlobPiece::Kind::Star) {
      pieces.push_back({GlobPiece::Kind::Star, {}});
    }
  }
  return pieces;
}

}  // namespace socc::runtime

extern "C" {

int socc_rt_like_cs(const char* text, uint64_t size, const char* pattern,
                    uint64_t pattern_size) noexcept {
  return like<false>(reinterpret_cast<const Byte*>(text), size,
                     reinterpret_cast<const Byte*>(pattern), pattern_size);
}

int socc_rt_like_ci(const char* text, uint64_t size, const char* pattern,
                    uint64_t pattern_size) noexcept {
  return like<true>(reinterpret_cast<const Byte*>(text), size,
                    reinterpret_cast<const Byte*>(pattern), pattern_size);
}

}  // extern "C"
