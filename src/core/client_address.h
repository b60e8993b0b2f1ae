// ClientAddress: the IP address a request came from, as a plain value.
//
// Rate limits and the scan penalty are kept per client address. The HTTP layer decides what the
// address is (the TCP peer, or X-Forwarded-For from a trusted proxy) and hands it on in this form,
// free of any socket library: 16 bytes, IPv4 in its IPv4-mapped IPv6 form (::ffff:a.b.c.d).
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace hop {

struct ClientAddress {
  std::array<uint8_t, 16> bytes{};

  static ClientAddress FromV4(const std::array<uint8_t, 4>& v4);
  static ClientAddress FromV6(const std::array<uint8_t, 16>& v6) { return ClientAddress{v6}; }

  bool IsV4() const;

  // What limits are kept per: a whole IPv4 address, but the /64 network of an IPv6 one, since a
  // single host routinely holds a whole /64 and could otherwise take a fresh address per request.
  ClientAddress LimitPrefix() const;

  // "192.0.2.1" or "2001:db8::1", for logs.
  std::string ToString() const;

  bool operator==(const ClientAddress&) const = default;
};

}  // namespace hop
