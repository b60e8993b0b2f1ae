// RateLimiter: sharded buckets, seeded hashing, and eviction when a shard is full.
#include "service/rate_limiter.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>

namespace hop {
namespace {

// Client addresses are chosen by clients; a per-process random seed keeps them from choosing
// addresses that all land in one hash chain. Without the CSPRNG only that defence is lost, and a
// chain is bounded by the shard's capacity anyway.
uint64_t Seed() {
  static const uint64_t seed = [] {
    uint64_t random = 0x9e3779b97f4a7c15;
    RAND_bytes(reinterpret_cast<unsigned char*>(&random), sizeof(random));
    return random;
  }();
  return seed;
}

int64_t WholeSeconds(Millis ms) { return (ms.count() + 999) / 1000; }

}  // namespace

size_t RateLimiter::Hash::operator()(const LimitSubject& subject) const {
  const uint64_t seed = Seed();
  unsigned char bytes[sizeof(seed) + 16 + sizeof(subject.key_id)];
  std::memcpy(bytes, &seed, sizeof(seed));
  std::memcpy(bytes + sizeof(seed), subject.address.bytes.data(), 16);
  std::memcpy(bytes + sizeof(seed) + 16, &subject.key_id, sizeof(subject.key_id));
  return std::hash<std::string_view>{}(
      std::string_view(reinterpret_cast<const char*>(bytes), sizeof(bytes)));
}

RateLimiter::RateLimiter(RateLimit limit, size_t capacity)
    : limit_(limit), shard_capacity_(std::max<size_t>(1, capacity / kShards)) {}

LimitDecision RateLimiter::Take(const LimitSubject& subject, TimePoint now) {
  if (!limit_.enabled()) return LimitDecision{};
  const size_t hash = Hash{}(subject);
  // The shard comes from the high bits, the map's buckets from the low ones.
  Shard& shard = shards_[(hash >> 56) % kShards];
  std::lock_guard lock(shard.mutex);
  auto it = shard.buckets.find(subject);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= shard_capacity_) MakeRoom(shard, now);
    it = shard.buckets.emplace(subject, TokenBucket(limit_, now)).first;
  }
  const bool allowed = it->second.TryTake(limit_, now);
  return DecisionOf(allowed, it->second, now);
}

void RateLimiter::MakeRoom(Shard& shard, TimePoint now) {
  std::erase_if(shard.buckets, [&](const auto& entry) {
    return entry.second.Available(limit_, now) >= limit_.burst;
  });
  if (shard.buckets.size() < shard_capacity_) return;
  auto fullest = std::max_element(
      shard.buckets.begin(), shard.buckets.end(), [&](const auto& a, const auto& b) {
        return a.second.Available(limit_, now) < b.second.Available(limit_, now);
      });
  shard.buckets.erase(fullest);
}

LimitDecision RateLimiter::DecisionOf(bool allowed, const TokenBucket& bucket,
                                      TimePoint now) const {
  return LimitDecision{
      .allowed = allowed,
      .limit = static_cast<int64_t>(limit_.burst),
      .remaining = static_cast<int64_t>(std::floor(bucket.Available(limit_, now))),
      .reset_seconds = WholeSeconds(bucket.UntilFull(limit_, now)),
      .retry_after_seconds = allowed ? 0 : WholeSeconds(bucket.UntilNextToken(limit_, now)),
  };
}

size_t RateLimiter::size() {
  size_t total = 0;
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mutex);
    total += shard.buckets.size();
  }
  return total;
}

}  // namespace hop
