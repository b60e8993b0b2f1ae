#include "service/link_cache.h"

namespace hop {

CachedLink CachedLink::From(const Link& link) {
  CachedLink cached;
  cached.id = link.id;
  cached.url = link.fields.url;
  if (link.fields.expires_at) cached.expires_at_ms = ToUnixMillis(*link.fields.expires_at);
  cached.redirect_status = static_cast<uint16_t>(link.fields.redirect_status);
  cached.forward_query = link.fields.forward_query;
  cached.disabled = link.disabled;
  cached.limited = link.fields.max_visits.has_value();
  return cached;
}

LinkCache::LinkCache(size_t capacity, size_t missing_capacity)
    : capacity_(capacity), missing_capacity_(missing_capacity) {}

const CachedLink* LinkCache::Find(std::string_view code) const {
  auto it = links_.find(code);
  return it == links_.end() ? nullptr : &it->second;
}

const CachedLink& LinkCache::Put(std::string_view code, CachedLink link) {
  if (links_.size() >= capacity_ && !links_.contains(code)) links_.erase(links_.begin());
  auto [it, inserted] = links_.insert_or_assign(std::string(code), std::move(link));
  shared_size_.store(links_.size(), std::memory_order_relaxed);
  return it->second;
}

bool LinkCache::IsKnownMissing(std::string_view code, int64_t now_ms) {
  auto it = missing_.find(code);
  if (it == missing_.end()) return false;
  if (now_ms < it->second) return true;
  missing_.erase(it);
  return false;
}

void LinkCache::PutMissing(std::string_view code, int64_t forget_at_ms) {
  // Under a scan the map would fill with codes that are never asked for twice; dropping it all is
  // the cheapest way to stay bounded, and costs at most one store read per real missing code.
  if (missing_.size() >= missing_capacity_) missing_.clear();
  missing_.insert_or_assign(std::string(code), forget_at_ms);
}

void LinkCache::Erase(std::string_view code) {
  if (auto it = links_.find(code); it != links_.end()) links_.erase(it);
  if (auto it = missing_.find(code); it != missing_.end()) missing_.erase(it);
  shared_size_.store(links_.size(), std::memory_order_relaxed);
}

void LinkCache::Clear() {
  links_.clear();
  missing_.clear();
  shared_size_.store(0, std::memory_order_relaxed);
}

}  // namespace hop
