// TrustedProxies: whether a request's X-Forwarded-For is believed, and which client it names.
// Internal to src/http (it includes Asio).
//
// Without --trust-proxy a request's client is its TCP peer and X-Forwarded-For is ignored: anyone
// can write that header, and believing it would let every client choose the address its rate
// limits are kept under. With it, a request whose peer lies in a trusted network has its client
// read from X-Forwarded-For, right to left (nearest hop first), past every address that is itself
// a trusted proxy: the first one that is not is the client. An entry that is not an address ends
// the walk, and the last trusted hop counts as the client, since nothing beyond it is vouched for.
//
// Thread-safety: const methods may be called concurrently.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/client_address.h"
#include "core/status.h"

namespace hop {

ClientAddress ToClientAddress(const boost::asio::ip::address& address);

class TrustedProxies {
 public:
  // Each entry "ADDRESS/PREFIX" or a bare address, IPv4 or IPv6. kInvalidRequest naming the first
  // one that is neither.
  static Result<TrustedProxies> Parse(const std::vector<std::string>& cidrs);

  bool empty() const { return networks_.empty(); }

  // The client of a request from `peer` carrying `forwarded_for` (the X-Forwarded-For values, in
  // order, joined by commas; "" when absent).
  ClientAddress ClientOf(const boost::asio::ip::address& peer,
                         std::string_view forwarded_for) const;

 private:
  bool Trusts(const boost::asio::ip::address_v6& address) const;

  // IPv4 networks as their IPv4-mapped IPv6 ranges, so one comparison covers both families.
  std::vector<boost::asio::ip::network_v6> networks_;
};

}  // namespace hop
