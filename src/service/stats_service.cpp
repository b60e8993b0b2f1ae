#include "service/stats_service.h"

#include <array>

namespace hop {

namespace {

// How far back a series of each step may start: as long as its buckets are kept.
std::optional<int64_t> RetentionMinutes(Granularity g) {
  switch (g) {
    case Granularity::kMinute:
      return kMinuteRetentionMinutes;
    case Granularity::kHour:
      return kHourRetentionMinutes;
    case Granularity::kDay:
      return std::nullopt;
  }
  return std::nullopt;
}

std::chrono::minutes DefaultSpan(Granularity g) {
  switch (g) {
    case Granularity::kMinute:
      return std::chrono::minutes(kLast24hMinutes);
    case Granularity::kHour:
      return std::chrono::minutes(kLast7dMinutes);
    case Granularity::kDay:
      return std::chrono::minutes(kLast30dMinutes);
  }
  return std::chrono::minutes(kLast24hMinutes);
}

TimePoint StartOfBucket(Granularity g, int64_t bucket) {
  return TimePoint(std::chrono::minutes(FirstMinuteOfBucket(g, bucket)));
}

}  // namespace

StatsService::StatsService(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

Result<Link> StatsService::FindVisible(std::string_view code, const Principal& caller) {
  Result<Link> link = store_.FindLink(code);
  if (link.ok() && !caller.Sees(link.value())) {
    // Word for word the store's answer for a missing code.
    return Status::Error(ErrorCode::kNotFound,
                         "no link has the code \"" + std::string(code) + "\"");
  }
  return link;
}

Result<LinkStats> StatsService::Stats(std::string_view code, const Principal& caller) {
  Result<Link> link = FindVisible(code, caller);
  if (!link.ok()) return link.status();

  const TimePoint now = clock_.Now();
  const int64_t now_minute = MinuteOf(now);
  const std::array<MinuteSpan, 3> spans = {WindowEndingAt(now_minute, kLast24hMinutes),
                                           WindowEndingAt(now_minute, kLast7dMinutes),
                                           WindowEndingAt(now_minute, kLast30dMinutes)};
  Result<ClickTotals> totals = store_.ReadClickTotals(link.value().id, spans);
  if (!totals.ok()) return totals.status();

  const ClickTotals& t = totals.value();
  return LinkStats{.code = link.value().code,
                   .total = t.total,
                   .bots = t.bot_total,
                   .last_24h = t.span_sums[0],
                   .last_7d = t.span_sums[1],
                   .last_30d = t.span_sums[2],
                   .as_of = now};
}

Result<Series> StatsService::ReadSeries(std::string_view code, const SeriesRequest& request,
                                        const Principal& caller) {
  const TimePoint now = clock_.Now();
  const TimePoint to = request.to.value_or(now);
  const TimePoint from = request.from.value_or(to - DefaultSpan(request.step));
  if (from > to) return Status::Error(ErrorCode::kInvalidRequest, "from must not be after to");

  const Granularity g = request.step;
  if (std::optional<int64_t> kept = RetentionMinutes(g);
      kept && MinuteOf(from) < MinuteOf(now) - *kept) {
    return Status::Error(ErrorCode::kInvalidRequest,
                         "this step's counts are kept for " +
                             std::to_string(*kept / kMinutesPerDay) +
                             " days; use a coarser step or a later from");
  }
  const int64_t first = BucketOfMinute(g, MinuteOf(from));
  const int64_t last = BucketOfMinute(g, MinuteOf(to));
  if (last - first + 1 > kMaxSeriesPoints) {
    return Status::Error(ErrorCode::kInvalidRequest,
                         "the range needs " + std::to_string(last - first + 1) +
                             " points; at most " + std::to_string(kMaxSeriesPoints) +
                             " are allowed, use a coarser step or a shorter range");
  }

  Result<Link> link = FindVisible(code, caller);
  if (!link.ok()) return link.status();
  Result<std::vector<BucketCount>> counts = store_.ReadClickSeries(link.value().id, g, first, last);
  if (!counts.ok()) return counts.status();

  Series series{.step = g, .from = from, .to = to, .points = {}};
  series.points.reserve(static_cast<size_t>(last - first + 1));
  auto next = counts.value().begin();
  for (int64_t bucket = first; bucket <= last; ++bucket) {
    int64_t count = 0;
    if (next != counts.value().end() && next->bucket == bucket) count = (next++)->clicks;
    series.points.push_back({StartOfBucket(g, bucket), count});
  }
  return series;
}

}  // namespace hop
