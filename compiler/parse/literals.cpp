#include "compiler/parse/literals.h"

#include <fmt/format.h>

#include <charconv>
#include <limits>

#include "runtime/timestamp.h"

namespace socc::parse {
namespace {

void append_utf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::optional<std::string> decode_string(std::string_view token, size_t* error_offset) {
  std::string out;
  if (token.size() < 2) return out;
  char quote = token.front();
  std::string_view body = token.substr(1, token.size() - 2);
  if (quote == '\'') {
    for (size_t i = 0; i < body.size(); ++i) {
      out += body[i];
      if (body[i] == '\'') ++i;
    }
    return out;
  }
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] != '\\') {
      out += body[i];
      continue;
    }
    size_t escape_at = i + 1;
    if (++i >= body.size()) break;
    switch (body[i]) {
      case '\\':
        out += '\\';
        break;
      case '"':
        out += '"';
        break;
      case '\'':
        out += '\'';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case '0':
        out += '\0';
        break;
      case 'x': {
        int high = i + 1 < body.size() ? hex_digit(body[i + 1]) : -1;
        int low = i + 2 < body.size() ? hex_digit(body[i + 2]) : -1;
        if (high < 0 || low < 0) {
          *error_offset = escape_at;
          return std::nullopt;
        }
        out += static_cast<char>(high * 16 + low);
        i += 2;
        break;
      }
      case 'u': {
        // \u{1F600}: one to six hex digits naming a Unicode scalar value.
        size_t close = body.find('}', i);
        if (i + 1 >= body.size() || body[i + 1] != '{' || close == std::string_view::npos ||
            close - i - 2 > 6 || close == i + 2) {
          *error_offset = escape_at;
          return std::nullopt;
        }
        uint32_t code_point = 0;
        for (size_t j = i + 2; j < close; ++j) {
          int digit = hex_digit(body[j]);
          if (digit < 0) {
            *error_offset = escape_at;
            return std::nullopt;
          }
          code_point = code_point * 16 + digit;
        }
        if (code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) {
          *error_offset = escape_at;
          return std::nullopt;
        }
        append_utf8(out, code_point);
        i = close;
        break;
      }
      default:
        *error_offset = escape_at;
        return std::nullopt;
    }
  }
  return out;
}

std::optional<int64_t> decode_int(std::string_view token, bool negative) {
  int base = 10;
  if (token.size() > 2 && token[0] == '0' && (token[1] == 'x' || token[1] == 'X')) {
    token.remove_prefix(2);
    base = 16;
  }
  uint64_t magnitude = 0;
  auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), magnitude, base);
  if (error != std::errc() || end != token.data() + token.size()) {
    return std::nullopt;
  }
  constexpr uint64_t kMax = std::numeric_limits<int64_t>::max();
  if (!negative && magnitude > kMax) return std::nullopt;
  if (negative && magnitude > kMax + 1) return std::nullopt;
  return negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
}

std::optional<int64_t> decode_duration(std::string_view token) {
  int64_t total = 0;
  size_t i = 0;
  while (i < token.size()) {
    uint64_t count = 0;
    auto [end, error] = std::from_chars(token.data() + i, token.data() + token.size(), count);
    if (error != std::errc()) return std::nullopt;
    i = static_cast<size_t>(end - token.data());
    std::string_view rest = token.substr(i);
    int64_t unit = 0;
    size_t unit_size = 1;
    if (rest.starts_with("us")) {
      unit = 1, unit_size = 2;
    } else if (rest.starts_with("ms")) {
      unit = 1000, unit_size = 2;
    } else if (rest.starts_with("s")) {
      unit = 1000000;
    } else if (rest.starts_with("m")) {
      unit = 60LL * 1000000;
    } else if (rest.starts_with("h")) {
      unit = 3600LL * 1000000;
    } else if (rest.starts_with("d")) {
      unit = 86400LL * 1000000;
    } else {
      return std::nullopt;
    }
    i += unit_size;
    int64_t part = 0;
    if (count > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ||
        __builtin_mul_overflow(static_cast<int64_t>(count), unit, &part) ||
        __builtin_add_overflow(total, part, &total)) {
      return std::nullopt;
    }
  }
  return total;
}

std::optional<int64_t> decode_datetime(std::string_view token) {
  // The runtime's parser wants seconds; the token may stop at the date or
  // the minutes.
  std::string text(token);
  if (text.size() == 10) {
    text += "T00:00:00";
  } else if (text.size() >= 16 && (text.size() == 16 || text[16] != ':')) {
    text.insert(16, ":00");
  }
  return runtime::parse_timestamp(text);
}

bool decode_network(std::string_view token, ast::Literal* literal, std::string* error) {
  uint32_t address = 0;
  size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(token.data() + i, token.data() + token.size(), value);
    if (ec != std::errc() || value > 255) {
      *error = "each part of an IPv4 address is a number from 0 to 255";
      return false;
    }
    address = (address << 8) | value;
    i = static_cast<size_t>(end - token.data()) + 1;  // past the dot or slash
  }
  literal->ip_hi = 0;
  literal->ip_lo = 0x0000ffff00000000ULL | address;
  if (i > token.size()) {
    literal->kind = ast::LiteralKind::Ip;
    literal->prefix = 128;
    return true;
  }
  unsigned prefix = 0;
  auto [end, ec] = std::from_chars(token.data() + i, token.data() + token.size(), prefix);
  if (ec != std::errc() || prefix > 32) {
    *error = "an IPv4 network has a prefix length from 0 to 32";
    return false;
  }
  literal->kind = ast::LiteralKind::Cidr;
  literal->prefix = static_cast<int>(96 + prefix);
  uint32_t mask = prefix == 0 ? 0 : ~uint32_t{0} << (32 - prefix);
  if ((address & ~mask) != 0) {
    uint32_t network = address & mask;
    *error = fmt::format("host bits are set below the prefix; did you mean {}.{}.{}.{}/{}?",
                         network >> 24, (network >> 16) & 255, (network >> 8) & 255, network & 255,
                         prefix);
    return false;
  }
  return true;
}

}  // namespace socc::parse
