#pragma once

// Compile-time transformations of rule constants. They reproduce Sigma's
// value modifiers (base64, base64offset, utf16le/utf16be/utf16/wide,
// windash) as pySigma implements them, so that Sigma rules compiled here
// match what they match elsewhere. All are total on any bytes.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace socc::sema {

// Standard base64 (RFC 4648 alphabet) with `=` padding.
std::string base64_encode(std::string_view bytes);

// pySigma's base64offset: the three forms `bytes` takes inside a longer
// base64 text, depending on its offset modulo 3, each trimmed of the
// characters that depend on the surrounding bytes. In order of offset 0, 1,
// 2; a form equal to an earlier one is left out.
std::vector<std::string> base64_offsets(std::string_view bytes);

// UTF-8 to UTF-16 code units (surrogate pairs above U+FFFF) in the given
// byte order, after a byte order mark when `bom`. Sigma's utf16le is
// (true, false), utf16be (false, false), utf16 (true, true) and wide is
// utf16le. Invalid UTF-8 gives nullopt and, when `error` is not null, a
// message naming the byte offset.
std::optional<std::string> utf16(std::string_view utf8, bool little_endian, bool bom,
                                 std::string* error);

// pySigma's windash: each `-` or `/` that follows a non-word character (or
// starts the text) and precedes a word character may be any of `-`, `/`,
// U+2013, U+2014 or U+2015. Returns every combination, the first such
// position varying slowest, or just `text` when there is none. Stops after
// `limit` variants; `*truncated` (when not null) says whether it did.
std::vector<std::string> windash_variants(std::string_view text, size_t limit, bool* truncated);

}  // namespace socc::sema
