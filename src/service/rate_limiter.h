// RateLimiter: one rate limit (core/token_bucket.h) kept for many subjects, client addresses or
// API keys, in bounded memory.
//
// Buckets live in a fixed number of shards, each a small map behind its own mutex, so concurrent
// requests from different clients rarely wait for each other. Memory is bounded by `capacity`
// buckets. A bucket that has refilled completely behaves exactly like a missing one, so those are
// what a full shard drops first; if none has, it drops the one closest to full, which belongs to
// the subject that has been quiet the longest. An attacker with many addresses can therefore
// make hop forget other clients' spent buckets only by outrunning them, and never grow memory.
//
// Thread-safety: Take may be called concurrently.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "core/client_address.h"
#include "core/clock.h"
#include "core/token_bucket.h"

namespace hop {

// Whose bucket: a client address (its LimitPrefix) or an API key.
struct LimitSubject {
  ClientAddress address;  // zero for a key
  int64_t key_id = 0;     // zero for an address

  static LimitSubject Address(const ClientAddress& address) { return {address.LimitPrefix(), 0}; }
  static LimitSubject Key(int64_t key_id) { return {ClientAddress{}, key_id}; }

  bool operator==(const LimitSubject&) const = default;
};

// One bucket's answer, and what the RateLimit-* and Retry-After headers say about it.
struct LimitDecision {
  bool allowed = true;
  int64_t limit = 0;                // the burst: RateLimit-Limit
  int64_t remaining = 0;            // whole tokens left: RateLimit-Remaining
  int64_t reset_seconds = 0;        // until the bucket is full: RateLimit-Reset
  int64_t retry_after_seconds = 0;  // until a request would pass: Retry-After, when refused
};

class RateLimiter {
 public:
  // REQUIRES: limit.burst >= 1 when the limit is enabled; capacity >= 1.
  RateLimiter(RateLimit limit, size_t capacity);
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Takes a token from `subject`'s bucket if it has one. A disabled limit allows everything.
  LimitDecision Take(const LimitSubject& subject, TimePoint now);

  // Buckets held now, for tests.
  size_t size();

 private:
  struct Hash {
    size_t operator()(const LimitSubject& subject) const;
  };
  struct Shard {
    std::mutex mutex;
    std::unordered_map<LimitSubject, TokenBucket, Hash> buckets;  // guarded by mutex
  };
  static constexpr size_t kShards = 16;

  void MakeRoom(Shard& shard, TimePoint now);
  LimitDecision DecisionOf(bool allowed, const TokenBucket& bucket, TimePoint now) const;

  const RateLimit limit_;
  const size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
};

}  // namespace hop
