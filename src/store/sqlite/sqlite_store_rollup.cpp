// SqliteStore: rolling minute counts up into hours, days and the links' totals (click_watermark.h).
//
// A step folds the minutes of one range of link ids, whatever the number of minutes or hours it
// spans: one statement reads the step's minute rows, which are summed per link and hour in memory
// (a count per link id of the step for each hour that has any, so a step that spans many hours
// holds 32 KB per hour), and each link's sums are then added to its totals, hour rows and day
// rows. The minutes are found as the readers find them: each minute that has any clicks is one
// seek, followed by the range of the step's link ids within it. Minutes and links are read from
// the packed key (sqlite_click_rows.h), and every range of them is a range of keys.
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "store/click_watermark.h"
#include "store/sqlite/sqlite_click_rows.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/sqlite_transaction.h"

namespace hop {
namespace {

// The minute rows of a step: ?1 and ?2, the first and last key of its minutes; ?3 and ?4, its first
// and last link id. Each minute that has any clicks is one seek, then the range of the step's links
// within it. The recursion stops at the last minute itself, where the key of the next one could
// overflow.
constexpr char kStepRows[] = R"sql(
WITH RECURSIVE present (minute) AS (
  SELECT min(minute_link) >> 32 FROM minute_clicks WHERE minute_link BETWEEN ?1 AND ?2
  UNION ALL
  SELECT (SELECT min(minute_link) >> 32 FROM minute_clicks
          WHERE minute_link >= (present.minute + 1) << 32 AND minute_link <= ?2)
  FROM present WHERE present.minute IS NOT NULL AND present.minute < ?2 >> 32
)
SELECT m.minute_link, m.clicks, m.bot_clicks
FROM present JOIN minute_clicks AS m
  ON m.minute_link BETWEEN (present.minute << 32) | ?3 AND (present.minute << 32) | ?4
)sql";

// Only the two totals change: every other column of the link stays as it is. No row changed means
// the link was deleted: its minute rows are left to pruning, and it gets no hour or day rows.
constexpr char kAddToTotals[] =
    "UPDATE links SET total_clicks = total_clicks + ?, bot_clicks = bot_clicks + ? WHERE id = ?";

// A step's clicks per link, summed in memory from its minute rows: per hour that has any, one
// count per link id of the step. SQLite's GROUP BY sorted every minute row and built a temporary
// table of the sums; that was most of a rollup's time (docs/BENCHMARKS.md, "Flusher, session 5").
class StepSums {
 public:
  StepSums(int64_t first_link, int64_t last_link)
      : first_link_(first_link), links_(static_cast<size_t>(last_link - first_link + 1)) {}

  // REQUIRES: the key's link is within the step's.
  void Add(int64_t key, int64_t humans, int64_t bots) {
    const int64_t hour = BucketOfMinute(Granularity::kHour, MinuteOfKey(key));
    // The rows come a minute at a time, so consecutive ones nearly always share the hour.
    if (last_ == nullptr || last_hour_ != hour) {
      std::vector<Counts>& counts = hours_[hour];
      if (counts.empty()) counts.resize(links_);
      last_ = &counts;
      last_hour_ = hour;
    }
    Counts& counts = (*last_)[static_cast<size_t>(LinkOfKey(key) - first_link_)];
    counts.humans += humans;
    counts.bots += bots;
  }

  // Adds each link's sums to its totals, hours and days, link by link in id order, hours and days
  // ascending.
  Status Write(SqliteConnection& writer) const {
    for (size_t offset = 0; offset < links_; ++offset) {
      Counts total;
      for (const auto& [hour, counts] : hours_) total += counts[offset];
      if (total.empty()) continue;
      const int64_t link = first_link_ + static_cast<int64_t>(offset);
      Result<SqliteStatement> update = writer.Prepare(kAddToTotals);
      if (!update.ok()) return update.status();
      if (Status s = update.value().Bind(total.humans, total.bots, link).Run(); !s.ok()) return s;
      if (writer.changes() != 1) continue;
      if (Status s = WriteBuckets(writer, link, offset); !s.ok()) return s;
    }
    return Status::Ok();
  }

 private:
  struct Counts {
    int64_t humans = 0;
    int64_t bots = 0;
    Counts& operator+=(const Counts& other) {
      humans += other.humans;
      bots += other.bots;
      return *this;
    }
    bool empty() const { return humans == 0 && bots == 0; }
  };

  Status WriteBuckets(SqliteConnection& writer, int64_t link, size_t offset) const {
    std::optional<int64_t> day;
    Counts day_counts;
    for (const auto& [hour, counts] : hours_) {
      const Counts& hour_counts = counts[offset];
      if (hour_counts.empty()) continue;
      if (Status s = Upsert(writer, Granularity::kHour, link, hour, hour_counts); !s.ok()) return s;
      const int64_t day_of_hour = BucketOfMinute(Granularity::kDay, hour * kMinutesPerHour);
      if (day && *day != day_of_hour) {
        if (Status s = Upsert(writer, Granularity::kDay, link, *day, day_counts); !s.ok()) return s;
        day_counts = {};
      }
      day = day_of_hour;
      day_counts += hour_counts;
    }
    return day ? Upsert(writer, Granularity::kDay, link, *day, day_counts) : Status::Ok();
  }

  static Status Upsert(SqliteConnection& writer, Granularity granularity, int64_t link,
                       int64_t bucket, const Counts& counts) {
    Result<SqliteStatement> upsert = writer.Prepare(SqlOf(granularity).upsert);
    if (!upsert.ok()) return upsert.status();
    return upsert.value().Bind(link, bucket, counts.humans, counts.bots).Run();
  }

  const int64_t first_link_;
  const size_t links_;
  std::map<int64_t, std::vector<Counts>> hours_;  // by hour, each indexed by link id - first_link_
  std::vector<Counts>* last_ = nullptr;           // the hour Add last used
  int64_t last_hour_ = 0;
};

// `newest_link`: the largest id of a link. Link ids are never reused, so the minute rows of larger
// ids are those of deleted links, which a rollup skips; leaving them out bounds the last step of a
// pass, whose through_link is open-ended, to the links there are.
Status FoldStep(SqliteConnection& writer, const RollUpStep& step, int64_t newest_link) {
  const std::optional<MinuteKeyRange> keys = KeysOfMinutes(step.first_minute, step.end_minute - 1);
  const int64_t first_link = std::max<int64_t>(step.after_link, 0) + 1;
  const int64_t last_link = std::min({step.through_link, kMaxKeyedLinkId, newest_link});
  if (!keys || first_link > last_link) return Status::Ok();
  StepSums sums(first_link, last_link);
  Result<SqliteStatement> rows = writer.Prepare(kStepRows);
  if (!rows.ok()) return rows.status();
  rows.value().Bind(keys->first, keys->last, first_link, last_link);
  for (;;) {
    Result<bool> row = rows.value().Step();
    if (!row.ok()) return row.status();
    if (!row.value()) break;
    sums.Add(rows.value().Int(0), rows.value().Int(1), rows.value().Int(2));
  }
  return sums.Write(writer);
}

Result<bool> AnyMinuteIn(SqliteConnection& writer, int64_t first, int64_t end) {
  const std::optional<MinuteKeyRange> keys = KeysOfMinutes(first, end - 1);
  if (!keys) return false;
  Result<SqliteStatement> any =
      writer.Prepare("SELECT 1 FROM minute_clicks WHERE minute_link BETWEEN ? AND ? LIMIT 1");
  if (!any.ok()) return any.status();
  return any.value().Bind(keys->first, keys->last).Step();
}

Result<int64_t> NewestLinkId(SqliteConnection& writer) {
  Result<SqliteStatement> newest = writer.Prepare("SELECT coalesce(max(id), 0) FROM links");
  if (!newest.ok()) return newest.status();
  Result<bool> row = newest.value().Step();
  if (!row.ok()) return row.status();
  return newest.value().Int(0);
}

Status StoreWatermark(SqliteConnection& writer, const ClickWatermark& watermark) {
  Result<SqliteStatement> update = writer.Prepare(
      "UPDATE click_rollup SET rolled_before_minute = ?, rolling_before_minute = ?, "
      "rolling_through_link = ?");
  if (!update.ok()) return update.status();
  return update.value()
      .Bind(watermark.rolled_before, watermark.rolling_before, watermark.rolling_through_link)
      .Run();
}

}  // namespace

// One step per call, in the write transaction that also reads and moves the watermark: a flush
// runs entirely before or after it, and so sees where each link stands. A pass folds only minutes
// applied to minute_clicks (sqlite_click_journal.h): before it starts, the click journal's minutes
// before its end are applied, a part per call if there are many, and the applied key K moves to the
// pass's end, so that every later click of those minutes goes to minute_clicks, or to the late
// path, where the pass or the reads find it.
Result<bool> SqliteStore::RollUpClicks(int64_t before_minute, int64_t links_per_step) {
  SqliteConnectionPool::WriterLease writer = pool_->Writer();
  SqliteTransaction transaction(*writer);
  if (Status s = transaction.Begin(SqliteTransaction::Mode::kWrite); !s.ok()) return s;
  if (Status s = journal_.Sync(*writer); !s.ok()) return s;
  Result<ClickWatermark> watermark = ReadClickWatermark(*writer);
  if (!watermark.ok()) return watermark.status();
  std::optional<int64_t> pass_end = RollUpPassEnd(watermark.value(), before_minute);
  if (!pass_end) return true;
  SqliteClickJournal::Change change = journal_.Start();
  if (change.applied_before < FirstKeyOfMinute(*pass_end)) {
    Result<bool> applied = journal_.Apply(*writer, *pass_end, change);
    if (!applied.ok()) return applied.status();
    if (!applied.value()) {
      if (Status s = journal_.Finish(*writer, change); !s.ok()) return s;
      if (Status s = transaction.Commit(); !s.ok()) return s;
      journal_.Publish(std::move(change));
      return false;
    }
    change.applied_before = FirstKeyOfMinute(*pass_end);
  }
  Result<bool> has_minutes = AnyMinuteIn(*writer, watermark.value().rolled_before, *pass_end);
  if (!has_minutes.ok()) return has_minutes.status();
  Result<int64_t> newest_link = NewestLinkId(*writer);
  if (!newest_link.ok()) return newest_link.status();
  const RollUpStep step = NextRollUpStep(watermark.value(), *pass_end, links_per_step,
                                         newest_link.value(), has_minutes.value());
  if (has_minutes.value()) {
    if (Status s = FoldStep(*writer, step, newest_link.value()); !s.ok()) return s;
  }
  if (Status s = StoreWatermark(*writer, step.next); !s.ok()) return s;
  if (Status s = journal_.Finish(*writer, change); !s.ok()) return s;
  if (Status s = transaction.Commit(); !s.ok()) return s;
  journal_.Publish(std::move(change));
  return step.next.rolled_before >= before_minute;
}

}  // namespace hop
