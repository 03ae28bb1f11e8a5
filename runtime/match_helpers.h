#pragma once

// String predicates called from generated matchers. Case-insensitive forms
// expect the constant (`needle`) already folded to lower case by the
// compiler; only ASCII letters fold. All are total: any bytes, any lengths.

#include "runtime/slot.h"

#ifdef __cplusplus
extern "C" {
#endif

int socc_rt_eq_ci(const char* text, uint64_t size, const char* needle,
                  uint64_t needle_size) noexcept;
int socc_rt_eq_cs(const char* text, uint64_t size, const char* needle,
                  uint64_t needle_size) noexcept;
int socc_rt_contains_ci(const char* text, uint64_t size, const char* needle,
                        uint64_t needle_size) noexcept;
int socc_rt_contains_cs(const char* text, uint64_t size, const char* needle,
                        uint64_t needle_size) noexcept;
int socc_rt_starts_ci(const char* text, uint64_t size, const char* needle,
                      uint64_t needle_size) noexcept;
int socc_rt_starts_cs(const char* text, uint64_t size, const char* needle,
                      uint64_t needle_size) noexcept;
int socc_rt_ends_ci(const char* text, uint64_t size, const char* needle,
                    uint64_t needle_size) noexcept;
int socc_rt_ends_cs(const char* text, uint64_t size, const char* needle,
                    uint64_t needle_size) noexcept;
// Whether `text` equals one of the `count` strings of `table`.
int socc_rt_in_set_ci(const char* text, uint64_t size, const socc_string* table,
                      uint64_t count) noexcept;
int socc_rt_in_set_cs(const char* text, uint64_t size, const socc_string* table,
                      uint64_t count) noexcept;

// Case-insensitive tests of one field against another: both sides fold.
int socc_rt_field_eq_ci(const char* text, uint64_t size, const char* other,
                        uint64_t other_size) noexcept;
int socc_rt_field_contains_ci(const char* text, uint64_t size, const char* other,
                              uint64_t other_size) noexcept;
int socc_rt_field_starts_ci(const char* text, uint64_t size, const char* other,
                            uint64_t other_size) noexcept;
int socc_rt_field_ends_ci(const char* text, uint64_t size, const char* other,
                          uint64_t other_size) noexcept;

// Whether the compiled regular expression `regex` (an RE2 object) matches
// somewhere in `text`. `unused` keeps the helpers' common signature.
int socc_rt_regex(const char* text, uint64_t size, const void* regex, uint64_t unused) noexcept;

#ifdef __cplusplus
}
#endif
