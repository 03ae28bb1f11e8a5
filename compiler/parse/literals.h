#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/ast/ast.h"

namespace socc::parse {

// Decodes the text of a STRING token, quotes included. "..." strings take
// the escapes \\ \" \' \n \r \t \0 \xHH and \u{H...}; '...' strings are raw
// except that '' stands for one quote. Returns nullopt and the offset of the
// bad escape (from the token start) on error.
std::optional<std::string> decode_string(std::string_view token, size_t* error_offset);

// Decimal or 0x-hexadecimal; nullopt when it does not fit in int64.
std::optional<int64_t> decode_int(std::string_view token, bool negative);

// The microseconds a duration token such as `90s` or `1h30m` stands for
// (units us, ms, s, m, h, d); nullopt on overflow.
std::optional<int64_t> decode_duration(std::string_view token);

// Microseconds since the epoch of a date-time token (`2024-05-01`,
// `2024-05-01T12:00`, `2024-05-01T12:00:00.5+02:00`); UTC without a zone.
// nullopt for impossible dates and times.
std::optional<int64_t> decode_datetime(std::string_view token);

// Fills `literal` from an IPv4 token: an address (`10.0.0.1`) or a network
// (`10.0.0.0/8`). False with a message for bytes over 255, a prefix over
// 32, or host bits set below the prefix.
bool decode_network(std::string_view token, ast::Literal* literal, std::string* error);

}  // namespace socc::parse
