// The SQLite store's click journal (store/sqlite/sqlite_click_journal.h): the open minutes' clicks
// survive a reopening at any point of their apply, clicks below the applied key still count, a
// rollup applies first, reads racing the applies count every click once, and applied minutes give
// their memory back.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "click_model.h"
#include "click_race.h"
#include "sqlite_test_support.h"
#include "store/minute_key.h"
#include "store/sqlite/sqlite_store.h"
#include "store_test_support.h"

namespace hop {
namespace {

// A store on a fresh file with `links` links (ids 1 up), applying `rows_per_apply` minute rows per
// write, and what the test wrote to it.
class JournalTest : public ::testing::Test {
 protected:
  void Open(size_t rows_per_apply, int links = 10) {
    options_.rows_per_apply = rows_per_apply;
    store_ = OpenMigrated(path_, options_);
    ASSERT_NE(store_, nullptr);
    for (int i = 1; i <= links; ++i) {
      const std::string code = "link" + std::to_string(i);
      ASSERT_EQ(Must(store_->CreateLink(code, UrlFields("https://example.com/"), kNow)).id, i);
    }
  }
  // The process ends and another opens the file: only what was committed is there.
  void Reopen() {
    store_.reset();
    store_ = OpenMigrated(path_, options_);
    ASSERT_NE(store_, nullptr);
  }
  // One click of each of links first..last in `minute`.
  ::testing::AssertionResult Click(int64_t minute, int64_t first, int64_t last,
                                   int64_t humans = 1) {
    std::vector<MinuteClicks> batch;
    for (int64_t id = first; id <= last; ++id) batch.push_back({id, minute, humans, id % 2});
    return model_.Write(*store_, batch);
  }
  ::testing::AssertionResult EveryAnswerMatches(int64_t links = 10) {
    for (int64_t id = 1; id <= links; ++id) {
      if (::testing::AssertionResult match = AnswersMatch(*store_, model_, id); !match) {
        return match;
      }
    }
    return ::testing::AssertionSuccess();
  }
  std::string Query(const std::string& sql) {
    return OtherConnection(path_).QueryText(sql.c_str());
  }
  std::string AppliedBeforeKey() {
    return Query("SELECT applied_before_key FROM click_journal_state");
  }
  const ClickOverlay& Overlay() { return static_cast<SqliteStore&>(*store_).click_overlay(); }

  const std::string path_ = FreshPath();
  SqliteStoreOptions options_;
  std::unique_ptr<Store> store_;
  ClickModel model_;
};

TEST_F(JournalTest, ClicksOfAnOpenMinuteSurviveReopeningBeforeAnyApply) {
  Open(1000);
  ASSERT_TRUE(Click(kNowMinute, 1, 10));
  ASSERT_TRUE(Click(kNowMinute, 3, 6, 4));
  EXPECT_EQ(CountMinuteRows(path_), 0);
  EXPECT_EQ(Query("SELECT count(*) FROM click_journal"), "2");
  EXPECT_TRUE(EveryAnswerMatches());
  Reopen();
  EXPECT_TRUE(EveryAnswerMatches());
  EXPECT_EQ(CountMinuteRows(path_), 0);
}

// Three rows per write: each flush of the next minute applies three more rows of the closed one.
TEST_F(JournalTest, ReopeningBetweenThePartsOfAnApplyCountsEveryClickOnce) {
  Open(3);
  ASSERT_TRUE(Click(kNowMinute, 1, 10));
  ASSERT_TRUE(Click(kNowMinute + 1, 1, 1));  // closes kNowMinute, applies links 1 to 3
  EXPECT_EQ(CountMinuteRows(path_), 3);
  EXPECT_EQ(AppliedBeforeKey(), std::to_string(MinuteKey(kNowMinute, 4)));
  EXPECT_TRUE(EveryAnswerMatches());
  // The journal row of kNowMinute still holds links 1 to 3: a reopened store skips them.
  Reopen();
  EXPECT_TRUE(EveryAnswerMatches());
  for (int flush = 0; flush < 3; ++flush) {
    ASSERT_TRUE(Click(kNowMinute + 1, 2, 2));
    Reopen();
    EXPECT_TRUE(EveryAnswerMatches());
  }
  EXPECT_EQ(CountMinuteRows(path_), 10);
  EXPECT_EQ(AppliedBeforeKey(), std::to_string(MinuteKey(kNowMinute + 1, 0)));
  // Applied in full: the minute's journal rows are gone, the open minute's remain.
  EXPECT_EQ(Query("SELECT count(*) FROM click_journal"), "4");
  EXPECT_EQ(Query("SELECT min(key >> 32) FROM click_journal"), std::to_string(kNowMinute + 1));
}

TEST_F(JournalTest, AWriteOfManyEntriesAppliesAPartForEachTenThousandInTransactionsOfItsOwn) {
  Open(3);
  // 25,000 entries, the ten links in each of 2,500 minutes: all but the newest close at once.
  std::vector<MinuteClicks> batch;
  for (int64_t minute = kNowMinute - 2'499; minute <= kNowMinute; ++minute) {
    for (int64_t id = 1; id <= 10; ++id) batch.push_back({id, minute, 1, 0});
  }
  ASSERT_EQ(batch.size(), 25'000u);
  ASSERT_GT(static_cast<SqliteStore&>(*store_).max_clicks_per_write(), batch.size());
  ASSERT_TRUE(model_.Write(*store_, batch));
  // The journaling transaction had nothing to apply yet; the parts for the entries from 10,000 and
  // from 20,000 on applied three rows each, in key order.
  EXPECT_EQ(CountMinuteRows(path_), 6);
  EXPECT_EQ(AppliedBeforeKey(), std::to_string(MinuteKey(kNowMinute - 2'499, 7)));
  EXPECT_TRUE(EveryAnswerMatches());
  Reopen();
  EXPECT_TRUE(EveryAnswerMatches());
}

TEST_F(JournalTest, ClicksBelowTheAppliedKeyGoToMinuteRowsAndCountOnce) {
  Open(3);
  ASSERT_TRUE(Click(kNowMinute, 1, 10));
  ASSERT_TRUE(Click(kNowMinute + 1, 1, 1));  // links 1 to 3 of kNowMinute applied
  // Link 2 has its row already, link 8 is still journaled: both add up.
  ASSERT_TRUE(model_.Write(
      *store_, std::vector<MinuteClicks>{{2, kNowMinute, 4, 0}, {8, kNowMinute, 5, 1}}));
  EXPECT_TRUE(EveryAnswerMatches());
  const std::string row_of_link_2 = "SELECT clicks FROM minute_clicks WHERE minute_link = " +
                                    std::to_string(MinuteKey(kNowMinute, 2));
  EXPECT_EQ(Query(row_of_link_2), "5");
  Reopen();
  EXPECT_TRUE(EveryAnswerMatches());
  while (CountMinuteRows(path_) < 10) ASSERT_TRUE(Click(kNowMinute + 1, 1, 1));
  EXPECT_TRUE(EveryAnswerMatches());
  // A click of a minute applied in full goes to its row at once.
  ASSERT_TRUE(Click(kNowMinute, 5, 5, 7));
  EXPECT_EQ(CountMinuteRows(path_), 10);
  EXPECT_TRUE(EveryAnswerMatches());
}

// A quiet server: no later minute ever closes the last one, the rollup does.
TEST_F(JournalTest, RollUpAppliesTheJournalFirstAPartPerCall) {
  Open(4);
  ASSERT_TRUE(Click(kNowMinute, 1, 10));
  int calls = 1;
  while (!Must(store_->RollUpClicks(kNowMinute + 1, 1000))) ++calls;
  EXPECT_EQ(calls, 3);  // 4 rows, 4 rows, then the last 2 and the fold
  EXPECT_EQ(CountMinuteRows(path_), 10);
  EXPECT_EQ(AppliedBeforeKey(), std::to_string(MinuteKey(kNowMinute + 1, 0)));
  EXPECT_EQ(Must(store_->FindLink("link7")).total_clicks, 1);
  EXPECT_TRUE(EveryAnswerMatches());
  // Clicks of the minute rolled up now take the late path, those of later minutes the journal.
  ASSERT_TRUE(Click(kNowMinute, 7, 7, 2));
  ASSERT_TRUE(Click(kNowMinute + 5, 1, 2));
  EXPECT_EQ(Must(store_->FindLink("link7")).total_clicks, 3);
  EXPECT_EQ(Overlay().entries(), 2u);
  EXPECT_TRUE(EveryAnswerMatches());
}

TEST_F(JournalTest, CountsAStoreCannotJournalAreRefusedBeforeAnythingIsWritten) {
  Open(1000);
  for (int64_t bad : {int64_t{-1}, int64_t{1} << 32}) {
    const std::vector<MinuteClicks> batch = {{1, kNowMinute, 1, 0}, {2, kNowMinute, bad, 0}};
    EXPECT_TRUE(FailsWith(store_->AddClicks(batch), ErrorCode::kInvalidRequest));
  }
  EXPECT_EQ(Must(store_->ReadClickTotals(1, {})).total, 0);
  const std::vector<MinuteClicks> largest = {{2, kNowMinute, (int64_t{1} << 32) - 1, 0}};
  ASSERT_TRUE(model_.Write(*store_, largest));
  ASSERT_TRUE(model_.Write(*store_, largest));  // the sum takes 33 bits
  EXPECT_TRUE(EveryAnswerMatches());
  ASSERT_TRUE(Must(store_->RollUpClicks(kNowMinute + 1, 1000)));
  EXPECT_TRUE(EveryAnswerMatches());
}

TEST_F(JournalTest, AnAppliedMinuteGivesItsMemoryBack) {
  Open(1'000'000, 0);
  std::vector<MinuteClicks> batch;
  for (int64_t id = 1; id <= 100'000; ++id) batch.push_back({id, kNowMinute, 1, 0});
  ASSERT_TRUE(IsOk(store_->AddClicks(batch)));
  EXPECT_GE(Overlay().bytes(), batch.size() * sizeof(ClickOverlay::Entry));
  const std::vector<MinuteClicks> next = {{1, kNowMinute + 1, 1, 0}};
  ASSERT_TRUE(IsOk(store_->AddClicks(next)));
  EXPECT_EQ(CountMinuteRows(path_), 100'000);
  EXPECT_EQ(Overlay().entries(), 1u);
  EXPECT_LE(Overlay().bytes(), 4096u);
}

TEST_F(JournalTest, ClosingMinutesTheClockHasPassedWritesThemAllAndGivesTheirMemoryBack) {
  Open(1);
  ASSERT_TRUE(Click(kNowMinute - 1, 1, 10));
  ASSERT_TRUE(Click(kNowMinute, 1, 10));  // closes the minute before, and applies one of its rows
  EXPECT_EQ(Overlay().entries(), 20u);    // a minute leaves memory once all its rows are written
  // The newest minute is still open: nothing is written.
  EXPECT_FALSE(Must(store_->CloseMinutesBefore(kNowMinute)));
  EXPECT_EQ(CountMinuteRows(path_), 1);
  // Eight parts of one row a call: the minute before, then the newest one.
  EXPECT_FALSE(Must(store_->CloseMinutesBefore(kNowMinute + 1)));
  EXPECT_EQ(CountMinuteRows(path_), 9);
  EXPECT_FALSE(Must(store_->CloseMinutesBefore(kNowMinute + 1)));
  EXPECT_EQ(Overlay().entries(), 10u);
  EXPECT_TRUE(Must(store_->CloseMinutesBefore(kNowMinute + 1)));
  EXPECT_EQ(Overlay().entries(), 0u);
  EXPECT_EQ(CountMinuteRows(path_), 20);
  EXPECT_TRUE(EveryAnswerMatches());
  // Clicks that come late for a closed minute count all the same.
  ASSERT_TRUE(Click(kNowMinute, 1, 3));
  EXPECT_TRUE(EveryAnswerMatches());
  Reopen();
  EXPECT_TRUE(EveryAnswerMatches());
}

// A writer flushes link 1 once per call among many links, applying a few rows per call, while
// readers check every answer against the calls that had returned before it and those that had
// started: a miss or a double count of any key falls outside.
TEST_F(JournalTest, ReadsDuringAppliesNeitherMissNorDoubleCount) {
  Open(7, 0);
  constexpr int64_t kLinks = 60;
  for (int64_t id = 1; id <= kLinks; ++id) {
    Must(store_->CreateLink("r" + std::to_string(id), UrlFields("https://example.com/"), kNow));
  }
  constexpr int kCalls = 150;
  std::atomic<int> started = 0;
  std::atomic<int> done = 0;
  // Link 1's human clicks as each kind of read counts them; a failure counts as -1.
  auto count = [&](int kind) -> int64_t {
    const int64_t ids[] = {1, 2};
    const MinuteSpan day[] = {WindowEndingAt(kNowMinute + 100, kLast24hMinutes)};
    if (kind == 0) {
      Result<ClickTotals> totals = store_->ReadClickTotals(1, day);
      return totals.ok() ? totals.value().span_sums[0] : -1;
    }
    if (kind == 1) {
      Result<std::vector<ClickTotals>> all = store_->ReadAllTimeClicks(ids);
      return all.ok() ? all.value()[0].total : -1;
    }
    Result<std::vector<BucketCount>> series =
        store_->ReadClickSeries(1, Granularity::kMinute, kNowMinute, kNowMinute + 60);
    if (!series.ok()) return -1;
    int64_t sum = 0;
    for (const BucketCount& minute : series.value()) sum += minute.clicks;
    return sum;
  };
  std::vector<std::thread> readers;
  for (int kind = 0; kind < 3; ++kind) {
    readers.emplace_back([&, kind] {
      while (done < kCalls) {
        const int before = done;
        const int64_t counted = count(kind);
        const int after = started;
        EXPECT_TRUE(before <= counted && counted <= after)
            << "read " << kind << ": " << before << " <= " << counted << " <= " << after;
      }
    });
  }
  for (int call = 0; call < kCalls; ++call) {
    std::vector<MinuteClicks> batch;
    for (int64_t id = 1; id <= kLinks; ++id) batch.push_back({id, kNowMinute + call / 10, 1, 0});
    ++started;
    ASSERT_TRUE(IsOk(store_->AddClicks(batch)));
    ++done;
  }
  for (std::thread& reader : readers) reader.join();
  EXPECT_EQ(Must(store_->ReadClickTotals(1, {})).total, kCalls);
}

TEST_F(JournalTest, FlushesRacingRollUpsWithSmallAppliesLoseNothing) {
  Open(5, 6);
  const std::vector<int64_t> links = {1, 2, 3, 4, 5, 6};
  ClickModel model = RaceFlushesRollUpsAndReads({store_.get()}, links);
  RollUpAll(*store_, kNowMinute + 1);
  for (int64_t id : links) EXPECT_TRUE(AnswersMatch(*store_, model, id));
}

// Two processes on one file: each one's reads and writes find the other's journal rows by the
// state's version and reload them, so nothing is missed or counted twice.
TEST_F(JournalTest, StoresOnOneFileReadAndApplyEachOthersJournal) {
  Open(4);
  std::unique_ptr<Store> other = OpenMigrated(path_, options_);
  ASSERT_NE(other, nullptr);
  ASSERT_TRUE(Click(kNowMinute, 1, 10));
  ASSERT_TRUE(model_.Write(*other, std::vector<MinuteClicks>{{1, kNowMinute, 2, 0}}));
  EXPECT_TRUE(EveryAnswerMatches());
  EXPECT_TRUE(AnswersMatch(*other, model_, 1));
  ASSERT_TRUE(model_.Write(*other, std::vector<MinuteClicks>{{3, kNowMinute + 1, 1, 0}}));
  ASSERT_TRUE(Click(kNowMinute + 1, 4, 4));
  EXPECT_TRUE(EveryAnswerMatches());
  while (!Must(other->RollUpClicks(kNowMinute + 2, 1000))) {
  }
  EXPECT_TRUE(EveryAnswerMatches());
  EXPECT_EQ(Must(store_->FindLink("link1")).total_clicks, model_.Totals(1, {}).total);
  EXPECT_EQ(Query("SELECT count(*) FROM click_journal"), "0");
}

}  // namespace
}  // namespace hop
