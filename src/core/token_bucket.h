// TokenBucket: the arithmetic of one rate limit, with the time passed in.
//
// A bucket holds up to `burst` tokens and gains `per_second` of them each second; a request takes
// one and is refused when none is left. So a client may send `burst` requests at once, then
// `per_second` a second on average. The state is two numbers, updated lazily when the bucket is
// used: there is no timer, and a bucket left alone long enough to refill is indistinguishable from
// a new one, which is what lets the limiter forget it.
//
// Time comes in as a parameter, so tests move it. A clock that steps backwards adds no tokens.
//
// Thread-safety: none; a bucket is a value, guarded by whoever holds it.
#pragma once

#include <cstdint>

#include "core/clock.h"

namespace hop {

struct RateLimit {
  double per_second = 0;  // 0: no limit
  double burst = 0;       // REQUIRES: >= 1 when per_second > 0

  bool enabled() const { return per_second > 0; }
};

class TokenBucket {
 public:
  // A full bucket.
  TokenBucket(const RateLimit& limit, TimePoint now) : tokens_(limit.burst), updated_(now) {}

  // Refills for the time since the last call, then takes one token if there is one.
  bool TryTake(const RateLimit& limit, TimePoint now);

  // Tokens left at `now`, without changing the bucket.
  double Available(const RateLimit& limit, TimePoint now) const;
  // How long until one token is available (zero when one is).
  Millis UntilNextToken(const RateLimit& limit, TimePoint now) const;
  // How long until the bucket is full again (zero when it is).
  Millis UntilFull(const RateLimit& limit, TimePoint now) const;

 private:
  double tokens_;
  TimePoint updated_;
};

}  // namespace hop
