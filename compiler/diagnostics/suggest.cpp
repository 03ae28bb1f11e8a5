#include "compiler/diagnostics/suggest.h"

#include <algorithm>
#include <cctype>

namespace socc::diagnostics {
namespace {

// Edit distance with adjacent transpositions (optimal string alignment),
// case-insensitive: `imgae` is one slip away from `image`.
size_t edit_distance(std::string_view a, std::string_view b) {
  auto same = [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  };
  // Three rows: the one before the previous is needed for transpositions.
  std::vector<size_t> older(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = same(a[i - 1], b[j - 1]) ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1])) {
        current[j] = std::min(current[j], older[j - 2] + 1);
      }
    }
    std::swap(older, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

}  // namespace

std::optional<std::string> closest_match(std::string_view wrong,
                                         const std::vector<std::string>& candidates) {
  // Names longer than this are not worth the quadratic cost.
  if (wrong.size() > 128) return std::nullopt;
  size_t limit = std::max<size_t>(1, wrong.size() / 3);
  std::optional<std::string> best;
  size_t best_distance = limit + 1;
  for (const std::string& candidate : candidates) {
    if (candidate.size() > 128) continue;
    size_t distance = edit_distance(wrong, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

void suggest(Diagnostic& diagnostic, std::string_view wrong,
             const std::vector<std::string>& candidates) {
  if (auto match = closest_match(wrong, candidates)) {
    diagnostic.notes.push_back({{}, false, "did you mean '" + *match + "'?"});
  }
}

}  // namespace socc::diagnostics
