#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace socc::runtime {

// Parses an RFC 3339 / ISO 8601 UTC time as Windows and evtx dumpers write
// it: `2019-04-30T22:48:59.260851Z`, any number of fraction digits (cut to
// microseconds), `Z` or a `+hh:mm` offset, and a space instead of `T`.
// Returns microseconds since the Unix epoch.
std::optional<int64_t> parse_timestamp(std::string_view text);

// Formats microseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
std::string format_timestamp(int64_t micros);

}  // namespace socc::runtime
