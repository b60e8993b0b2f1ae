// Host keys: labels reversed.
#include "store/host_key.h"

namespace hop {

std::string HostKeyOf(std::string_view host) {
  if (host.ends_with('.')) host.remove_suffix(1);
  if (host.starts_with('[')) return std::string(host);
  // Each label goes where its mirror image starts: "www.example.com" has "com" at 0, "example"
  // at 4, "www" at 12, and the dots stay where they are in the mirror.
  std::string key(host.size(), '.');
  size_t label = 0;
  for (size_t i = 0; i <= host.size(); ++i) {
    if (i < host.size() && host[i] != '.') continue;
    host.copy(key.data() + host.size() - i, i - label, label);
    label = i + 1;
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
  if (rest.starts_with('[') && rest.find(']') != std::string_view::npos) {
    return HostKeyOf(rest.substr(0, rest.find(']') + 1));
  }
  // A loop rather than find_first_of, which looks each byte up in the set with a call of its own.
  size_t end = 0;
  while (end < rest.size() && rest[end] != ':' && rest[end] != '/' && rest[end] != '?' &&
         rest[end] != '#') {
    ++end;
  }
  return HostKeyOf(rest.substr(0, end));
}

std::string SubdomainKeysBegin(std::string_view key) { return std::string(key) + '.'; }

std::string SubdomainKeysEnd(std::string_view key) { return std::string(key) + '/'; }

}  // namespace hop
