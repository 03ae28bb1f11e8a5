// Unit tests of IP addresses and networks: parsing, containment and
// formatting, for both families in the one 128-bit space.

#include "runtime/ip.h"

#include <doctest/doctest.h>

#include <string>

using namespace socc::runtime;

namespace {

constexpr uint64_t kMapped = 0x0000ffff00000000ULL;

IpAddress ip(std::string_view text) {
  std::optional<IpAddress> address = parse_ip(text);
  REQUIRE_MESSAGE(address.has_value(), text);
  return *address;
}

Cidr cidr(std::string_view text) {
  std::string error;
  std::optional<Cidr> network = parse_cidr(text, &error);
  REQUIRE_MESSAGE(network.has_value(), text, ": ", error);
  return *network;
}

std::string cidr_error(std::string_view text) {
  std::string error;
  CHECK_FALSE(parse_cidr(text, &error).has_value());
  return error;
}

bool same(const IpAddress& a, const IpAddress& b) {
  return a.hi == b.hi && a.lo == b.lo;
}

}  // namespace

TEST_CASE("ip: IPv4 addresses are stored mapped") {
  IpAddress a = ip("10.1.2.3");
  CHECK(a.hi == 0);
  CHECK(a.lo == (kMapped | 0x0a010203));
  CHECK(ip("0.0.0.0").lo == kMapped);
  CHECK(ip("255.255.255.255").lo == (kMapped | 0xffffffff));
  CHECK(same(ip("::ffff:10.1.2.3"), a));
  CHECK(same(ip("::ffff:a01:203"), a));
  CHECK(format_ip(a) == "10.1.2.3");
  CHECK(format_ip(ip("::ffff:10.1.2.3")) == "10.1.2.3");
  CHECK(format_ip(ip("0.0.0.0")) == "0.0.0.0");
  CHECK(format_ip(IpAddress{0, kMapped | 0xc0a80001}) == "192.168.0.1");
}

TEST_CASE("ip: IPv6 addresses") {
  IpAddress loopback = ip("::1");
  CHECK(loopback.hi == 0);
  CHECK(loopback.lo == 1);
  IpAddress any = ip("::");
  CHECK(any.hi == 0);
  CHECK(any.lo == 0);
  IpAddress doc = ip("2001:db8::1:0:0:1");
  CHECK(doc.hi == 0x20010db800000000ULL);
  CHECK(doc.lo == 0x0001000000000001ULL);
  CHECK(same(ip("2001:0DB8:0000:0000:0001:0000:0000:0001"), doc));
  CHECK(format_ip(doc) == "2001:db8::1:0:0:1");
  CHECK(format_ip(loopback) == "::1");
  CHECK(format_ip(any) == "::");
  CHECK(format_ip(ip("fe80::1")) == "fe80::1");
  CHECK(format_ip(ip("1::")) == "1::");
  CHECK(format_ip(IpAddress{~uint64_t{0}, ~uint64_t{0}}) ==
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

TEST_CASE("ip: zone ids are accepted and dropped on IPv6 only") {
  CHECK(same(ip("fe80::1%eth0"), ip("fe80::1")));
  CHECK(same(ip("fe80::1%3"), ip("fe80::1")));
  CHECK(same(ip("fe80::1%en0.100"), ip("fe80::1")));
  CHECK_FALSE(parse_ip("fe80::1%").has_value());
  CHECK_FALSE(parse_ip("fe80::1%eth 0").has_value());
  CHECK_FALSE(parse_ip("fe80::1%eth0%1").has_value());
  CHECK_FALSE(parse_ip("fe80::1%eth0/64").has_value());
  CHECK_FALSE(parse_ip("%eth0").has_value());
  CHECK_FALSE(parse_ip("10.0.0.1%eth0").has_value());
}

TEST_CASE("ip: garbage is rejected") {
  for (std::string_view text : {"",
                                " ",
                                "10.0.0.1 ",
                                " 10.0.0.1",
                                "10.0.0.1\n",
                                "[::1]",
                                "[::1",
                                "10.0.0",
                                "10.0.0.256",
                                "10.0.0.1.2",
                                "10.0.0.-1",
                                "1O.0.0.1",
                                "010.0.0.1",
                                "0x10.0.0.1",
                                "10.0.0.1/8",
                                ":::",
                                "1:2:3:4:5:6:7:8:9",
                                "12345::",
                                "g::1",
                                "::1::",
                                "localhost",
                                "-",
                                "%",
                                "/"}) {
    CHECK_MESSAGE(!parse_ip(text).has_value(), text);
  }
  CHECK_FALSE(parse_ip(std::string_view("10.0.0.1\0junk", 13)).has_value());
  CHECK_FALSE(parse_ip(std::string_view("::1\0", 4)).has_value());
  CHECK_FALSE(parse_ip(std::string(1000, '1')).has_value());
  CHECK_FALSE(parse_ip(std::string(1000, ':')).has_value());
  CHECK_FALSE(parse_ip("fe80::1%" + std::string(1000, 'x')).has_value());
  // The longest text accepted is 64 bytes.
  std::string zone(64 - 8, 'z');
  CHECK(parse_ip("fe80::1%" + zone).has_value());
  CHECK_FALSE(parse_ip("fe80::1%" + zone + "z").has_value());
  // Not NUL-terminated: a view into a longer buffer reads only its bytes.
  std::string buffer = "10.0.0.1999";
  CHECK(same(ip(std::string_view(buffer).substr(0, 8)), ip("10.0.0.1")));
}

TEST_CASE("cidr: IPv4 networks") {
  Cidr ten = cidr("10.0.0.0/8");
  CHECK(ten.prefix == 104);
  CHECK(same(ten.network, ip("10.0.0.0")));
  CHECK(cidr_contains(ten, ip("10.0.0.0")));
  CHECK(cidr_contains(ten, ip("10.255.255.255")));
  CHECK_FALSE(cidr_contains(ten, ip("11.0.0.0")));
  CHECK_FALSE(cidr_contains(ten, ip("9.255.255.255")));
  CHECK_FALSE(cidr_contains(ten, ip("::a00:1")));  // IPv4-compatible, not mapped
  CHECK(cidr_contains(ten, ip("::ffff:10.9.8.7")));
  CHECK(format_cidr(ten) == "10.0.0.0/8");

  Cidr host = cidr("192.168.1.7/32");
  CHECK(host.prefix == 128);
  CHECK(cidr_contains(host, ip("192.168.1.7")));
  CHECK_FALSE(cidr_contains(host, ip("192.168.1.8")));
  CHECK(format_cidr(host) == "192.168.1.7/32");

  Cidr bare = cidr("192.168.1.7");
  CHECK(bare.prefix == 128);
  CHECK(format_cidr(bare) == "192.168.1.7/32");

  Cidr all_v4 = cidr("0.0.0.0/0");
  CHECK(all_v4.prefix == 96);
  CHECK(cidr_contains(all_v4, ip("1.2.3.4")));
  CHECK(cidr_contains(all_v4, ip("255.255.255.255")));
  CHECK_FALSE(cidr_contains(all_v4, ip("::1")));
  CHECK_FALSE(cidr_contains(all_v4, ip("2001:db8::1")));
  CHECK(format_cidr(all_v4) == "0.0.0.0/0");

  Cidr odd = cidr("172.16.0.0/12");
  CHECK(cidr_contains(odd, ip("172.31.255.255")));
  CHECK_FALSE(cidr_contains(odd, ip("172.32.0.0")));
  CHECK(format_cidr(cidr("10.1.2.0/23")) == "10.1.2.0/23");
}

TEST_CASE("cidr: IPv6 networks") {
  Cidr link_local = cidr("fe80::/10");
  CHECK(link_local.prefix == 10);
  CHECK(cidr_contains(link_local, ip("fe80::1")));
  CHECK(cidr_contains(link_local, ip("febf:ffff::1")));
  CHECK_FALSE(cidr_contains(link_local, ip("fec0::1")));
  CHECK(format_cidr(link_local) == "fe80::/10");

  Cidr all = cidr("::/0");
  CHECK(all.prefix == 0);
  CHECK(cidr_contains(all, ip("::1")));
  CHECK(cidr_contains(all, ip("10.0.0.1")));
  CHECK(cidr_contains(all, ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")));
  CHECK(format_cidr(all) == "::/0");

  Cidr one = cidr("2001:db8::1/128");
  CHECK(one.prefix == 128);
  CHECK(cidr_contains(one, ip("2001:db8::1")));
  CHECK_FALSE(cidr_contains(one, ip("2001:db8::2")));
  CHECK(format_cidr(one) == "2001:db8::1/128");
  CHECK(format_cidr(cidr("2001:db8::1")) == "2001:db8::1/128");

  // Prefixes around the 64-bit halves.
  Cidr half = cidr("2001:db8:1:2::/64");
  CHECK(cidr_contains(half, ip("2001:db8:1:2:ffff:ffff:ffff:ffff")));
  CHECK_FALSE(cidr_contains(half, ip("2001:db8:1:3::")));
  Cidr past_half = cidr("2001:db8:1:2:8000::/65");
  CHECK(cidr_contains(past_half, ip("2001:db8:1:2:ffff::1")));
  CHECK_FALSE(cidr_contains(past_half, ip("2001:db8:1:2:7fff::1")));
  Cidr before_half = cidr("2001:db8:1:2::/63");
  CHECK(cidr_contains(before_half, ip("2001:db8:1:3::1")));
  CHECK_FALSE(cidr_contains(before_half, ip("2001:db8:1:4::1")));
  CHECK(format_cidr(cidr("2001:db8::/127")) == "2001:db8::/127");

  // A network written as IPv6 inside the mapped range reads back as IPv4.
  Cidr mapped = cidr("::ffff:10.0.0.0/104");
  CHECK(mapped.prefix == 104);
  CHECK(cidr_contains(mapped, ip("10.2.3.4")));
  CHECK(format_cidr(mapped) == "10.0.0.0/8");
  CHECK(format_cidr(cidr("::ffff:0:0/96")) == "0.0.0.0/0");
  CHECK(format_cidr(cidr("fe80::%eth0/10")) == "fe80::/10");
}

TEST_CASE("cidr: host bits set name the network meant") {
  CHECK(cidr_error("10.0.0.1/8") == "host bits set; did you mean 10.0.0.0/8");
  CHECK(cidr_error("192.168.1.1/24") == "host bits set; did you mean 192.168.1.0/24");
  CHECK(cidr_error("1.2.3.4/0") == "host bits set; did you mean 0.0.0.0/0");
  CHECK(cidr_error("fe80::1/10") == "host bits set; did you mean fe80::/10");
  CHECK(cidr_error("2001:db8::1/64") == "host bits set; did you mean 2001:db8::/64");
  CHECK(cidr_error("::1/0") == "host bits set; did you mean ::/0");
  CHECK(cidr_error("::ffff:10.0.0.0/80") == "host bits set; did you mean ::/80");
}

TEST_CASE("cidr: malformed networks") {
  CHECK(cidr_error("") == "missing address");
  CHECK(cidr_error("/8") == "missing address");
  CHECK(cidr_error("10.0.0.0/33") ==
        "the prefix length must be a number from 0 to 32 for an IPv4 "
        "network");
  CHECK(cidr_error("::/129") == "the prefix length must be a number from 0 to 128");
  CHECK(cidr_error("10.0.0.0/") ==
        "the prefix length must be a number from 0 to 32 for an IPv4 "
        "network");
  CHECK(cidr_error("10.0.0.0/-1").find("prefix length") != std::string::npos);
  CHECK(cidr_error("10.0.0.0/+8").find("prefix length") != std::string::npos);
  CHECK(cidr_error("10.0.0.0/8 ").find("prefix length") != std::string::npos);
  CHECK(cidr_error("10.0.0.0/8/8").find("prefix length") != std::string::npos);
  CHECK(cidr_error("10.0.0.0/0008").find("prefix length") != std::string::npos);
  CHECK(cidr_error("10.0.0.0/99999999999999999999").find("prefix length") != std::string::npos);
  CHECK(cidr_error("10.0.0/8") == "'10.0.0' is not an IPv4 or IPv6 address");
  CHECK(cidr_error("[::1]/128") == "'[::1]' is not an IPv4 or IPv6 address");
  CHECK(cidr_error(" 10.0.0.0/8") == "' 10.0.0.0' is not an IPv4 or IPv6 address");
  CHECK(cidr_error(std::string(1000, 'x') + "/8") ==
        "'" + std::string(64, 'x') + "...' is not an IPv4 or IPv6 address");
  CHECK(cidr_error(std::string(1000, '/')) == "missing address");
  CHECK_FALSE(parse_cidr("10.0.0.0/8junk", nullptr).has_value());
  CHECK_FALSE(parse_cidr(std::string(1000, '9'), nullptr).has_value());
  CHECK(cidr("10.0.0.0/08").prefix == 104);
}

TEST_CASE("cidr: containment clamps prefixes out of range") {
  Cidr zero{ip("10.0.0.1"), -5};
  CHECK(cidr_contains(zero, ip("::1")));
  Cidr full{ip("10.0.0.1"), 500};
  CHECK(cidr_contains(full, ip("10.0.0.1")));
  CHECK_FALSE(cidr_contains(full, ip("10.0.0.2")));
}
