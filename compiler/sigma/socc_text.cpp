#include "compiler/sigma/socc_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <iterator>

namespace socc::sigma {

bool is_keyword(std::string_view word) {
  static const char* const kKeywords[] = {
      "module",   "import",  "schema",  "select",   "list", "macro", "detection", "on",
      "where",    "respond", "action",  "playbook", "step", "when",  "test",      "fires",
      "quiet",    "and",     "or",      "not",      "in",   "cs",    "contains",  "startswith",
      "endswith", "like",    "matches", "any",      "all",  "true",  "false"};
  return std::find(std::begin(kKeywords), std::end(kKeywords), word) != std::end(kKeywords);
}

std::string quote(std::string_view text) {
  bool raw = std::all_of(text.begin(), text.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte != 0x7f;
  });
  std::string out;
  out.reserve(text.size() + 2);
  if (raw) {
    out += '\'';
    for (char c : text) {
      if (c == '\'') out += '\'';
      out += c;
    }
    out += '\'';
    return out;
  }
  out += '"';
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          out += fmt::format("\\x{:02x}", byte);
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

std::string ascii_lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string identifier(std::string_view text) {
  std::string out;
  for (char c : text) {
    out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
  }
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out.insert(0, "_");
  if (is_keyword(out)) out += '_';
  return out;
}

}  // namespace socc::sigma
