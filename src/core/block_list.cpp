// Block list parsing: each line's host goes through the same host normalization as a target URL.
#include "core/block_list.h"

#include <algorithm>
#include <unordered_set>

#include "core/target_url.h"

namespace hop {
namespace {

std::string_view Trim(std::string_view s) {
  const size_t first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// The normalized host, or "" when `entry` is not a bare host.
std::string NormalizeEntry(std::string_view entry) {
  // Anything that would make "http://<entry>/" mean more than a host: a path, a query, user
  // info, or a port.
  if (entry.find_first_of("/?#@ \t\\") != std::string_view::npos) return "";
  const bool bracketed = entry.starts_with('[');
  if (!bracketed && entry.find(':') != std::string_view::npos) {
    // Two or more colons: an IPv6 address without its brackets; one: a host with a port.
    if (std::count(entry.begin(), entry.end(), ':') < 2) return "";
    return HostOfUrl("http://[" + std::string(entry) + "]/");
  }
  if (bracketed && !entry.ends_with(']')) return "";
  std::string host = HostOfUrl("http://" + std::string(entry) + "/");
  if (host.ends_with('.')) host.pop_back();
  return host;
}

}  // namespace

Result<std::vector<std::string>> ParseBlockList(std::string_view text) {
  std::vector<std::string> hosts;
  std::unordered_set<std::string> seen;
  int line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    const std::string_view entry = Trim(line.substr(0, line.find('#')));
    if (entry.empty()) continue;
    std::string host = NormalizeEntry(entry);
    if (host.empty()) {
      return Status::Error(ErrorCode::kInvalidRequest, "line " + std::to_string(line_number) +
                                                           ": \"" + std::string(entry) +
                                                           "\" is not a host name or IP address");
    }
    if (seen.insert(host).second) hosts.push_back(std::move(host));
  }
  return hosts;
}

}  // namespace hop
