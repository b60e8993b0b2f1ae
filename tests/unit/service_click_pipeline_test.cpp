#include "service/click_pipeline.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <array>
#include <thread>

#include "service_test_support.h"

namespace hop {
namespace {

const std::array<MinuteSpan, 1> kAllOfToday = {WindowEndingAt(kNowMinute, kLast24hMinutes)};

class ClickPipelineTest : public ::testing::Test {
 protected:
  int64_t CreateLink(const std::string& code) {
    return Must(store_->CreateLink(code, UrlFields("https://example.com/"), kNow)).id;
  }
  ClickTotals Totals(int64_t id) { return Must(store_->ReadClickTotals(id, kAllOfToday)); }

  TempSqliteStore store_;
  ManualClock clock_{kNow};
};

TEST(ClickRecorder, DrainsEverythingRecordedInOrder) {
  ClickRecorder recorder(8);
  for (int i = 0; i < 5; ++i) recorder.Record({i, 100, false});
  std::vector<ClickEvent> out;
  recorder.DrainInto(out);
  ASSERT_EQ(out.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(out[static_cast<size_t>(i)].link_id, i);
  out.clear();
  recorder.DrainInto(out);
  EXPECT_TRUE(out.empty());
}

TEST(ClickRecorder, DrainsInOrderWhenTheRecordedPartWrapsAroundTheRing) {
  ClickRecorder recorder(8);
  std::vector<ClickEvent> out;
  for (int i = 0; i < 6; ++i) recorder.Record({i, 100, false});
  recorder.DrainInto(out);
  out.clear();
  for (int i = 6; i < 13; ++i) recorder.Record({i, 100, false});  // slots 6, 7, then 0 to 4
  recorder.DrainInto(out);
  ASSERT_EQ(out.size(), 7u);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(out[static_cast<size_t>(i)].link_id, 6 + i);
}

TEST(ClickRecorder, FullRingSpillsInsteadOfLosingClicks) {
  ClickRecorder recorder(4);
  for (int i = 0; i < 11; ++i) recorder.Record({1, 100, false});
  std::vector<ClickEvent> out;
  recorder.DrainInto(out);
  EXPECT_EQ(out.size(), 11u);
}

TEST(ClickRecorder, ConcurrentProducerAndConsumerLoseNothing) {
  ClickRecorder recorder(64);
  constexpr int kClicks = 200'000;
  std::thread producer([&] {
    for (int i = 0; i < kClicks; ++i) recorder.Record({i, 1, false});
  });
  std::vector<ClickEvent> out;
  while (out.size() < static_cast<size_t>(kClicks)) recorder.DrainInto(out);
  producer.join();
  recorder.DrainInto(out);
  ASSERT_EQ(out.size(), static_cast<size_t>(kClicks));
  int64_t sum = 0;
  for (const ClickEvent& e : out) sum += e.link_id;
  EXPECT_EQ(sum, int64_t{kClicks} * (kClicks - 1) / 2);
}

// Rows in minute_clicks, read from the file as another process would.
int64_t MinuteRows(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "SELECT count(*) FROM minute_clicks", -1, &stmt, nullptr);
  const int64_t rows = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : -1;
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rows;
}

TEST_F(ClickPipelineTest, AnIdleFlushWritesTheMinutesTheClockHasPassed) {
  const int64_t a = CreateLink("aaa");
  ClickPipeline pipeline(*store_, clock_, 1, {});
  const auto minute = static_cast<int32_t>(kNowMinute);
  pipeline.recorder(0).Record({a, minute, false});
  pipeline.recorder(0).Record({a, minute, false});
  ASSERT_TRUE(IsOk(pipeline.Flush()));
  ASSERT_TRUE(IsOk(pipeline.Flush()));
  // The minute is open: its counts are in the click journal, and in memory.
  EXPECT_EQ(MinuteRows(store_.path()), 0);
  clock_.Advance(std::chrono::minutes(1));
  ASSERT_TRUE(IsOk(pipeline.Flush()));
  EXPECT_EQ(MinuteRows(store_.path()), 1);
  EXPECT_EQ(Totals(a).total, 2);
  // A click that comes late for that minute still counts.
  pipeline.recorder(0).Record({a, minute, false});
  ASSERT_TRUE(IsOk(pipeline.Flush()));
  EXPECT_EQ(Totals(a).total, 3);
}

TEST_F(ClickPipelineTest, FlushWritesMergedClicksOfEveryWorker) {
  const int64_t a = CreateLink("aaa");
  const int64_t b = CreateLink("bbb");
  ClickPipeline pipeline(*store_, clock_, 2, {});
  const auto minute = static_cast<int32_t>(kNowMinute);
  for (int i = 0; i < 3; ++i) pipeline.recorder(0).Record({a, minute, false});
  pipeline.recorder(1).Record({a, minute, true});
  pipeline.recorder(1).Record({b, minute - 5, false});
  ASSERT_TRUE(IsOk(pipeline.Flush()));
  EXPECT_EQ(Totals(a).total, 3);
  EXPECT_EQ(Totals(a).bot_total, 1);
  EXPECT_EQ(Totals(b).total, 1);
  EXPECT_EQ(pipeline.flushed_clicks(), 5u);
  EXPECT_EQ(pipeline.pending_entries(), 0u);
}

TEST_F(ClickPipelineTest, StopFlushesWhatTheFlusherHadNotWrittenYet) {
  const int64_t a = CreateLink("aaa");
  ClickPipeline pipeline(*store_, clock_, 1, {.flush_interval = Millis(3'600'000)});
  pipeline.Start();
  for (int i = 0; i < 1000; ++i)
    pipeline.recorder(0).Record({a, static_cast<int32_t>(kNowMinute), false});
  ASSERT_TRUE(IsOk(pipeline.Stop()));
  EXPECT_EQ(Totals(a).total, 1000);
}

TEST_F(ClickPipelineTest, FlusherWritesOnItsIntervalWithoutBeingAsked) {
  const int64_t a = CreateLink("aaa");
  ClickPipeline pipeline(*store_, clock_, 1, {.flush_interval = Millis(20)});
  pipeline.Start();
  pipeline.recorder(0).Record({a, static_cast<int32_t>(kNowMinute), false});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (Totals(a).total == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(Totals(a).total, 1);
  ASSERT_TRUE(IsOk(pipeline.Stop()));
}

TEST_F(ClickPipelineTest, ClicksOfADeletedLinkAreDroppedWithoutFailingTheFlush) {
  const int64_t a = CreateLink("aaa");
  const int64_t b = CreateLink("bbb");
  ClickPipeline pipeline(*store_, clock_, 1, {});
  pipeline.recorder(0).Record({a, static_cast<int32_t>(kNowMinute), false});
  pipeline.recorder(0).Record({b, static_cast<int32_t>(kNowMinute), false});
  ASSERT_TRUE(IsOk(store_->DeleteLink("aaa", std::nullopt)));
  ASSERT_TRUE(IsOk(pipeline.Flush()));
  EXPECT_EQ(Totals(b).total, 1);
}

// The pipeline's rollup at an hour boundary: minutes of the hour that ended, and of the one that
// began, with the clock before and after the rollup is due.
TEST_F(ClickPipelineTest, RollsUpAnHourOnceItEndedLongEnoughAgoAndOnlyOnce) {
  const int64_t a = CreateLink("aaa");
  CountingStore counting(*store_);
  const int64_t next_hour =
      FirstMinuteOfBucket(Granularity::kHour, BucketOfMinute(Granularity::kHour, kNowMinute) + 1);
  clock_.Set(TimePoint(std::chrono::minutes(next_hour - 1)));
  ClickPipeline pipeline(counting, clock_, 1, {});
  for (int64_t minute : {next_hour - 2, next_hour - 1, next_hour, next_hour + 1}) {
    pipeline.recorder(0).Record({a, static_cast<int32_t>(minute), minute % 2 == 0});
  }
  ASSERT_TRUE(IsOk(pipeline.Flush()));
  const std::array<MinuteSpan, 2> spans = {MinuteSpan{next_hour - 2, next_hour - 1},
                                           MinuteSpan{next_hour - 2, next_hour + 1}};
  auto span_sums = [&] { return Must(store_->ReadClickTotals(a, spans)).span_sums; };
  const std::vector<int64_t> before = span_sums();

  // The hour that ended a minute ago may still get clicks: it waits.
  clock_.Set(TimePoint(std::chrono::minutes(next_hour + 1)));
  ASSERT_TRUE(IsOk(pipeline.RollUp()));
  EXPECT_EQ(Must(store_->FindLink("aaa")).total_clicks, 0);

  clock_.Set(TimePoint(std::chrono::minutes(next_hour + 3)));
  ASSERT_TRUE(IsOk(pipeline.RollUp()));
  Link link = Must(store_->FindLink("aaa"));
  EXPECT_EQ(link.total_clicks + link.bot_clicks, 2);  // the two minutes of the hour that ended
  EXPECT_EQ(span_sums(), before);
  ClickTotals totals = Must(store_->ReadClickTotals(a, {}));
  EXPECT_EQ(totals.total + totals.bot_total, 4);

  const int calls = counting.rollup_calls();
  ASSERT_TRUE(IsOk(pipeline.RollUp()));
  EXPECT_EQ(counting.rollup_calls(), calls);  // rolled up already, as far as it knows
}

TEST_F(ClickPipelineTest, AFailedRollUpIsTriedAgainOnTheNextCall) {
  const int64_t a = CreateLink("aaa");
  CountingStore counting(*store_);
  ClickPipeline pipeline(counting, clock_, 1, {});
  pipeline.recorder(0).Record({a, static_cast<int32_t>(kNowMinute - 180), false});
  ASSERT_TRUE(IsOk(pipeline.Flush()));
  counting.set_rollups_fail(true);
  EXPECT_TRUE(FailsWith(pipeline.RollUp(), ErrorCode::kStoreUnavailable));
  EXPECT_EQ(Totals(a).total, 1);
  counting.set_rollups_fail(false);
  ASSERT_TRUE(IsOk(pipeline.RollUp()));
  EXPECT_EQ(Must(store_->FindLink("aaa")).total_clicks, 1);
}

TEST_F(ClickPipelineTest, ClicksOfAnHourRolledUpAlreadyAreCountedAtOnce) {
  const int64_t a = CreateLink("aaa");
  ClickPipeline pipeline(*store_, clock_, 1, {});
  pipeline.recorder(0).Record({a, static_cast<int32_t>(kNowMinute - 180), false});
  ASSERT_TRUE(IsOk(pipeline.Flush()));
  ASSERT_TRUE(IsOk(pipeline.RollUp()));
  EXPECT_EQ(Must(store_->FindLink("aaa")).total_clicks, 1);
  // Clicks that arrive after their hour was rolled up are counted at once.
  pipeline.recorder(0).Record({a, static_cast<int32_t>(kNowMinute - 170), false});
  ASSERT_TRUE(IsOk(pipeline.Flush()));
  EXPECT_EQ(Must(store_->FindLink("aaa")).total_clicks, 2);
  EXPECT_EQ(Totals(a).total, 2);
}

}  // namespace
}  // namespace hop
