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

TEST_F(ClickPipelineOutageTest, ClicksAreKeptWhileWritesFailAndWrittenOnceTheyWork) {
  const int64_t a = CreateLink("aaa");
  ClickPipeline pipeline(store_, clock_, 1, {.max_pending = 100});
  store_.set_click_writes_fail(true);
  for (int flush = 0; flush < 5; ++flush) {
    for (int i = 0; i < 10; ++i) pipeline.recorder(0).Record(Click(a, flush));
    EXPECT_TRUE(FailsWith(pipeline.Flush(), ErrorCode::kStoreUnavailable));
  }
  EXPECT_EQ(pipeline.pending_clicks(), 50u);
  EXPECT_EQ(pipeline.pending_entries(), 5u);
  EXPECT_EQ(pipeline.flushed_clicks(), 0u);

  store_.set_click_writes_fail(false);
  ASSERT_TRUE(IsOk(pipeline.Flush()));
  EXPECT_EQ(Total(a), 50);
  EXPECT_EQ(pipeline.flushed_clicks(), 50u);
  EXPECT_EQ(pipeline.pending_clicks(), 0u);
  EXPECT_EQ(pipeline.dropped_clicks(), 0u);
}

TEST_F(ClickPipelineOutageTest, BeyondTheBoundTheOldestMinutesAreDroppedAndCounted) {
  const int64_t a = CreateLink("aaa");
  ClickPipeline pipeline(store_, clock_, 1, {.max_pending = 3});
  store_.set_click_writes_fail(true);
  // Five minutes of clicks, oldest first: 1, 2, 3, 4 and 5 clicks.
  for (int minute = 0; minute < 5; ++minute) {
    for (int i = 0; i <= minute; ++i) pipeline.recorder(0).Record(Click(a, 10 - minute));
  }
  EXPECT_FALSE(pipeline.Flush().ok());
  EXPECT_EQ(pipeline.pending_entries(), 3u);
  EXPECT_EQ(pipeline.dropped_clicks(), 3u);  // the two oldest minutes: 1 + 2 clicks
  EXPECT_EQ(pipeline.pending_clicks(), 12u);

  store_.set_click_writes_fail(false);
  ASSERT_TRUE(IsOk(pipeline.Flush()));
  EXPECT_EQ(Total(a), 12);
  EXPECT_EQ(pipeline.dropped_clicks(), 3u);
}

}  // namespace
}  // namespace hop
