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
// Known links are laid out for the redirect path, whose memory traffic is mostly this lookup, and
// for size, since a cache of millions of links is most of hop's memory. Each link is one block of a
// LinkArena holding its fields, its code and its URL (CachedLink); the arena and the table lie on
// huge pages once large (mapped_pages.h explains why that matters). The table is open addressing
// with linear probing over 8-byte slots, each a pointer to a link whose top 16 bits (unused by
// user-space addresses on x86-64 and AArch64) carry 16 bits of the code's hash: a probe passes
// other codes without reading their memory, so a hit reads one slot and one link. A link costs 16
// bytes plus its code and URL, rounded up to 8, plus 9 to 18 bytes of table (the table doubles when
// 7/8 full).
//
// Thread-safety: none; confine each instance to one thread. Only shared_size() may be read from
// any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/link.h"
#include "service/link_arena.h"
#include "core/mapped_pages.h"

namespace hop {

// The part of a Link the redirect path reads. Only a LinkCache makes them: the expiry (when there
// is one), the code and the URL are stored right after the object, in the same allocation.
class CachedLink {
 public:
  CachedLink& operator=(const CachedLink&) = delete;

  int64_t id() const { return id_; }
  std::string_view code() const { return {code_bytes(), code_size_}; }
  std::string_view url() const { return {code_bytes() + code_size_, url_size_}; }
  // Unix milliseconds; the largest int64_t when the link never expires.
  int64_t expires_at_ms() const;
  int redirect_status() const { return redirect_status_; }
  bool forward_query() const { return forward_query_; }
  bool disabled() const { return disabled_; }
  // Has max_visits: each redirect must claim a visit in the store.
  bool limited() const { return limited_; }

 private:
  friend class LinkCache;
  CachedLink() = default;
  // The fixed part only; what trails it is copied apart (LinkCache::CompactWhenWasteful).
  CachedLink(const CachedLink&) = default;
  const char* trailing() const { return reinterpret_cast<const char*>(this + 1); }
  char* trailing() { return reinterpret_cast<char*>(this + 1); }
  const char* code_bytes() const { return trailing() + (expires_ ? sizeof(int64_t) : 0); }
  // The link's whole block: the fixed part and what trails it.
  size_t block_bytes() const {
    return sizeof(CachedLink) + (expires_ ? sizeof(int64_t) : 0) + code_size_ + url_size_;
  }

  // Sized so that the fixed part is 16 bytes.
  int64_t id_ = 0;
  uint32_t url_size_ = 0;  // target URLs are at most 8 KiB
  uint16_t redirect_status_ = 302;
  uint8_t code_size_ = 0;  // codes and aliases are at most 64 bytes
  bool forward_query_ : 1 = false;
  bool disabled_ : 1 = false;
  bool limited_ : 1 = false;
  bool expires_ : 1 = false;
};

class LinkCache {
 public:
  LinkCache(size_t capacity, size_t missing_capacity);
  ~LinkCache();
  LinkCache(const LinkCache&) = delete;
  LinkCache& operator=(const LinkCache&) = delete;

  // The cached link, or nullptr. The pointer is valid until the next Put, Erase or Clear.
  const CachedLink* Find(std::string_view code) const;
  // Caches `link` under `code`, replacing what was there. REQUIRES: LooksLikeLinkCode(code).
  const CachedLink& Put(std::string_view code, const Link& link);

  // True while a "not found" for `code` recorded before `now_ms` is still fresh.
  bool IsKnownMissing(std::string_view code, int64_t now_ms);
  void PutMissing(std::string_view code, int64_t forget_at_ms);

  // Forgets everything about `code`, found or missing.
  void Erase(std::string_view code);

  // Forgets every link, found or missing.
  void Clear();

  size_t size() const { return size_; }
  // The memory the links and the table take from the kernel.
  size_t mapped_bytes() const { return arena_.mapped_bytes() + table_.size(); }
  // The number of links cached, as of the last change, for readers on other threads (metrics).
  size_t shared_size() const { return shared_size_.load(std::memory_order_relaxed); }

 private:
  // Lets find() take a string_view without building a std::string: no allocation on a hit.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  CachedLink* NewLink(std::string_view code, const Link& link);
  void DeleteLink(CachedLink* link);
  // Moves every link to a fresh arena once freed blocks outweigh the links: bounds the memory that
  // links of sizes never asked for again would hold.
  void CompactWhenWasteful();
  uintptr_t* slots() const { return reinterpret_cast<uintptr_t*>(table_.data()); }
  // The slot holding `code`, or the empty slot that ends its probe sequence.
  size_t SlotOf(std::string_view code, uint64_t hash) const;
  void Insert(uintptr_t slot);
  void RemoveAt(size_t slot);
  void EvictOne();
  void Grow();

  const size_t capacity_;
  const size_t missing_capacity_;
  LinkArena arena_;
  MappedPages table_;      // the slots: 0 when empty; else a CachedLink* tagged in its top bits
  size_t slot_count_ = 0;  // a power of two, or 0 before the first link
  size_t size_ = 0;
  size_t eviction_cursor_ = 0;
  std::unordered_map<std::string, int64_t, Hash, std::equal_to<>> missing_;  // code -> forget at ms
  // Written when the number of links changes, which a hit never does, so the hot path does not
  // touch it.
  std::atomic<size_t> shared_size_{0};
};

}  // namespace hop
