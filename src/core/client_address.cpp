// Client addresses: the IPv4-mapped form, the limit prefix and the text form.
#include "core/client_address.h"

#include <arpa/inet.h>

#include <algorithm>

namespace hop {
namespace {

constexpr std::array<uint8_t, 12> kV4MappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};

}  // namespace

ClientAddress ClientAddress::FromV4(const std::array<uint8_t, 4>& v4) {
  ClientAddress address;
  std::copy(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), address.bytes.begin());
  std::copy(v4.begin(), v4.end(), address.bytes.begin() + kV4MappedPrefix.size());
  return address;
}

bool ClientAddress::IsV4() const {
  return std::equal(kV4MappedPrefix.begin(), kV4MappedPrefix.end(), bytes.begin());
}

ClientAddress ClientAddress::LimitPrefix() const {
  if (IsV4()) return *this;
  ClientAddress prefix = *this;
  std::fill(prefix.bytes.begin() + 8, prefix.bytes.end(), 0);
  return prefix;
}

std::string ClientAddress::ToString() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (IsV4()) {
    inet_ntop(AF_INET, bytes.data() + kV4MappedPrefix.size(), text, sizeof(text));
  } else {
    inet_ntop(AF_INET6, bytes.data(), text, sizeof(text));
  }
  return text;
}

}  // namespace hop
