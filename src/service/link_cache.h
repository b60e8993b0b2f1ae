// LinkCache: one worker's memory of what GET /{code} needs to answer.
//
// Every HTTP worker owns one LinkCache and is the only thread that touches it, which is why a hit
// takes no lock and no atomic operation. Staleness is handled by LinkEvents: a change to a link is
// delivered to each worker's thread, which erases the code here (or clears everything, when changes
// may have been missed). Entries have no time to live: in a single instance every change passes
// through LinkEvents, and with several the store's change feed reports every committed change, or
// that it may have missed some; a timer would only add misses.
//
// Two maps, because they fail differently: known links are bounded by `capacity` (an arbitrary
// entry is evicted when full: it is cheap, and any policy serves a hot link again on its next
// miss), and "not found" answers are bounded separately and expire quickly, so a scan over random
// codes can neither push real links out nor hide a link created by another instance for long.
//
// Thread-safety: none; confine each instance to one thread. Only shared_size() may be read from
// any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/link.h"

namespace hop {

// The part of a Link the redirect path reads.
struct CachedLink {
  int64_t id = 0;
  std::string url;
  int64_t expires_at_ms = std::numeric_limits<int64_t>::max();
  uint16_t redirect_status = 302;
  bool forward_query = false;
  bool disabled = false;
  bool limited = false;  // has max_visits: each redirect must claim a visit in the store

  static CachedLink From(const Link& link);
};

class LinkCache {
 public:
  LinkCache(size_t capacity, size_t missing_capacity);
  LinkCache(const LinkCache&) = delete;
  LinkCache& operator=(const LinkCache&) = delete;

  // The cached link, or nullptr. The pointer is valid until the next Put or Erase.
  const CachedLink* Find(std::string_view code) const;
  const CachedLink& Put(std::string_view code, CachedLink link);

  // True while a "not found" for `code` recorded before `now_ms` is still fresh.
  bool IsKnownMissing(std::string_view code, int64_t now_ms);
  void PutMissing(std::string_view code, int64_t forget_at_ms);

  // Forgets everything about `code`, found or missing.
  void Erase(std::string_view code);

  // Forgets every link, found or missing.
  void Clear();

  size_t size() const { return links_.size(); }
  // The number of links cached, as of the last change, for readers on other threads (metrics).
  size_t shared_size() const { return shared_size_.load(std::memory_order_relaxed); }

 private:
  // Lets find() take a string_view without building a std::string: no allocation on a hit.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <typename V>
  using Map = std::unordered_map<std::string, V, Hash, std::equal_to<>>;

  const size_t capacity_;
  const size_t missing_capacity_;
  Map<CachedLink> links_;
  Map<int64_t> missing_;  // code -> when to forget it (unix ms)
  // Written when links_ changes size, which a hit never does, so the hot path does not touch it.
  std::atomic<size_t> shared_size_{0};
};

}  // namespace hop
