#pragma once

// Glob patterns as Sigma writes them: `*` matches any sequence of
// characters, `?` exactly one. `\*`, `\?` and `\\` stand for `*`, `?` and
// `\`; a backslash before anything else (or at the end) is itself a literal
// backslash, so Windows paths need no doubling: `C:\Windows\\*` is the
// literal `C:\Windows\` followed by a wildcard.
//
// A character is one code point where the bytes form a well-formed UTF-8
// sequence and a single byte where they do not. Matching is over those
// characters: the text is read as a sequence of them, `*` and `?` consume
// whole ones, and a literal must cover whole ones. For well-formed literals
// this is the same as comparing bytes; a literal holding a stray byte such
// as 0xA9 does not match the second byte of "é".

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace socc::runtime {

struct GlobPiece {
  enum class Kind { Literal, Star, One } kind;
  std::string text;  // the literal's bytes, escapes resolved; empty for Star and One
};

// The pattern as pieces: adjacent literals merged into one, consecutive
// stars collapsed into one. An empty pattern gives no pieces.
std::vector<GlobPiece> parse_glob(std::string_view pattern);

}  // namespace socc::runtime

#ifdef __cplusplus
extern "C" {
#endif

// Whether all of `text` matches `pattern` (source syntax, escapes not
// resolved). The `_ci` form expects the pattern already folded to lower
// case and folds the text as it goes; only ASCII letters fold. Total on any
// bytes, allocation-free, and O(size * pattern_size) at worst.
int socc_rt_like_cs(const char* text, uint64_t size, const char* pattern,
                    uint64_t pattern_size) noexcept;
int socc_rt_like_ci(const char* text, uint64_t size, const char* pattern,
                    uint64_t pattern_size) noexcept;

#ifdef __cplusplus
}
#endif
