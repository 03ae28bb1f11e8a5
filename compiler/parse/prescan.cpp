#include "compiler/parse/prescan.h"

#include <fmt/format.h>

namespace socc::parse {
namespace {

// Length of the UTF-8 sequence starting at `i`, or 0 if it is invalid
// (overlong forms, surrogates and values past U+10FFFF are invalid too).
size_t utf8_sequence_length(std::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  size_t length;
  uint32_t min_value;
  uint32_t value;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, min_value = 0x80, value = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, min_value = 0x800, value = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, min_value = 0x10000, value = lead & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    value = (value << 6) | (byte(i + k) & 0x3F);
  }
  if (value < min_value || value > 0x10FFFF) return 0;
  if (value >= 0xD800 && value <= 0xDFFF) return 0;
  return length;
}

}  // namespace

bool check_bytes(std::string_view text, diagnostics::FileId file_id,
                 diagnostics::DiagnosticSink& sink) {
  bool reported_nul = false;
  bool reported_utf8 = false;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '\0') {
      if (!reported_nul) {
        uint32_t at = static_cast<uint32_t>(i);
        sink.emit(diagnostics::Kind::NulByte, {file_id, at, at + 1},
                  "source files may not contain NUL bytes");
        reported_nul = true;
      }
      ++i;
      continue;
    }
    size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      if (!reported_utf8) {
        uint32_t at = static_cast<uint32_t>(i);
        sink.emit(diagnostics::Kind::InvalidUtf8, {file_id, at, at + 1},
                  fmt::format("invalid UTF-8 byte 0x{:02X}", static_cast<unsigned char>(text[i])));
        reported_utf8 = true;
      }
      ++i;
      continue;
    }
    i += length;
  }
  return !reported_nul && !reported_utf8;
}

OffsetMap::OffsetMap(std::string_view text) : size_(static_cast<uint32_t>(text.size())) {
  bool ascii = true;
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return;
  for (uint32_t i = 0; i < text.size(); ++i) {
    // Continuation bytes do not start a code point.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      offsets_.push_back(i);
    }
  }
}

uint32_t OffsetMap::byte_offset(size_t code_point_index) const {
  if (offsets_.empty()) {
    return static_cast<uint32_t>(std::min<size_t>(code_point_index, size_));
  }
  if (code_point_index >= offsets_.size()) return size_;
  return offsets_[code_point_index];
}

}  // namespace socc::parse
