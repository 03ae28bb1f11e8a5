#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace socc::diagnostics {

// The candidate closest to `wrong` by edit distance, if one is close enough
// to be a plausible misspelling (at most a third of its length, at least 1).
std::optional<std::string> closest_match(std::string_view wrong,
                                         const std::vector<std::string>& candidates);

}  // namespace socc::diagnostics
