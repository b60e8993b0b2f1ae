// StatsService: answers "how often was this link used" for the stats endpoints.
//
// Both reads cost a bounded number of bucket rows, whatever the number of clicks (see
// core/click_windows.h). Series are zero-filled here, so the store only returns the buckets that
// exist.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/click_windows.h"
#include "core/clock.h"
#include "core/status.h"
#include "service/principal.h"
#include "store/store.h"

namespace hop {

struct LinkStats {
  std::string code;
  int64_t total = 0;
  int64_t bots = 0;
  int64_t last_24h = 0;
  int64_t last_7d = 0;
  int64_t last_30d = 0;
  TimePoint as_of;
};

// The most points one series answer may hold: 8 days of minutes, or 50 years of days, fit.
inline constexpr int64_t kMaxSeriesPoints = 20'000;

struct SeriesRequest {
  Granularity step = Granularity::kHour;
  std::optional<TimePoint> from;  // default: `to` minus 24 h (minute), 7 d (hour) or 30 d (day)
  std::optional<TimePoint> to;    // default: now
};

struct SeriesPoint {
  TimePoint t;  // start of the bucket
  int64_t count;
};

struct Series {
  Granularity step;
  TimePoint from;
  TimePoint to;
  std::vector<SeriesPoint> points;
};

class StatsService {
 public:
  StatsService(Store& store, const Clock& clock);

  // kNotFound when no link has `code` that the caller may see (principal.h).
  Result<LinkStats> Stats(std::string_view code, const Principal& caller);

  // kInvalidRequest when from > to, when the range needs more than kMaxSeriesPoints points, or when
  // it reaches further back than the step's buckets are kept; kNotFound as Stats.
  Result<Series> ReadSeries(std::string_view code, const SeriesRequest& request,
                            const Principal& caller);

 private:
  Result<Link> FindVisible(std::string_view code, const Principal& caller);

  Store& store_;
  const Clock& clock_;
};

}  // namespace hop
