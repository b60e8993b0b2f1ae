// ClickPipeline while the store cannot be written: clicks are kept, up to a bound, and written when
// it is back; beyond the bound the oldest minutes are dropped and counted, never silently.
#include <gtest/gtest.h>

#include <array>

#include "service/click_pipeline.h"
#include "service_test_support.h"

namespace hop {
namespace {

const std::array<MinuteSpan, 1> kLastMonth = {WindowEndingAt(kNowMinute, kLast30dMinutes)};

class ClickPipelineOutageTest : public ::testing::Test {
 protected:
  int64_t CreateLink(const std::string& code) {
    return Must(real_->CreateLink(code, UrlFields("https://example.com/"), kNow)).id;
  }
  int64_t Total(int64_t id) { return Must(real_->ReadClickTotals(id, kLastMonth)).total; }
  static ClickEvent Click(int64_t id, int64_t minutes_ago) {
    return {id, static_cast<int32_t>(kNowMinute - minutes_ago), false};
  }

  TempSqliteStore real_;
  CountingStore store_{*real_};
  ManualClock clock_{kNow};
};

TEST_F(ClickPipelineOutageTest, PendingClicksIncludeThoseTheRecordersStillHold) {
  const int64_t a = CreateLink("aaa");
  ClickPipeline pipeline(store_, clock_, 2, {});
  for (int i = 0; i < 5; ++i) pipeline.recorder(1).Record(Click(a, 0));
  EXPECT_EQ(pipeline.pending_clicks(), 5u);
  store_.set_click_write_budget(0);
  EXPECT_FALSE(pipeline.Flush().ok());
  pipeline.recorder(0).Record(Click(a, 0));
  EXPECT_EQ(pipeline.pending_clicks(), 6u);
}

TEST(ClickRecorderQueue, CountsTheRingAndTheOverflow) {
  ClickRecorder recorder(4);
  for (int i = 0; i < 7; ++i) recorder.Record({1, 100, false});
  EXPECT_EQ(recorder.queued(), 7u);
  std::vector<ClickEvent> out;
  recorder.DrainInto(out);
  EXPECT_EQ(recorder.queued(), 0u);
}

TEST_F(ClickPipelineOutageTest, ClicksAreKeptWhileWritesFailAndWrittenOnceTheyWork) {
  const int64_t a = CreateLink("aaa");
  ClickPipeline pipeline(store_, clock_, 1, {.max_pending = 100});
  store_.set_click_write_budget(0);
  for (int flush = 0; flush < 5; ++flush) {
    for (int i = 0; i < 10; ++i) pipeline.recorder(0).Record(Click(a, flush));
    EXPECT_TRUE(FailsWith(pipeline.Flush(), ErrorCode::kStoreUnavailable));
  }
  EXPECT_EQ(pipeline.pending_clicks(), 50u);
  EXPECT_EQ(pipeline.pending_entries(), 5u);
  EXPECT_EQ(pipeline.flushed_clicks(), 0u);

  store_.set_click_write_budget(-1);
  ASSERT_TRUE(IsOk(pipeline.Flush()));
  EXPECT_EQ(Total(a), 50);
  EXPECT_EQ(pipeline.flushed_clicks(), 50u);
  EXPECT_EQ(pipeline.pending_clicks(), 0u);
  EXPECT_EQ(pipeline.dropped_clicks(), 0u);
}

TEST_F(ClickPipelineOutageTest, BeyondTheBoundTheOldestMinutesAreDroppedAndCounted) {
  const int64_t a = CreateLink("aaa");
  ClickPipeline pipeline(store_, clock_, 1, {.max_pending = 3});
  store_.set_click_write_budget(0);
  // Five minutes of clicks, oldest first: 1, 2, 3, 4 and 5 clicks.
  for (int minute = 0; minute < 5; ++minute) {
    for (int i = 0; i <= minute; ++i) pipeline.recorder(0).Record(Click(a, 10 - minute));
  }
  EXPECT_FALSE(pipeline.Flush().ok());
  EXPECT_EQ(pipeline.pending_entries(), 3u);
  EXPECT_EQ(pipeline.dropped_clicks(), 3u);  // the two oldest minutes: 1 + 2 clicks
  EXPECT_EQ(pipeline.pending_clicks(), 12u);

  store_.set_click_write_budget(-1);
  ASSERT_TRUE(IsOk(pipeline.Flush()));
  EXPECT_EQ(Total(a), 12);
  EXPECT_EQ(pipeline.dropped_clicks(), 3u);
}

TEST_F(ClickPipelineOutageTest,
       ABacklogIsWrittenInBoundedTransactionsAndWhatWasWrittenStaysWritten) {
  const int64_t a = CreateLink("aaa");
  ClickPipeline pipeline(store_, clock_, 1, {.max_pending = 100'000});
  const auto per_write = static_cast<int64_t>(store_.max_clicks_per_write());
  const int64_t entries = 2 * per_write + 5;
  for (int64_t minute = 0; minute < entries; ++minute)
    pipeline.recorder(0).Record(Click(a, minute));
  store_.set_click_write_budget(1);  // the first write succeeds, the second fails
  EXPECT_FALSE(pipeline.Flush().ok());
  EXPECT_EQ(Total(a), per_write);
  EXPECT_EQ(pipeline.flushed_clicks(), static_cast<uint64_t>(per_write));
  EXPECT_EQ(pipeline.pending_clicks(), static_cast<uint64_t>(entries - per_write));

  store_.set_click_write_budget(-1);
  ASSERT_TRUE(IsOk(pipeline.Flush()));
  EXPECT_EQ(Total(a), entries);
  EXPECT_EQ(pipeline.pending_clicks(), 0u);
  EXPECT_EQ(pipeline.pending_entries(), 0u);
}

TEST_F(ClickPipelineOutageTest, WritesAsManyEntriesACallAsTheStoreTakes) {
  class ThreeAWrite final : public CountingStore {
   public:
    using CountingStore::CountingStore;
    size_t max_clicks_per_write() const override { return 3; }
  };
  ThreeAWrite store(*real_);
  const int64_t a = CreateLink("aaa");
  ClickPipeline pipeline(store, clock_, 1, {});
  for (int64_t minute = 0; minute < 7; ++minute) pipeline.recorder(0).Record(Click(a, minute));
  store.set_click_write_budget(2);  // two calls of three entries succeed, the third fails
  EXPECT_FALSE(pipeline.Flush().ok());
  EXPECT_EQ(Total(a), 6);
  EXPECT_EQ(pipeline.pending_entries(), 1u);
}

}  // namespace
}  // namespace hop
