#pragma once

// IP addresses and networks for `cidr` predicates. Both families live in
// one 128-bit space: IPv4 a.b.c.d is the IPv4-mapped IPv6 address
// ::ffff:a.b.c.d, so an IPv4 network /n has prefix 96 + n there and one
// containment test serves both.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace socc::runtime {

// Host-order halves: `hi` holds the first 8 bytes of the address.
struct IpAddress {
  uint64_t hi = 0;
  uint64_t lo = 0;
};

// Parses a dotted-quad IPv4 or an IPv6 address as inet_pton accepts it; an
// IPv6 zone (`fe80::1%eth0`) is accepted and dropped. Rejects anything
// else, including surrounding whitespace, brackets and texts over 64 bytes.
std::optional<IpAddress> parse_ip(std::string_view text);

struct Cidr {
  IpAddress network;
  int prefix = 0;  // 0..128 in the 128-bit space
};

// Parses `address/prefix` (0..32 for IPv4, 0..128 for IPv6) or a bare
// address, which is a single-address network. A network with host bits set
// is refused, naming the network probably meant, since it is usually a
// typo. On failure returns nullopt and, when `error` is not null, sets it.
std::optional<Cidr> parse_cidr(std::string_view text, std::string* error);

bool cidr_contains(const Cidr& cidr, const IpAddress& address);

// IPv4-mapped addresses as a dotted quad, others as inet_ntop writes them.
std::string format_ip(const IpAddress& address);

// As format_ip, with the prefix; IPv4 networks with their IPv4 prefix.
std::string format_cidr(const Cidr& cidr);

}  // namespace socc::runtime
