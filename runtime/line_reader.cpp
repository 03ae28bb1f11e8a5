#include "runtime/line_reader.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace socc::runtime {

LineReader::LineReader(int fd, size_t max_line)
    : fd_(fd), max_line_(max_line), buffer_(std::min<size_t>(1 << 16, max_line + 1)) {}

bool LineReader::fill() {
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  // The buffer grows with the longest line seen, up to the line limit.
  if (end_ == buffer_.size()) {
    buffer_.resize(std::min(buffer_.size() * 2, max_line_ + 1));
  }
  while (end_ < buffer_.size()) {
    ssize_t got = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      eof_ = true;
      return got == 0;
    }
    end_ += static_cast<size_t>(got);
    // Return as soon as something arrived, so stdin streams line by line.
    return true;
  }
  return true;
}

LineReader::Status LineReader::line_at(size_t begin, size_t length, std::string_view* line,
                                       size_t* line_number) {
  *line_number = ++line_number_;
  length_ = length;
  const char* start = buffer_.data() + begin;
  if (length > 0 && start[length - 1] == '\r') --length;
  // Only the first line of a stream can start with its byte order mark.
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (line_number_ == 1 && std::string_view(start, length).starts_with(kBom)) {
    start += kBom.size();
    length -= kBom.size();
  }
  *line = std::string_view(start, length);
  return Status::Line;
}

LineReader::Status LineReader::next(std::string_view* line, size_t* line_number) {
  bool skipping = false;
  size_t skipped = 0;
  while (true) {
    const char* start = buffer_.data() + begin_;
    const void* newline = std::memchr(start, '\n', end_ - begin_);
    if (newline != nullptr) {
      size_t length = static_cast<const char*>(newline) - start;
      size_t begin = begin_;
      begin_ += length + 1;
      if (skipping || length > max_line_) {
        *line_number = ++line_number_;
        length_ = skipped + length;
        *line = {};
        return Status::TooLong;
      }
      return line_at(begin, length, line, line_number);
    }
    if (skipping || end_ - begin_ > max_line_) {
      // Drop what we have of the over-long line and keep reading to its end.
      skipping = true;
      skipped += end_ - begin_;
      begin_ = end_;
    }
    if (eof_) {
      if (end_ == begin_) {
        if (skipping) {
          *line_number = ++line_number_;
          length_ = skipped;
          *line = {};
          return Status::TooLong;
        }
        return Status::End;
      }
      // A last line without a newline (never over-long here: the buffer
      // holds at most max_line_ + 1 bytes and more would have been dropped).
      size_t begin = begin_;
      begin_ = end_;
      return line_at(begin, end_ - begin, line, line_number);
    }
    if (!fill()) return Status::Error;
  }
}

}  // namespace socc::runtime
