// RateLimits: which buckets a request takes from, and how their answers combine.
#include "service/rate_limits.h"

namespace hop {

RateLimits::RateLimits(const RateLimitOptions& options)
    : api_(options.api, options.capacity),
      create_(options.create, options.capacity),
      scan_(options.scan, options.capacity) {}

LimitDecision RateLimits::Stricter(const LimitDecision& a, const LimitDecision& b) {
  if (a.allowed != b.allowed) return a.allowed ? b : a;
  // A disabled limit answers limit 0; it says nothing about the request.
  if (a.limit == 0) return b;
  if (b.limit == 0) return a;
  if (!a.allowed) return a.retry_after_seconds >= b.retry_after_seconds ? a : b;
  return a.remaining <= b.remaining ? a : b;
}

LimitDecision RateLimits::Take(std::initializer_list<RateLimiter*> limiters,
                               const LimitSubject& subject, TimePoint now) {
  LimitDecision decision;
  for (RateLimiter* limiter : limiters) {
    decision = Stricter(decision, limiter->Take(subject, now));
    // A refused request takes nothing more: it will not be served.
    if (!decision.allowed) break;
  }
  return decision;
}

LimitDecision RateLimits::TakeForAddress(const ClientAddress& address, bool creates,
                                         TimePoint now) {
  const LimitSubject subject = LimitSubject::Address(address);
  if (creates) return Take({&create_, &api_}, subject, now);
  return Take({&api_}, subject, now);
}

LimitDecision RateLimits::TakeForKey(int64_t key_id, bool creates, TimePoint now) {
  const LimitSubject subject = LimitSubject::Key(key_id);
  if (creates) return Take({&create_, &api_}, subject, now);
  return Take({&api_}, subject, now);
}

LimitDecision RateLimits::TakeForMiss(const ClientAddress& address, TimePoint now) {
  return scan_.Take(LimitSubject::Address(address), now);
}

}  // namespace hop
