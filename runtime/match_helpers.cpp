#include "runtime/match_helpers.h"

#include <string.h>

namespace {

inline unsigned char fold(unsigned char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<unsigned char>(c + 32) : c;
}

// Compares `size` bytes of text, folded, with an already folded needle.
inline bool equal_folded(const char* text, const char* needle, uint64_t size) {
  for (uint64_t i = 0; i < size; ++i) {
    if (fold(static_cast<unsigned char>(text[i])) !=
        static_cast<unsigned char>(needle[i])) {
      return false;
    }
  }
  return true;
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

// A first-byte scan keeps the common case (the needle's first letter is
// rare) fast; the worst case is O(size * needle_size), bounded by the event
// size limit of the reader.
int socc_rt_contains_ci(const char* text, uint64_t size, const char* needle,
                        uint64_t needle_size) noexcept {
  if (needle_size == 0) return 1;
  if (needle_size > size) return 0;
  unsigned char first = static_cast<unsigned char>(needle[0]);
  for (uint64_t i = 0; i + needle_size <= size; ++i) {
    if (fold(static_cast<unsigned char>(text[i])) != first) continue;
    if (equal_folded(text + i + 1, needle + 1, needle_size - 1)) return 1;
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
  return size >= needle_size &&
         equal_folded(text + size - needle_size, needle, needle_size);
}

int socc_rt_ends_cs(const char* text, uint64_t size, const char* needle,
                    uint64_t needle_size) noexcept {
  return size >= needle_size &&
         memcmp(text + size - needle_size, needle, needle_size) == 0;
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
