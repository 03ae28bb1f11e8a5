#pragma once

#include <cstdint>
#include <string_view>

namespace socc::runtime {

// SipHash-2-4 (Aumasson and Bernstein): a keyed 64-bit hash. Without the
// key, inputs that collide cannot be found faster than by brute force, so
// a digest of attacker-chosen text can stand in for the text itself.
uint64_t siphash24(uint64_t key0, uint64_t key1, std::string_view data);

}  // namespace socc::runtime
