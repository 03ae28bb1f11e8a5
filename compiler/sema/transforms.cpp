#include "compiler/sema/transforms.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

namespace socc::sema {

namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// text[start:end] with Python's slicing rules, which pySigma's offsets rely
// on: negative bounds count from the end, bounds are clamped to the text,
// and a start past the end gives the empty string.
std::string python_slice(const std::string& text, long start, std::optional<long> end) {
  long size = static_cast<long>(text.size());
  auto clamp = [size](long bound) {
    return std::clamp(bound < 0 ? bound + size : bound, 0L, size);
  };
  long from = clamp(start);
  long to = end ? clamp(*end) : size;
  if (from >= to) return {};
  return text.substr(static_cast<size_t>(from), static_cast<size_t>(to - from));
}

// Decodes the well-formed UTF-8 sequence at `*at` (Unicode table 3-7) and
// steps past it; false when there is none.
bool decode_utf8(std::string_view text, size_t* at, uint32_t* code_point) {
  auto byte = [&](size_t i) -> uint32_t { return static_cast<unsigned char>(text[i]); };
  size_t i = *at;
  uint32_t lead = byte(i);
  if (lead < 0x80) {
    *code_point = lead;
    *at = i + 1;
    return true;
  }
  size_t length = 0;
  uint32_t low = 0x80;
  uint32_t high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    return false;
  }
  if (text.size() - i < length) return false;
  uint32_t value = lead & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    uint32_t next = byte(i + k);
    if (next < (k == 1 ? low : 0x80) || next > (k == 1 ? high : 0xBF)) return false;
    value = (value << 6) | (next & 0x3F);
  }
  *code_point = value;
  *at = i + length;
  return true;
}

void append_unit(std::string* out, uint32_t unit, bool little_endian) {
  char low = static_cast<char>(unit & 0xFF);
  char high = static_cast<char>(unit >> 8);
  if (little_endian) {
    out->push_back(low);
    out->push_back(high);
  } else {
    out->push_back(high);
    out->push_back(low);
  }
}

// Python's \w is Unicode-aware; every byte of a multi-byte UTF-8 character
// counts as a word character here, which treats all non-ASCII characters
// as letters. Non-ASCII punctuation next to a dash is rare in command lines.
bool is_word(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c >= 0x80;
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&](size_t k) -> uint32_t { return static_cast<unsigned char>(bytes[k]); };
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t group = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    for (int shift = 18; shift >= 0; shift -= 6) out.push_back(kAlphabet[(group >> shift) & 63]);
  }
  size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t group = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
    out.push_back(kAlphabet[(group >> 18) & 63]);
    out.push_back(kAlphabet[(group >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(group >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::vector<std::string> base64_offsets(std::string_view bytes) {
  // Offset i is encoded after i filler bytes; the start drops the
  // characters that encode filler and the end those that depend on
  // whatever follows the value. pySigma takes the length in characters,
  // which equals this byte length for the ASCII values the modifier is
  // used with.
  static constexpr long kStart[3] = {0, 2, 3};
  static constexpr std::optional<long> kEnd[3] = {std::nullopt, -3, -2};
  std::vector<std::string> forms;
  for (size_t i = 0; i < 3; ++i) {
    std::string padded(i, ' ');
    padded.append(bytes);
    std::string form = python_slice(base64_encode(padded), kStart[i], kEnd[(bytes.size() + i) % 3]);
    if (std::find(forms.begin(), forms.end(), form) == forms.end()) forms.push_back(form);
  }
  return forms;
}

std::optional<std::string> utf16(std::string_view utf8, bool little_endian, bool bom,
                                 std::string* error) {
  std::string out;
  out.reserve(2 * utf8.size() + 2);
  if (bom) append_unit(&out, 0xFEFF, little_endian);
  for (size_t at = 0; at < utf8.size();) {
    uint32_t code_point = 0;
    if (!decode_utf8(utf8, &at, &code_point)) {
      if (error != nullptr) *error = "invalid UTF-8 at byte " + std::to_string(at);
      return std::nullopt;
    }
    if (code_point < 0x10000) {
      append_unit(&out, code_point, little_endian);
    } else {
      uint32_t offset = code_point - 0x10000;
      append_unit(&out, 0xD800 | (offset >> 10), little_endian);
      append_unit(&out, 0xDC00 | (offset & 0x3FF), little_endian);
    }
  }
  return out;
}

std::vector<std::string> windash_variants(std::string_view text, size_t limit, bool* truncated) {
  static constexpr std::string_view kDashes[] = {"-", "/", "\u2013", "\u2014", "\u2015"};
  constexpr size_t kChoices = std::size(kDashes);
  auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  std::vector<size_t> positions;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '-' && text[i] != '/') continue;
    bool after_word = i > 0 && is_word(byte(i - 1));
    bool before_word = i + 1 < text.size() && is_word(byte(i + 1));
    if (!after_word && before_word) positions.push_back(i);
  }
  std::vector<std::string> variants;
  if (truncated != nullptr) *truncated = false;
  // An odometer over the positions' choices, the last position turning
  // fastest; it stops at the limit, so the work is bounded by the output.
  std::vector<size_t> choice(positions.size(), 0);
  for (;;) {
    if (variants.size() == limit) {
      if (truncated != nullptr) *truncated = true;
      return variants;
    }
    std::string variant;
    size_t copied = 0;
    for (size_t k = 0; k < positions.size(); ++k) {
      variant.append(text.substr(copied, positions[k] - copied));
      variant.append(kDashes[choice[k]]);
      copied = positions[k] + 1;
    }
    variant.append(text.substr(copied));
    variants.push_back(std::move(variant));
    size_t k = positions.size();
    while (k > 0 && ++choice[k - 1] == kChoices) choice[--k] = 0;
    if (k == 0) return variants;
  }
}

}  // namespace socc::sema
