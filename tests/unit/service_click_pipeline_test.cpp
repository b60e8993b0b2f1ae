#include "service/click_pipeline.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace hop
