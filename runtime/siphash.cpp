#include "runtime/siphash.h"

namespace socc::runtime {
namespace {

inline uint64_t rotate_left(uint64_t x, int bits) {
  return (x << bits) | (x >> (64 - bits));
}

struct SipState {
  uint64_t v0, v1, v2, v3;

  void round() {
    v0 += v1;
    v1 = rotate_left(v1, 13);
    v1 ^= v0;
    v0 = rotate_left(v0, 32);
    v2 += v3;
    v3 = rotate_left(v3, 16);
    v3 ^= v2;
    v0 += v3;
    v3 = rotate_left(v3, 21);
    v3 ^= v0;
    v2 += v1;
    v1 = rotate_left(v1, 17);
    v1 ^= v2;
    v2 = rotate_left(v2, 32);
  }

  void absorb(uint64_t word) {
    v3 ^= word;
    round();
    round();
    v0 ^= word;
  }
};

// Reads 8 bytes as a little-endian word, as the SipHash specification does.
uint64_t load_le(const unsigned char* bytes, size_t count) {
  uint64_t word = 0;
  for (size_t i = 0; i < count; ++i) word |= uint64_t{bytes[i]} << (8 * i);
  return word;
}

}  // namespace

uint64_t siphash24(uint64_t key0, uint64_t key1, std::string_view data) {
  SipState state{0x736f6d6570736575ULL ^ key0, 0x646f72616e646f6dULL ^ key1,
                 0x6c7967656e657261ULL ^ key0, 0x7465646279746573ULL ^ key1};
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  size_t whole = data.size() & ~size_t{7};
  for (size_t i = 0; i < whole; i += 8) state.absorb(load_le(bytes + i, 8));
  // The last block carries the remaining bytes and the length's low byte.
  state.absorb(load_le(bytes + whole, data.size() - whole) | (uint64_t{data.size()} << 56));
  state.v2 ^= 0xff;
  for (int i = 0; i < 4; ++i) state.round();
  return state.v0 ^ state.v1 ^ state.v2 ^ state.v3;
}

}  // namespace socc::runtime
