// Trusted proxies: CIDR parsing with Asio's network types, and the right-to-left walk.
#include "http/trusted_proxies.h"

#include <algorithm>
#include <charconv>

namespace hop {
namespace {

namespace ip = boost::asio::ip;

// IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) have their IPv4 address in the last 32 bits.
constexpr unsigned short kMappedPrefixBits = 96;

ip::address_v6 AsV6(const ip::address& address) {
  if (address.is_v4()) return ip::make_address_v6(ip::v4_mapped, address.to_v4());
  return address.to_v6();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// An X-Forwarded-For entry: an address, "[v6]" with or without ":port", or "v4:port".
bool ParseHop(std::string_view entry, ip::address& out) {
  boost::system::error_code ec;
  if (entry.starts_with('[')) {
    const size_t close = entry.find(']');
    if (close == std::string_view::npos) return false;
    entry = entry.substr(1, close - 1);
  } else if (std::count(entry.begin(), entry.end(), ':') == 1) {
    entry = entry.substr(0, entry.find(':'));
  }
  out = ip::make_address(std::string(entry), ec);
  return !ec;
}

}  // namespace

ClientAddress ToClientAddress(const ip::address& address) {
  if (address.is_v4()) return ClientAddress::FromV4(address.to_v4().to_bytes());
  return ClientAddress::FromV6(address.to_v6().to_bytes());
}

Result<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& cidrs) {
  TrustedProxies proxies;
  for (const std::string& cidr : cidrs) {
    const size_t slash = cidr.find('/');
    boost::system::error_code ec;
    const ip::address address = ip::make_address(cidr.substr(0, slash), ec);
    const unsigned short max_prefix = address.is_v4() ? 32 : 128;
    unsigned short prefix = max_prefix;
    if (!ec && slash != std::string::npos) {
      const char* first = cidr.data() + slash + 1;
      const char* last = cidr.data() + cidr.size();
      auto [end, error] = std::from_chars(first, last, prefix);
      if (error != std::errc() || end != last || prefix > max_prefix) {
        ec = make_error_code(boost::system::errc::invalid_argument);
      }
    }
    if (ec) {
      return Status::Error(ErrorCode::kInvalidRequest, "--trust-proxy: \"" + cidr +
                                                           "\" is not an address or a CIDR network "
                                                           "such as 10.0.0.0/8 or fd00::/8");
    }
    const unsigned short v6_prefix = address.is_v4() ? kMappedPrefixBits + prefix : prefix;
    proxies.networks_.push_back(ip::network_v6(AsV6(address), v6_prefix).canonical());
  }
  return proxies;
}

bool TrustedProxies::Trusts(const ip::address_v6& address) const {
  for (const ip::network_v6& network : networks_) {
    if (ip::network_v6(address, network.prefix_length()).canonical() == network) return true;
  }
  return false;
}

ClientAddress TrustedProxies::ClientOf(const ip::address& peer,
                                       std::string_view forwarded_for) const {
  ip::address_v6 client = AsV6(peer);
  while (Trusts(client) && !forwarded_for.empty()) {
    const size_t comma = forwarded_for.rfind(',');
    const std::string_view entry =
        Trim(comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1));
    forwarded_for = comma == std::string_view::npos ? "" : forwarded_for.substr(0, comma);
    ip::address hop_address;
    if (!ParseHop(entry, hop_address)) break;
    client = AsV6(hop_address);
  }
  if (client.is_v4_mapped()) {
    return ToClientAddress(ip::make_address_v4(ip::v4_mapped, client));
  }
  return ClientAddress::FromV6(client.to_bytes());
}

}  // namespace hop
