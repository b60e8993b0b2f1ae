// Store contract: the thread-safety promise. Many threads on one store, each calling freely, must
// get the same answers as if their calls had run one after the other.
#include <atomic>
#include <thread>
#include <vector>

#include "click_race.h"
#include "store_contract.h"
#include "store_test_support.h"

namespace hop {
namespace {

constexpr int kThreads = 8;

// Runs `body(thread_index)` on kThreads threads at once and waits for all of them.
template <typename Body>
void OnThreads(Body body) {
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) threads.emplace_back(body, i);
  for (std::thread& thread : threads) thread.join();
}

TEST_P(StoreContract, ConcurrentCreatesOfOneCodeLetExactlyOneWin) {
  std::atomic<int> created = 0;
  std::atomic<int> taken = 0;
  OnThreads([&](int i) {
    Result<Link> link =
        store().CreateLink("race", UrlFields("https://example.com/" + std::to_string(i)), kNow);
    if (link.ok()) {
      ++created;
    } else if (link.status().code() == ErrorCode::kAliasTaken) {
      ++taken;
    }
  });
  EXPECT_EQ(created, 1);
  EXPECT_EQ(taken, kThreads - 1);
  EXPECT_EQ(Must(store().ListLinks(LinkQuery{})).links.size(), 1u);
}

TEST_P(StoreContract, ConcurrentCreatesOfDistinctCodesAllSucceed) {
  std::atomic<int> failures = 0;
  OnThreads([&](int i) {
    for (int j = 0; j < 20; ++j) {
      std::string code = "t" + std::to_string(i) + "n" + std::to_string(j);
      if (!store().CreateLink(code, UrlFields("https://example.com/"), kNow).ok()) ++failures;
    }
  });
  EXPECT_EQ(failures, 0);
  LinkQuery query;
  query.limit = 1000;
  EXPECT_EQ(Must(store().ListLinks(query)).links.size(), size_t{kThreads * 20});
}

TEST_P(StoreContract, ConcurrentAddClicksAddUpExactly) {
  int64_t a = Must(store().CreateLink("a", UrlFields("https://example.com/"), kNow)).id;
  int64_t b = Must(store().CreateLink("b", UrlFields("https://example.com/"), kNow)).id;
  constexpr int kBatches = 25;
  std::atomic<int> failures = 0;
  OnThreads([&](int i) {
    for (int j = 0; j < kBatches; ++j) {
      // Every thread hits the same minutes, so the upserts collide on the same bucket rows.
      MinuteClicks batch[] = {{a, kNowMinute, 1, 1},
                              {a, kNowMinute - 90, 2, 0},
                              {b, kNowMinute, 3, 0},
                              {b, kNowMinute - 2000, i, 0}};
      if (!store().AddClicks(batch).ok()) ++failures;
    }
  });
  ASSERT_EQ(failures, 0);
  const MinuteSpan spans[] = {WindowEndingAt(kNowMinute, kLast24hMinutes),
                              WindowEndingAt(kNowMinute, kLast7dMinutes)};
  ClickTotals totals_a = Must(store().ReadClickTotals(a, spans));
  EXPECT_EQ(totals_a.total, kThreads * kBatches * 3);
  EXPECT_EQ(totals_a.bot_total, kThreads * kBatches);
  EXPECT_EQ(totals_a.span_sums,
            (std::vector<int64_t>{kThreads * kBatches * 3, kThreads * kBatches * 3}));
  constexpr int64_t kThreadIndexSum = kThreads * (kThreads - 1) / 2;
  ClickTotals totals_b = Must(store().ReadClickTotals(b, spans));
  EXPECT_EQ(totals_b.total, kThreads * kBatches * 3 + kBatches * kThreadIndexSum);
  EXPECT_EQ(totals_b.span_sums, (std::vector<int64_t>{kThreads * kBatches * 3, totals_b.total}));
}

TEST_P(StoreContract, ConcurrentClaimsNeverGrantMoreThanMaxVisits) {
  LinkFields fields = UrlFields("https://example.com/");
  fields.max_visits = 50;
  int64_t id = Must(store().CreateLink("limited", fields, kNow)).id;
  std::atomic<int> granted = 0;
  std::atomic<int> failures = 0;
  OnThreads([&](int) {
    for (int j = 0; j < 20; ++j) {
      Result<bool> claim = store().ClaimVisit(id);
      if (!claim.ok()) {
        ++failures;
      } else if (claim.value()) {
        ++granted;
      }
    }
  });
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(granted, 50);
  EXPECT_EQ(Must(store().FindLink("limited")).visits, 50);
}

TEST_P(StoreContract, ReadsDuringFlushesSeeConsistentWindows) {
  int64_t id = Must(store().CreateLink("live", UrlFields("https://example.com/"), kNow)).id;
  std::atomic<bool> writing = true;
  std::atomic<int> inconsistent = 0;
  std::atomic<int> failures = 0;
  const MinuteSpan spans[] = {WindowEndingAt(kNowMinute, kLast24hMinutes),
                              WindowEndingAt(kNowMinute, kLast7dMinutes),
                              WindowEndingAt(kNowMinute, kLast30dMinutes)};
  OnThreads([&](int i) {
    if (i == 0) {
      for (int j = 0; j < 200; ++j) {
        MinuteClicks batch[] = {Humans(id, kNowMinute, 1), Humans(id, kNowMinute - 3000, 1),
                                Humans(id, kNowMinute - 20000, 1)};
        if (!store().AddClicks(batch).ok()) ++failures;
      }
      writing = false;
      return;
    }
    while (writing) {
      Result<ClickTotals> totals = store().ReadClickTotals(id, spans);
      if (!totals.ok()) {
        ++failures;
        continue;
      }
      const std::vector<int64_t>& s = totals.value().span_sums;
      // Each flush adds one click to each of the three windows' own ranges: one snapshot means the
      // sums step together.
      if (s[1] != 2 * s[0] || s[2] != 3 * s[0] || totals.value().total != s[2]) ++inconsistent;
    }
  });
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(inconsistent, 0);
  EXPECT_EQ(Must(store().ReadClickTotals(id, {})).total, 600);
}

TEST_P(StoreContract, FlushesRacingRollUpsLoseNothingAndReadsStayConsistent) {
  std::vector<int64_t> links;
  for (int i = 0; i < 6; ++i) {
    std::string code = "r" + std::to_string(i);
    links.push_back(Must(store().CreateLink(code, UrlFields("https://example.com/"), kNow)).id);
  }
  ClickModel model = RaceFlushesRollUpsAndReads({&store()}, links);
  for (int64_t id : links) EXPECT_TRUE(AnswersMatch(store(), model, id));
  RollUpAll(store(), kNowMinute + 1);
  for (int64_t id : links) EXPECT_TRUE(AnswersMatch(store(), model, id));
}

}  // namespace
}  // namespace hop
