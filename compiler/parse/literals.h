#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace socc::parse {

// Decodes the text of a STRING token, quotes included. "..." strings take
// the escapes \\ \" \' \n \r \t \0 \xHH and \u{H...}; '...' strings are raw
// except that '' stands for one quote. Returns nullopt and the offset of the
// bad escape (from the token start) on error.
std::optional<std::string> decode_string(std::string_view token, size_t* error_offset);

// Decimal or 0x-hexadecimal; nullopt when it does not fit in int64.
std::optional<int64_t> decode_int(std::string_view token, bool negative);

}  // namespace socc::parse
