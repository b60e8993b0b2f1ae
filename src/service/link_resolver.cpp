#include "service/link_resolver.h"

namespace hop {

LinkResolver::LinkResolver(Store& store, Millis missing_ttl)
    : store_(store), missing_ttl_(missing_ttl) {}

Resolution LinkResolver::Resolve(std::string_view code, LinkCache& cache, TimePoint now) const {
  const int64_t now_ms = ToUnixMillis(now);
  if (const CachedLink* link = cache.Find(code)) return Judge(*link, now_ms);
  return Load(code, cache, now_ms);
}

Resolution LinkResolver::Load(std::string_view code, LinkCache& cache, int64_t now_ms) const {
  if (cache.IsKnownMissing(code, now_ms)) return {Verdict::kNotFound};
  Result<Link> link = store_.FindLink(code);
  if (link.ok()) return Judge(cache.Put(code, link.value()), now_ms);
  if (link.status().code() == ErrorCode::kNotFound) {
    cache.PutMissing(code, now_ms + missing_ttl_.count());
    return {Verdict::kNotFound};
  }
  return {Verdict::kUnavailable, nullptr, link.status()};
}

Resolution LinkResolver::Judge(const CachedLink& link, int64_t now_ms) const {
  if (link.disabled() || now_ms >= link.expires_at_ms()) return {Verdict::kGone};
  if (link.limited()) {
    Result<bool> granted = store_.ClaimVisit(link.id());
    if (!granted.ok()) {
      if (granted.status().code() == ErrorCode::kNotFound) return {Verdict::kNotFound};
      return {Verdict::kUnavailable, nullptr, granted.status()};
    }
    if (!granted.value()) return {Verdict::kGone};
  }
  return {Verdict::kRedirect, &link};
}

}  // namespace hop
