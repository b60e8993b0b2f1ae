// Host keys: labels reversed.
#include "store/host_key.h"

#include "core/target_url.h"

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

std::string HostKeyOfUrl(std::string_view url) { return HostKeyOf(HostOfUrl(url)); }

std::string SubdomainKeysBegin(std::string_view key) { return std::string(key) + '.'; }

std::string SubdomainKeysEnd(std::string_view key) { return std::string(key) + '/'; }

}  // namespace hop
