#pragma once

// The value of one decoded slot, shared by the decoder, the runtime and the
// generated matchers. The layout is part of the ABI between the runtime and
// generated code: the code generator emits the same struct, field by field,
// and compiled packs depend on it.

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct socc_slot {
  // String value (for string and timestamp slots): not NUL-terminated, valid
  // until the next event is decoded.
  const char* data;
  uint64_t size;
  // Integer value; for timestamps, microseconds since the Unix epoch; for
  // durations, microseconds; for ip addresses, the high 64 bits of the
  // 128-bit address (IPv4 is mapped into ::ffff:0:0/96).
  int64_t integer;
  double real;
  // 1 when the event has a value for the slot, 0 when it is missing or null.
  uint8_t present;
  // Bool value: always 0 or 1 (generated code compares it with 1).
  uint8_t boolean;
  // For ip addresses, the low 64 bits of the address.
  uint64_t low;
} socc_slot;

// A string constant in a generated set table.
typedef struct socc_string {
  const char* data;
  uint64_t size;
} socc_string;

#ifdef __cplusplus
}
#endif
