// Host keys: labels reversed.
#include "store/host_key.h"

namespace hop {

std::string HostKeyOf(std::string_view host) {
  if (host.ends_with('.')) host.remove_suffix(1);
  if (host.starts_with('[')) return std::string(host);
  std::string key;
  key.reserve(host.size());
  while (!host.empty()) {
    const size_t dot = host.rfind('.');
    const size_t start = dot == std::string_view::npos ? 0 : dot + 1;
    if (!key.empty()) key += '.';
    key += host.substr(start);
    host.remove_suffix(host.size() - (dot == std::string_view::npos ? 0 : dot));
  }
  return key;
}

// Read as PostgreSQL's hop_host_key reads it (pg_migrations.cpp): lower-case scheme letters, "://",
// then a bracketed IPv6 address, or everything up to a port, path, query or fragment. A URL parser
// would find the same host in a normalized URL at many times the cost, for every link written.
std::string HostKeyOfUrl(std::string_view url) {
  size_t scheme = 0;
  while (scheme < url.size() && url[scheme] >= 'a' && url[scheme] <= 'z') ++scheme;
  if (scheme == 0 || url.substr(scheme, 3) != "://") return "";
  const std::string_view rest = url.substr(scheme + 3);
  size_t end = rest.find_first_of(":/?#");
  if (rest.starts_with('[') && rest.find(']') != std::string_view::npos) end = rest.find(']') + 1;
  return HostKeyOf(rest.substr(0, end));
}

std::string SubdomainKeysBegin(std::string_view key) { return std::string(key) + '.'; }

std::string SubdomainKeysEnd(std::string_view key) { return std::string(key) + '/'; }

}  // namespace hop
