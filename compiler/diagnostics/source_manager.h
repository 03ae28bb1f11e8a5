#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace socc::diagnostics {

// Identifies a file held by a SourceManager. Ids are dense, starting at 0.
using FileId = uint32_t;

// A half-open byte range [begin, end) in one source file.
struct Span {
  FileId file_id = 0;
  uint32_t begin = 0;
  uint32_t end = 0;
};

// A 1-based line and column; the column counts bytes.
struct LineColumn {
  uint32_t line = 1;
  uint32_t column = 1;
};

// Owns the text of every source file of a compilation, so that spans stay
// valid for as long as diagnostics may be printed.
class SourceManager {
 public:
  FileId add(std::string path, std::string text);

  const std::string& path(FileId file_id) const { return files_[file_id].path; }
  const std::string& text(FileId file_id) const { return files_[file_id].text; }
  size_t file_count() const { return files_.size(); }

  LineColumn position(FileId file_id, uint32_t offset) const;
  // The byte offset of a 1-based line and column, clamped to the file.
  uint32_t offset(FileId file_id, LineColumn at) const;
  // The text of a 1-based line, without its line end.
  std::string_view line_text(FileId file_id, uint32_t line) const;

 private:
  struct File {
    std::string path;
    std::string text;
    // Byte offset at which each line starts.
    std::vector<uint32_t> line_starts;
  };
  std::vector<File> files_;
};

}  // namespace socc::diagnostics
