#include "compiler/diagnostics/source_manager.h"

#include <algorithm>

namespace socc::diagnostics {

FileId SourceManager::add(std::string path, std::string text) {
  File file{std::move(path), std::move(text), {0}};
  // Lines end with \n, \r\n, or a lone \r (old Mac files).
  const std::string& content = file.text;
  for (uint32_t i = 0; i < content.size(); ++i) {
    bool lone_cr = content[i] == '\r' && (i + 1 == content.size() || content[i + 1] != '\n');
    if (content[i] == '\n' || lone_cr) file.line_starts.push_back(i + 1);
  }
  files_.push_back(std::move(file));
  return static_cast<FileId>(files_.size() - 1);
}

LineColumn SourceManager::position(FileId file_id, uint32_t offset) const {
  const File& file = files_[file_id];
  auto it = std::upper_bound(file.line_starts.begin(), file.line_starts.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - file.line_starts.begin());
  uint32_t column = offset - file.line_starts[line - 1] + 1;
  return {line, column};
}

uint32_t SourceManager::offset(FileId file_id, LineColumn at) const {
  const File& file = files_[file_id];
  uint32_t size = static_cast<uint32_t>(file.text.size());
  if (at.line == 0 || at.line > file.line_starts.size()) return size;
  uint32_t begin = file.line_starts[at.line - 1];
  uint32_t column = at.column == 0 ? 0 : at.column - 1;
  return std::min(size, begin + column);
}

std::string_view SourceManager::line_text(FileId file_id, uint32_t line) const {
  const File& file = files_[file_id];
  if (line == 0 || line > file.line_starts.size()) return {};
  uint32_t begin = file.line_starts[line - 1];
  uint32_t end = line < file.line_starts.size() ? file.line_starts[line]
                                                : static_cast<uint32_t>(file.text.size());
  std::string_view text(file.text);
  text = text.substr(begin, end - begin);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace socc::diagnostics
