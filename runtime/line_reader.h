#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace socc::runtime {

// Reads newline-separated records from a file descriptor without holding
// more than `max_line` bytes of any one line: an over-long line is skipped
// to its end and reported, so a hostile input cannot exhaust memory. A UTF-8
// byte order mark at the very start of the stream is dropped (editors on
// Windows write one); anywhere else it is part of the line.
class LineReader {
 public:
  LineReader(int fd, size_t max_line);

  enum class Status { Line, TooLong, End, Error };

  // The next line without its line end (a trailing '\r' is kept out too).
  // `line_number` is 1-based. On TooLong, `line` is empty.
  Status next(std::string_view* line, size_t* line_number);

  // The length in bytes of the record `next` returned last, without its
  // line end; for TooLong, the full length of the skipped line.
  size_t length() const { return length_; }

 private:
  bool fill();
  Status line_at(size_t begin, size_t length, std::string_view* line, size_t* line_number);

  int fd_;
  size_t max_line_;
  std::vector<char> buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
  size_t line_number_ = 0;
  size_t length_ = 0;
};

}  // namespace socc::runtime
