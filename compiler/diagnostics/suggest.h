#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diagnostics/diagnostic.h"

namespace socc::diagnostics {

// The candidate closest to `wrong` by edit distance, if one is close enough
// to be a plausible misspelling (at most a third of its length, at least 1).
std::optional<std::string> closest_match(std::string_view wrong,
                                         const std::vector<std::string>& candidates);

// Adds the note "did you mean 'x'?" to `diagnostic` when some candidate is a
// plausible misspelling of `wrong`.
void suggest(Diagnostic& diagnostic, std::string_view wrong,
             const std::vector<std::string>& candidates);

}  // namespace socc::diagnostics
