#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "compiler/diagnostics/diagnostic.h"

namespace socc::parse {

// Checks that a file is UTF-8 without NUL bytes before the lexer sees it.
// Reports the first offending byte of each kind; returns false if any.
bool check_bytes(std::string_view text, diagnostics::FileId file_id,
                 diagnostics::DiagnosticSink& sink);

// Maps the code-point indices ANTLR reports to byte offsets in the file.
class OffsetMap {
 public:
  explicit OffsetMap(std::string_view text);
  uint32_t byte_offset(size_t code_point_index) const;

 private:
  // Empty when the text is ASCII and indices are byte offsets already.
  std::vector<uint32_t> offsets_;
  uint32_t size_ = 0;
};

}  // namespace socc::parse
