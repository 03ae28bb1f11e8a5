#include "runtime/ip.h"

#include <arpa/inet.h>
#include <string.h>

namespace socc::runtime {

namespace {

// Longer than any address with a sensible zone; longer texts are refused
// before they are copied, so the copy fits a stack buffer.
constexpr size_t kMaxText = 64;

constexpr uint64_t kMappedPrefix = 0x0000ffff00000000ULL;

bool is_mapped(const IpAddress& address) {
  return address.hi == 0 && (address.lo & 0xffffffff00000000ULL) == kMappedPrefix;
}

IpAddress from_bytes(const unsigned char bytes[16]) {
  IpAddress address;
  for (int i = 0; i < 8; ++i) address.hi = (address.hi << 8) | bytes[i];
  for (int i = 8; i < 16; ++i) address.lo = (address.lo << 8) | bytes[i];
  return address;
}

void to_bytes(const IpAddress& address, unsigned char bytes[16]) {
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<unsigned char>(address.hi >> (56 - 8 * i));
    bytes[8 + i] = static_cast<unsigned char>(address.lo >> (56 - 8 * i));
  }
}

// Interface names and numeric indices: nothing that could hide another
// address, a prefix or whitespace.
bool valid_zone(std::string_view zone) {
  if (zone.empty()) return false;
  for (char c : zone) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Like parse_ip; also tells whether the text was an IPv4 address.
std::optional<IpAddress> parse_address(std::string_view text, bool* is_v4) {
  // inet_pton stops at a NUL, so one inside the text would hide the rest.
  if (text.empty() || text.size() > kMaxText || text.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  size_t percent = text.find('%');
  std::string_view address_text = text.substr(0, percent);
  char buffer[kMaxText + 1];
  memcpy(buffer, address_text.data(), address_text.size());
  buffer[address_text.size()] = '\0';
  unsigned char bytes[16] = {};
  if (percent == std::string_view::npos && inet_pton(AF_INET, buffer, bytes + 12) == 1) {
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    *is_v4 = true;
    return from_bytes(bytes);
  }
  if (percent != std::string_view::npos && !valid_zone(text.substr(percent + 1))) {
    return std::nullopt;
  }
  if (inet_pton(AF_INET6, buffer, bytes) != 1) return std::nullopt;
  *is_v4 = false;
  return from_bytes(bytes);
}

// The mask of the first `prefix` bits, as the two halves.
void prefix_mask(int prefix, uint64_t* hi, uint64_t* lo) {
  if (prefix <= 0) {
    *hi = 0;
    *lo = 0;
  } else if (prefix < 64) {
    *hi = ~uint64_t{0} << (64 - prefix);
    *lo = 0;
  } else if (prefix == 64) {
    *hi = ~uint64_t{0};
    *lo = 0;
  } else if (prefix < 128) {
    *hi = ~uint64_t{0};
    *lo = ~uint64_t{0} << (128 - prefix);
  } else {
    *hi = ~uint64_t{0};
    *lo = ~uint64_t{0};
  }
}

void set_error(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
}

}  // namespace

std::optional<IpAddress> parse_ip(std::string_view text) {
  bool is_v4 = false;
  return parse_address(text, &is_v4);
}

std::optional<Cidr> parse_cidr(std::string_view text, std::string* error) {
  size_t slash = text.find('/');
  std::string_view address_text = text.substr(0, slash);
  bool is_v4 = false;
  std::optional<IpAddress> address = parse_address(address_text, &is_v4);
  if (!address && address_text.empty()) {
    set_error(error, "missing address");
    return std::nullopt;
  }
  if (!address) {
    set_error(error, "'" + std::string(address_text.substr(0, kMaxText)) +
                         (address_text.size() > kMaxText ? "...'" : "'") +
                         " is not an IPv4 or IPv6 address");
    return std::nullopt;
  }
  int width = is_v4 ? 32 : 128;
  int prefix = width;
  if (slash != std::string_view::npos) {
    std::string_view digits = text.substr(slash + 1);
    bool ok = !digits.empty() && digits.size() <= 3;
    prefix = 0;
    for (size_t i = 0; ok && i < digits.size(); ++i) {
      ok = digits[i] >= '0' && digits[i] <= '9';
      prefix = prefix * 10 + (digits[i] - '0');
    }
    if (!ok || prefix > width) {
      set_error(error, std::string("the prefix length must be a number from 0 to ") +
                           std::to_string(width) + (is_v4 ? " for an IPv4 network" : ""));
      return std::nullopt;
    }
  }
  Cidr cidr{*address, prefix + (128 - width)};
  uint64_t hi = 0;
  uint64_t lo = 0;
  prefix_mask(cidr.prefix, &hi, &lo);
  if ((cidr.network.hi & ~hi) != 0 || (cidr.network.lo & ~lo) != 0) {
    Cidr meant{{cidr.network.hi & hi, cidr.network.lo & lo}, cidr.prefix};
    set_error(error, "host bits set; did you mean " + format_cidr(meant));
    return std::nullopt;
  }
  return cidr;
}

bool cidr_contains(const Cidr& cidr, const IpAddress& address) {
  uint64_t hi = 0;
  uint64_t lo = 0;
  prefix_mask(cidr.prefix, &hi, &lo);
  return ((address.hi ^ cidr.network.hi) & hi) == 0 && ((address.lo ^ cidr.network.lo) & lo) == 0;
}

std::string format_ip(const IpAddress& address) {
  char buffer[INET6_ADDRSTRLEN] = {};
  if (is_mapped(address)) {
    unsigned char bytes[4];
    for (int i = 0; i < 4; ++i) bytes[i] = static_cast<unsigned char>(address.lo >> (24 - 8 * i));
    if (inet_ntop(AF_INET, bytes, buffer, sizeof buffer) == nullptr) return {};
    return buffer;
  }
  unsigned char bytes[16];
  to_bytes(address, bytes);
  if (inet_ntop(AF_INET6, bytes, buffer, sizeof buffer) == nullptr) return {};
  return buffer;
}

std::string format_cidr(const Cidr& cidr) {
  // Only a prefix inside the mapped range reads as an IPv4 network; a
  // shorter one also covers addresses outside IPv4.
  if (is_mapped(cidr.network) && cidr.prefix >= 96) {
    return format_ip(cidr.network) + "/" + std::to_string(cidr.prefix - 96);
  }
  return format_ip(cidr.network) + "/" + std::to_string(cidr.prefix);
}

}  // namespace socc::runtime
