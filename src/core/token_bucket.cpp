// Token bucket refills and waits.
#include "core/token_bucket.h"

#include <algorithm>
#include <cmath>

namespace hop {
namespace {

// Milliseconds to gain `missing` tokens, rounded up so that waiting that long is always enough.
Millis TimeToGain(const RateLimit& limit, double missing) {
  if (missing <= 0) return Millis(0);
  return Millis(static_cast<int64_t>(std::ceil(missing * 1000.0 / limit.per_second)));
}

}  // namespace

double TokenBucket::Available(const RateLimit& limit, TimePoint now) const {
  const double elapsed_ms = static_cast<double>(std::max<int64_t>(0, (now - updated_).count()));
  return std::min(limit.burst, tokens_ + elapsed_ms * limit.per_second / 1000.0);
}

bool TokenBucket::TryTake(const RateLimit& limit, TimePoint now) {
  tokens_ = Available(limit, now);
  updated_ = std::max(updated_, now);
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

Millis TokenBucket::UntilNextToken(const RateLimit& limit, TimePoint now) const {
  return TimeToGain(limit, 1 - Available(limit, now));
}

Millis TokenBucket::UntilFull(const RateLimit& limit, TimePoint now) const {
  return TimeToGain(limit, limit.burst - Available(limit, now));
}

}  // namespace hop
