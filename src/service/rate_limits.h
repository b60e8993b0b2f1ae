// RateLimits: the limits hop puts on its API and on code scanning, per client and per API key.
//
// Every API request takes a token from its client address's `api` bucket before the key is even
// looked at, so guessing keys is throttled like anything else, and then from its key's `api`
// bucket; creating links takes from the `create` buckets as well, which are meant to be stricter.
// Redirects take no token; only a code that answers 404 takes one from its address's `scan`
// bucket, so that walking the code space is slow while following links is free.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>

#include "core/client_address.h"
#include "core/clock.h"
#include "core/token_bucket.h"
#include "service/rate_limiter.h"

namespace hop {

struct RateLimitOptions {
  RateLimit api{.per_second = 20, .burst = 100};
  RateLimit create{.per_second = 2, .burst = 30};
  RateLimit scan{.per_second = 1, .burst = 30};
  size_t capacity = 100'000;  // buckets per limit
};

class RateLimits {
 public:
  explicit RateLimits(const RateLimitOptions& options);

  // The address's buckets for an API request (and a create, when `creates`).
  LimitDecision TakeForAddress(const ClientAddress& address, bool creates, TimePoint now);
  // The key's buckets for the same request, once the key is known.
  LimitDecision TakeForKey(int64_t key_id, bool creates, TimePoint now);
  // The address's scan bucket, for a redirect that found no link.
  LimitDecision TakeForMiss(const ClientAddress& address, TimePoint now);

  // Of two decisions about one request: the refusal if there is one, else the one with the
  // fewest tokens left, which is what the RateLimit-* headers describe.
  static LimitDecision Stricter(const LimitDecision& a, const LimitDecision& b);

 private:
  LimitDecision Take(std::initializer_list<RateLimiter*> limiters, const LimitSubject& subject,
                     TimePoint now);

  RateLimiter api_;
  RateLimiter create_;
  RateLimiter scan_;
};

}  // namespace hop
