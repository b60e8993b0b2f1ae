#include "service/link_cache.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <type_traits>

namespace hop {

namespace {

constexpr int kTagShift = 48;
constexpr uintptr_t kAddressMask = (uintptr_t{1} << kTagShift) - 1;
constexpr size_t kMinSlots = 16;
// Below this, freed blocks are not worth a compaction's copy of every link.
constexpr size_t kCompactAfterFreeBytes = size_t{1} << 20;

// What a cached link costs besides its code and URL; see the header.
static_assert(sizeof(CachedLink) == 16);
static_assert(std::is_trivially_destructible_v<CachedLink>);

uint64_t HashOf(std::string_view code) { return std::hash<std::string_view>{}(code); }

uintptr_t TagOf(uint64_t hash) { return static_cast<uintptr_t>(hash >> kTagShift) << kTagShift; }

CachedLink* LinkAt(uintptr_t slot) { return reinterpret_cast<CachedLink*>(slot & kAddressMask); }

}  // namespace

int64_t CachedLink::expires_at_ms() const {
  if (!expires_) return std::numeric_limits<int64_t>::max();
  int64_t expires_at_ms;
  std::memcpy(&expires_at_ms, trailing(), sizeof expires_at_ms);
  return expires_at_ms;
}

CachedLink* LinkCache::NewLink(std::string_view code, const Link& link) {
  const std::string& url = link.fields.url;
  const bool expires = link.fields.expires_at.has_value();
  const size_t expiry_size = expires ? sizeof(int64_t) : 0;
  void* memory = arena_.Allocate(sizeof(CachedLink) + expiry_size + code.size() + url.size());
  if (reinterpret_cast<uintptr_t>(memory) >> kTagShift != 0) {
    // Only a process that asked the kernel for 57-bit addresses gets them; the tag would corrupt
    // this one, and serving another link's URL is worse than stopping.
    std::fputs("hop: a mapped address uses the top 16 bits, which LinkCache tags\n", stderr);
    std::abort();
  }
  auto* cached = new (memory) CachedLink;
  cached->id_ = link.id;
  cached->url_size_ = static_cast<uint32_t>(url.size());
  cached->redirect_status_ = static_cast<uint16_t>(link.fields.redirect_status);
  cached->code_size_ = static_cast<uint8_t>(code.size());
  cached->forward_query_ = link.fields.forward_query;
  cached->disabled_ = link.disabled;
  cached->limited_ = link.fields.max_visits.has_value();
  cached->expires_ = expires;
  char* bytes = cached->trailing();
  if (expires) {
    const int64_t expires_at_ms = ToUnixMillis(*link.fields.expires_at);
    std::memcpy(bytes, &expires_at_ms, sizeof expires_at_ms);
  }
  std::memcpy(bytes + expiry_size, code.data(), code.size());
  std::memcpy(bytes + expiry_size + code.size(), url.data(), url.size());
  return cached;
}

void LinkCache::DeleteLink(CachedLink* link) { arena_.Free(link, link->block_bytes()); }

LinkCache::LinkCache(size_t capacity, size_t missing_capacity)
    : capacity_(capacity), missing_capacity_(missing_capacity) {}

// The links need no destruction (CachedLink is trivially destructible): the arena's end frees them.
LinkCache::~LinkCache() = default;

size_t LinkCache::SlotOf(std::string_view code, uint64_t hash) const {
  const uintptr_t* const slots = this->slots();
  const size_t mask = slot_count_ - 1;
  const uintptr_t tag = TagOf(hash);
  // Ends: the table is never more than 7/8 full.
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const uintptr_t slot = slots[i];
    if (slot == 0 || ((slot & ~kAddressMask) == tag && LinkAt(slot)->code() == code)) return i;
  }
}

const CachedLink* LinkCache::Find(std::string_view code) const {
  if (slot_count_ == 0) return nullptr;
  const uintptr_t slot = slots()[SlotOf(code, HashOf(code))];
  return slot == 0 ? nullptr : LinkAt(slot);
}

const CachedLink& LinkCache::Put(std::string_view code, const Link& link) {
  if (size_ >= capacity_ && Find(code) == nullptr) EvictOne();
  if ((size_ + 1) * 8 > slot_count_ * 7) Grow();
  CachedLink* cached = NewLink(code, link);
  const uint64_t hash = HashOf(code);
  const uintptr_t slot = reinterpret_cast<uintptr_t>(cached) | TagOf(hash);
  const size_t i = SlotOf(code, hash);
  uintptr_t& existing = slots()[i];
  if (existing != 0) {  // a newer version of a link already cached
    DeleteLink(LinkAt(existing));
  } else {
    ++size_;
  }
  existing = slot;
  CompactWhenWasteful();
  shared_size_.store(size_, std::memory_order_relaxed);
  return *LinkAt(slots()[SlotOf(code, hash)]);
}

void LinkCache::Insert(uintptr_t slot) {
  uintptr_t* const slots = this->slots();
  const size_t mask = slot_count_ - 1;
  size_t i = HashOf(LinkAt(slot)->code()) & mask;
  while (slots[i] != 0) i = (i + 1) & mask;
  slots[i] = slot;
  ++size_;
}

// Backward-shift deletion: the links after the hole that may move into it do, so every probe
// sequence stays unbroken without tombstones.
void LinkCache::RemoveAt(size_t hole) {
  uintptr_t* const slots = this->slots();
  DeleteLink(LinkAt(slots[hole]));
  --size_;
  const size_t mask = slot_count_ - 1;
  for (size_t i = (hole + 1) & mask; slots[i] != 0; i = (i + 1) & mask) {
    const size_t home = HashOf(LinkAt(slots[i])->code()) & mask;
    // The link at i may fill the hole when the hole lies on its probe path, from home to i.
    if (((i - home) & mask) >= ((i - hole) & mask)) {
      slots[hole] = slots[i];
      hole = i;
    }
  }
  slots[hole] = 0;
}

void LinkCache::EvictOne() {
  if (size_ == 0) return;
  const size_t mask = slot_count_ - 1;
  while (slots()[eviction_cursor_ & mask] == 0) ++eviction_cursor_;
  RemoveAt(eviction_cursor_ & mask);
}

void LinkCache::Grow() {
  MappedPages old = std::move(table_);
  const size_t old_count = slot_count_;
  slot_count_ = std::max(kMinSlots, old_count * 2);
  table_ = MappedPages(slot_count_ * sizeof(uintptr_t));
  size_ = 0;
  const auto* old_slots = reinterpret_cast<const uintptr_t*>(old.data());
  for (size_t i = 0; i < old_count; ++i) {
    if (old_slots[i] != 0) Insert(old_slots[i]);
  }
}

void LinkCache::CompactWhenWasteful() {
  if (arena_.free_bytes() < kCompactAfterFreeBytes || arena_.free_bytes() < arena_.used_bytes()) {
    return;
  }
  LinkArena fresh;
  uintptr_t* const slots = this->slots();
  for (size_t i = 0; i < slot_count_; ++i) {
    if (slots[i] == 0) continue;
    const CachedLink* link = LinkAt(slots[i]);
    auto* moved = new (fresh.Allocate(link->block_bytes())) CachedLink(*link);
    std::memcpy(moved->trailing(), link->trailing(), link->block_bytes() - sizeof(CachedLink));
    slots[i] = reinterpret_cast<uintptr_t>(moved) | (slots[i] & ~kAddressMask);
  }
  arena_ = std::move(fresh);
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
  if (slot_count_ != 0) {
    const size_t i = SlotOf(code, HashOf(code));
    if (slots()[i] != 0) {
      RemoveAt(i);
      CompactWhenWasteful();
    }
  }
  if (auto it = missing_.find(code); it != missing_.end()) missing_.erase(it);
  shared_size_.store(size_, std::memory_order_relaxed);
}

void LinkCache::Clear() {
  arena_ = LinkArena();
  table_ = MappedPages();
  slot_count_ = 0;
  size_ = 0;
  missing_.clear();
  shared_size_.store(0, std::memory_order_relaxed);
}

}  // namespace hop
