// PenaltyBox: holds, lazy release, and a bound on memory.
#include "service/penalty_box.h"

#include <algorithm>
#include <string_view>

namespace hop {
namespace {

// How often expired holds are swept, so that the box empties once scanners go away and the
// redirect path is back to not looking at all.
constexpr Millis kSweepInterval{1000};

}  // namespace

size_t PenaltyBox::Hash::operator()(const ClientAddress& address) const {
  return std::hash<std::string_view>{}(
      std::string_view(reinterpret_cast<const char*>(address.bytes.data()), address.bytes.size()));
}

std::optional<TimePoint> PenaltyBox::HeldUntil(const ClientAddress& address, TimePoint now) {
  if (now >= next_sweep_) ReleaseExpired(now);
  auto it = held_.find(address.LimitPrefix());
  if (it == held_.end() || now >= it->second) return std::nullopt;
  return it->second;
}

void PenaltyBox::Hold(const ClientAddress& address, TimePoint until) {
  const ClientAddress prefix = address.LimitPrefix();
  auto it = held_.find(prefix);
  if (it != held_.end()) {
    it->second = std::max(it->second, until);
    return;
  }
  if (held_.size() >= capacity_) {
    held_.erase(std::min_element(held_.begin(), held_.end(),
                                 [](const auto& a, const auto& b) { return a.second < b.second; }));
  }
  held_.emplace(prefix, until);
}

void PenaltyBox::ReleaseExpired(TimePoint now) {
  std::erase_if(held_, [now](const auto& entry) { return entry.second <= now; });
  next_sweep_ = now + kSweepInterval;
}

}  // namespace hop
