#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace socc::runtime {

// Appends compact JSON to a string. The caller keeps the structure
// balanced; the writer handles commas and escaping.
class JsonWriter {
 public:
  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view name);
  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(int64_t number);
  // A non-finite number is written as null.
  JsonWriter& value(double number);
  JsonWriter& value(bool flag);
  JsonWriter& null();

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  void separate();

  std::string out_;
  bool need_comma_ = false;
};

// Escapes text for a JSON string. Bytes that are not valid UTF-8 become
// U+FFFD, so the output stays valid JSON whatever the event contained.
void append_json_string(std::string& out, std::string_view text);

}  // namespace socc::runtime
