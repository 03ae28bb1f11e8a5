#include "runtime/match_helpers.h"

#include <re2/re2.h>
#include <string.h>

#include <memory>
#include <new>
#include <string>
#include <string_view>

namespace {

inline unsigned char fold(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c;
}

// Compares `size` bytes of text, folded, with an already folded needle.
inline bool equal_folded(const char* text, const char* needle, uint64_t size) {
  for (uint64_t i = 0; i < size; ++i) {
    if (fold(static_cast<unsigned char>(text[i])) != static_cast<unsigned char>(needle[i])) {
      return false;
    }
  }
  return true;
}

// Knuth-Morris-Pratt over folded text: every text byte is read once and
// the automaton falls back at most as often as it advanced, so the search
// is linear in size + needle_size whatever the bytes.
int kmp_search(const char* text, uint64_t size, const char* needle, uint64_t needle_size,
               uint64_t* failure) noexcept {
  // failure[k]: the length of the longest proper border of needle[0..k].
  failure[0] = 0;
  for (uint64_t k = 1, border = 0; k < needle_size; ++k) {
    while (border > 0 && needle[k] != needle[border]) border = failure[border - 1];
    if (needle[k] == needle[border]) ++border;
    failure[k] = border;
  }
  uint64_t matched = 0;
  for (uint64_t i = 0; i < size; ++i) {
    unsigned char c = fold(static_cast<unsigned char>(text[i]));
    while (matched > 0 && c != static_cast<unsigned char>(needle[matched])) {
      matched = failure[matched - 1];
    }
    if (c == static_cast<unsigned char>(needle[matched])) ++matched;
    if (matched == needle_size) return 1;
  }
  return 0;
}

// The failure table lives on the stack for the short needles rules use;
// longer ones take it from the heap.
int contains_folded_kmp(const char* text, uint64_t size, const char* needle,
                        uint64_t needle_size) noexcept {
  constexpr uint64_t kStackEntries = 256;
  if (needle_size <= kStackEntries) {
    uint64_t failure[kStackEntries];
    return kmp_search(text, size, needle, needle_size, failure);
  }
  std::unique_ptr<uint64_t[]> failure(new (std::nothrow) uint64_t[needle_size]);
  if (failure != nullptr) return kmp_search(text, size, needle, needle_size, failure.get());
  // Out of memory: stay correct (the helpers are total), if slowly.
  for (uint64_t i = 0; i + needle_size <= size; ++i) {
    if (equal_folded(text + i, needle, needle_size)) return 1;
  }
  return 0;
}

}  // namespace

extern "C" {

int socc_rt_eq_ci(const char* text, uint64_t size, const char* needle,
                  uint64_t needle_size) noexcept {
  return size == needle_size && equal_folded(text, needle, size);
}

int socc_rt_eq_cs(const char* text, uint64_t size, const char* needle,
                  uint64_t needle_size) noexcept {
  return size == needle_size && memcmp(text, needle, size) == 0;
}

// A first-byte scan with a direct comparison is fastest for the common case
// (the needle's first letter is rare in the text). Its worst case is
// quadratic, so it runs on a budget of compared bytes proportional to the
// text; past the budget the search finishes with KMP, which is linear in
// any case. Together the work stays linear: a few steps per text byte plus
// one pass over the needle.
int socc_rt_contains_ci(const char* text, uint64_t size, const char* needle,
                        uint64_t needle_size) noexcept {
  if (needle_size == 0) return 1;
  if (needle_size > size) return 0;
  const unsigned char first = static_cast<unsigned char>(needle[0]);
  uint64_t budget = size + 64;
  for (uint64_t i = 0; i + needle_size <= size; ++i) {
    if (fold(static_cast<unsigned char>(text[i])) != first) continue;
    uint64_t k = 1;
    while (k < needle_size &&
           fold(static_cast<unsigned char>(text[i + k])) == static_cast<unsigned char>(needle[k])) {
      ++k;
    }
    if (k == needle_size) return 1;
    if (k > budget) return contains_folded_kmp(text + i, size - i, needle, needle_size);
    budget -= k;
  }
  return 0;
}

int socc_rt_contains_cs(const char* text, uint64_t size, const char* needle,
                        uint64_t needle_size) noexcept {
  if (needle_size == 0) return 1;
  return memmem(text, size, needle, needle_size) != nullptr;
}

int socc_rt_starts_ci(const char* text, uint64_t size, const char* needle,
                      uint64_t needle_size) noexcept {
  return size >= needle_size && equal_folded(text, needle, needle_size);
}

int socc_rt_starts_cs(const char* text, uint64_t size, const char* needle,
                      uint64_t needle_size) noexcept {
  return size >= needle_size && memcmp(text, needle, needle_size) == 0;
}

int socc_rt_ends_ci(const char* text, uint64_t size, const char* needle,
                    uint64_t needle_size) noexcept {
  return size >= needle_size && equal_folded(text + size - needle_size, needle, needle_size);
}

int socc_rt_ends_cs(const char* text, uint64_t size, const char* needle,
                    uint64_t needle_size) noexcept {
  return size >= needle_size && memcmp(text + size - needle_size, needle, needle_size) == 0;
}

int socc_rt_in_set_ci(const char* text, uint64_t size, const socc_string* table,
                      uint64_t count) noexcept {
  for (uint64_t i = 0; i < count; ++i) {
    if (socc_rt_eq_ci(text, size, table[i].data, table[i].size)) return 1;
  }
  return 0;
}

int socc_rt_in_set_cs(const char* text, uint64_t size, const socc_string* table,
                      uint64_t count) noexcept {
  for (uint64_t i = 0; i < count; ++i) {
    if (socc_rt_eq_cs(text, size, table[i].data, table[i].size)) return 1;
  }
  return 0;
}

}  // extern "C"

namespace {

// Folds `other` into a buffer that lives as long as the thread, so the
// field-to-field helpers need no allocation once it has grown.
std::string_view folded_copy(const char* other, uint64_t size) {
  thread_local std::string buffer;
  buffer.assign(other, static_cast<size_t>(size));
  for (char& c : buffer) c = static_cast<char>(fold(static_cast<unsigned char>(c)));
  return buffer;
}

}  // namespace

int socc_rt_field_eq_ci(const char* text, uint64_t size, const char* other,
                        uint64_t other_size) noexcept {
  if (size != other_size) return 0;
  std::string_view needle = folded_copy(other, other_size);
  return socc_rt_eq_ci(text, size, needle.data(), needle.size());
}

int socc_rt_field_contains_ci(const char* text, uint64_t size, const char* other,
                              uint64_t other_size) noexcept {
  std::string_view needle = folded_copy(other, other_size);
  return socc_rt_contains_ci(text, size, needle.data(), needle.size());
}

int socc_rt_field_starts_ci(const char* text, uint64_t size, const char* other,
                            uint64_t other_size) noexcept {
  std::string_view needle = folded_copy(other, other_size);
  return socc_rt_starts_ci(text, size, needle.data(), needle.size());
}

int socc_rt_field_ends_ci(const char* text, uint64_t size, const char* other,
                          uint64_t other_size) noexcept {
  std::string_view needle = folded_copy(other, other_size);
  return socc_rt_ends_ci(text, size, needle.data(), needle.size());
}

int socc_rt_regex(const char* text, uint64_t size, const void* regex, uint64_t) noexcept {
  const auto* re = static_cast<const RE2*>(regex);
  return RE2::PartialMatch(std::string_view(text, static_cast<size_t>(size)), *re) ? 1 : 0;
}
