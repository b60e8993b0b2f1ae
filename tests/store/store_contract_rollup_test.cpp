// Store contract: rolling minute counts up into hours, days and totals changes no answer, whenever
// it happens, in however many steps, and whatever was written before or after it.
#include <string>
#include <vector>

#include "click_model.h"
#include "store_contract.h"
#include "store_test_support.h"

namespace hop {
namespace {

constexpr int64_t kYear = 365 * kMinutesPerDay;
const int64_t kNowHourStart = kNowMinute - kNowMinute % kMinutesPerHour;

class Links {
 public:
  explicit Links(Store& store) : store_(store) {}
  int64_t Create(const std::string& code) {
    ids_.push_back(Must(store_.CreateLink(code, UrlFields("https://example.com/"), kNow)).id);
    return ids_.back();
  }
  const std::vector<int64_t>& ids() const { return ids_; }

 private:
  Store& store_;
  std::vector<int64_t> ids_;
};

::testing::AssertionResult AllAnswersMatch(Store& store, const ClickModel& model,
                                           const std::vector<int64_t>& ids) {
  for (int64_t id : ids) {
    if (::testing::AssertionResult match = AnswersMatch(store, model, id); !match) return match;
  }
  return ::testing::AssertionSuccess();
}

TEST_P(StoreContract, EveryAnswerIsExactBeforeAnyRollUp) {
  Links links(store());
  ClickModel model;
  for (int i = 0; i < 3; ++i) {
    int64_t id = links.Create("l" + std::to_string(i));
    ASSERT_TRUE(model.Write(store(), RandomClicks(id, i)));
  }
  EXPECT_TRUE(AllAnswersMatch(store(), model, links.ids()));
}

TEST_P(StoreContract, AnswersStayTheSameThroughEveryStepOfARollUp) {
  Links links(store());
  ClickModel model;
  for (int i = 0; i < 5; ++i) {
    int64_t id = links.Create("l" + std::to_string(i));
    ASSERT_TRUE(model.Write(store(), RandomClicks(id, 10 + i)));
  }
  // Passes ending at an hour, mid-hour and mid-day; one link id per step, so every answer is also
  // checked while some links are folded further than others.
  for (int64_t before : {kNowMinute - 20 * kMinutesPerDay, kNowMinute - 20 * kMinutesPerDay + 7,
                         kNowHourStart - 3 * kMinutesPerHour, kNowMinute + 1}) {
    for (bool done = false; !done;) {
      done = Must(store().RollUpClicks(before, 1));
      ASSERT_TRUE(AllAnswersMatch(store(), model, links.ids())) << "rolling up before " << before;
    }
  }
  // Everything is rolled up now: the links as the store returns them count every click.
  for (size_t i = 0; i < links.ids().size(); ++i) {
    Link link = Must(store().FindLink("l" + std::to_string(i)));
    ClickTotals totals = model.Totals(link.id, {});
    EXPECT_EQ(link.total_clicks, totals.total);
    EXPECT_EQ(link.bot_clicks, totals.bot_total);
  }
}

TEST_P(StoreContract, OneStepRollsUpAsManyLinksAsItIsGiven) {
  Links links(store());
  ClickModel model;
  for (int i = 0; i < 6; ++i) {
    int64_t id = links.Create("l" + std::to_string(i));
    ASSERT_TRUE(model.Write(store(), std::vector<MinuteClicks>{Humans(id, kNowMinute - 90, 1)}));
  }
  int steps = 1;
  while (!Must(store().RollUpClicks(kNowMinute, 2))) ++steps;
  EXPECT_EQ(steps, 3);
  EXPECT_TRUE(Must(store().RollUpClicks(kNowMinute, 1000)));  // idle: done at once
  EXPECT_TRUE(AllAnswersMatch(store(), model, links.ids()));
}

TEST_P(StoreContract, LateClicksCountOnceBeforeAndAfterTheNextRollUp) {
  Links links(store());
  ClickModel model;
  int64_t a = links.Create("a");
  int64_t b = links.Create("b");
  ASSERT_TRUE(model.Write(store(), RandomClicks(a, 1)));
  ASSERT_TRUE(Must(store().RollUpClicks(kNowHourStart, 1000)));
  // Clicks that waited in memory through an outage: minutes long rolled up, the last minute before
  // the watermark, the first after it, and a minute already holding clicks.
  std::vector<MinuteClicks> late = {{a, kNowMinute - 10 * kMinutesPerDay, 3, 1},
                                    {a, kNowHourStart - 1, 2, 0},
                                    {a, kNowHourStart, 5, 0},
                                    {b, kNowHourStart - 30, 0, 4},
                                    {b, kNowMinute, 1, 0}};
  ASSERT_TRUE(model.Write(store(), late));
  ASSERT_TRUE(model.Write(store(), late));  // and the same again: they add up
  EXPECT_TRUE(AllAnswersMatch(store(), model, links.ids()));
  ASSERT_TRUE(Must(store().RollUpClicks(kNowMinute + 1, 1000)));
  EXPECT_TRUE(AllAnswersMatch(store(), model, links.ids()));
  EXPECT_EQ(Must(store().FindLink("a")).total_clicks, model.Totals(a, {}).total);
  EXPECT_EQ(Must(store().FindLink("b")).bot_clicks, 8);
}

TEST_P(StoreContract, LateClicksDuringAPassCountOnceOnEitherSideOfIt) {
  Links links(store());
  ClickModel model;
  for (int i = 0; i < 4; ++i) {
    int64_t id = links.Create("l" + std::to_string(i));
    ASSERT_TRUE(model.Write(store(), RandomClicks(id, 20 + i)));
  }
  ASSERT_FALSE(Must(store().RollUpClicks(kNowHourStart, 2)));  // links 1 and 2 are folded
  std::vector<MinuteClicks> during;
  for (int64_t id : links.ids()) during.push_back({id, kNowHourStart - 45, 2, 1});
  ASSERT_TRUE(model.Write(store(), during));
  EXPECT_TRUE(AllAnswersMatch(store(), model, links.ids()));
  while (!Must(store().RollUpClicks(kNowHourStart, 2))) {
  }
  EXPECT_TRUE(AllAnswersMatch(store(), model, links.ids()));
}

TEST_P(StoreContract, OneCallRollsUpAcrossDaysAndYears) {
  Links links(store());
  ClickModel model;
  int64_t id = links.Create("far");
  // A clock that jumped: clicks now, and clicks years ahead in several days and hours.
  std::vector<MinuteClicks> clicks = {
      Humans(id, kNowMinute - 2 * kMinutesPerDay, 1), Humans(id, kNowMinute, 2),
      Humans(id, kNowMinute + 3 * kYear, 4), Humans(id, kNowMinute + 3 * kYear + 61, 8),
      Humans(id, kNowMinute + 3 * kYear + kMinutesPerDay, 16)};
  ASSERT_TRUE(model.Write(store(), clicks));
  EXPECT_TRUE(AnswersMatch(store(), model, id));
  EXPECT_TRUE(Must(store().RollUpClicks(kNowMinute + 4 * kYear, 1000)));
  EXPECT_TRUE(AnswersMatch(store(), model, id));
  EXPECT_EQ(Must(store().FindLink("far")).total_clicks, 31);
}

TEST_P(StoreContract, AllTimeClicksOfManyLinksInOneRead) {
  Links links(store());
  ClickModel model;
  for (int i = 0; i < 4; ++i) {
    int64_t id = links.Create("l" + std::to_string(i));
    ASSERT_TRUE(model.Write(store(), RandomClicks(id, 30 + i)));
  }
  ASSERT_FALSE(Must(store().RollUpClicks(kNowHourStart, 2)));  // halfway through a pass
  const int64_t missing = links.ids().back() + 100;
  const std::vector<int64_t> asked = {links.ids()[3], missing, links.ids()[0], links.ids()[3],
                                      links.ids()[1]};
  std::vector<ClickTotals> all = Must(store().ReadAllTimeClicks(asked));
  ASSERT_EQ(all.size(), asked.size());
  for (size_t i = 0; i < asked.size(); ++i) {
    const ClickTotals expected = model.Totals(asked[i], {});
    EXPECT_EQ(all[i].total, expected.total) << i;
    EXPECT_EQ(all[i].bot_total, expected.bot_total) << i;
    EXPECT_TRUE(all[i].span_sums.empty());
  }
  EXPECT_EQ(all[1].total + all[1].bot_total, 0);
  EXPECT_TRUE(Must(store().ReadAllTimeClicks({})).empty());
}

TEST_P(StoreContract, RollingUpAgainChangesNothing) {
  Links links(store());
  ClickModel model;
  int64_t id = links.Create("again");
  ASSERT_TRUE(model.Write(store(), RandomClicks(id, 3)));
  ASSERT_TRUE(Must(store().RollUpClicks(kNowHourStart, 1000)));
  for (int64_t before : {kNowHourStart, kNowHourStart - kMinutesPerHour, int64_t{0}}) {
    EXPECT_TRUE(Must(store().RollUpClicks(before, 1000)));
  }
  EXPECT_TRUE(AnswersMatch(store(), model, id));
  EXPECT_EQ(Must(store().FindLink("again")).total_clicks,
            model.Totals(id, std::vector<MinuteSpan>{{0, kNowHourStart - 1}}).span_sums[0]);
}

TEST_P(StoreContract, MinuteCountsOfDeletedLinksAreIgnoredByReadsAndRollUps) {
  Links links(store());
  ClickModel model;
  int64_t gone = links.Create("gone");
  int64_t kept = links.Create("kept");
  ASSERT_TRUE(model.Write(store(), RandomClicks(gone, 4)));
  ASSERT_TRUE(model.Write(store(), RandomClicks(kept, 5)));
  ASSERT_TRUE(IsOk(store().DeleteLink("gone", std::nullopt)));
  model.Forget(gone);
  ASSERT_TRUE(IsOk(store().AddClicks(RandomClicks(gone, 6))));  // held by a pipeline meanwhile
  for (Granularity g : {Granularity::kMinute, Granularity::kHour, Granularity::kDay}) {
    EXPECT_TRUE(Must(store().ReadClickSeries(gone, g, 0, kNowMinute)).empty());
  }
  EXPECT_TRUE(Must(store().RollUpClicks(kNowMinute + 1, 1000)));
  EXPECT_TRUE(AnswersMatch(store(), model, kept));
  EXPECT_TRUE(FailsWith(store().ReadClickTotals(gone, {}), ErrorCode::kNotFound));
  Link reborn = Must(store().CreateLink("gone", UrlFields("https://example.com/"), kNow));
  EXPECT_EQ(reborn.total_clicks, 0);
  EXPECT_TRUE(AnswersMatch(store(), model, reborn.id));
}

TEST_P(StoreContract, MinuteRowsOfADeletedLinkArePrunedWithTheirMinute) {
  Links links(store());
  int64_t kept = links.Create("kept");
  int64_t gone = links.Create("gone");
  const int64_t old_minute = kNowMinute - kMinuteRetentionMinutes - 10;
  ASSERT_TRUE(IsOk(store().AddClicks(
      std::vector<MinuteClicks>{Humans(gone, old_minute, 1), Humans(gone, kNowMinute, 2)})));
  ASSERT_TRUE(IsOk(store().DeleteLink("gone", std::nullopt)));
  ASSERT_TRUE(IsOk(store().AddClicks(std::vector<MinuteClicks>{
      Humans(gone, old_minute + 5, 3), Humans(kept, kNowMinute, 4), Humans(gone, kNowMinute, 5)})));
  ASSERT_TRUE(Must(store().RollUpClicks(kNowMinute + 1, 1000)));
  const int64_t hour_before =
      BucketOfMinute(Granularity::kHour, kNowMinute - kHourRetentionMinutes);
  ASSERT_TRUE(IsOk(store().PruneClickBuckets(kNowMinute - kMinuteRetentionMinutes, hour_before)));
  // Only the rows of kNowMinute are left: the kept link's, and the deleted one's unless the store
  // removed them with the link.
  const int64_t rows = CountMinuteRows();
  EXPECT_TRUE(rows == 1 || rows == 2) << rows << " minute rows";
  ASSERT_TRUE(IsOk(store().PruneClickBuckets(kNowMinute + 1, hour_before)));
  EXPECT_EQ(CountMinuteRows(), 0);
  EXPECT_EQ(Must(store().FindLink("kept")).total_clicks, 4);
}

TEST_P(StoreContract, PruneKeepsMinutesNotRolledUpYet) {
  Links links(store());
  ClickModel model;
  int64_t id = links.Create("old");
  const int64_t old_minute = kNowMinute - kMinuteRetentionMinutes - 10;
  ASSERT_TRUE(model.Write(
      store(), std::vector<MinuteClicks>{Humans(id, old_minute, 3), Humans(id, kNowMinute, 1)}));
  const int64_t minute_before = kNowMinute - kMinuteRetentionMinutes;
  const int64_t hour_before =
      BucketOfMinute(Granularity::kHour, kNowMinute - kHourRetentionMinutes);
  ASSERT_TRUE(IsOk(store().PruneClickBuckets(minute_before, hour_before)));
  EXPECT_TRUE(AnswersMatch(store(), model, id));  // the old minute is its only count yet

  ASSERT_TRUE(Must(store().RollUpClicks(kNowHourStart, 1000)));
  ASSERT_TRUE(IsOk(store().PruneClickBuckets(minute_before, hour_before)));
  EXPECT_TRUE(
      Must(store().ReadClickSeries(id, Granularity::kMinute, old_minute, old_minute)).empty());
  ClickTotals totals = Must(store().ReadClickTotals(id, {}));
  EXPECT_EQ(totals.total, 4);
  std::vector<BucketCount> hours = Must(store().ReadClickSeries(
      id, Granularity::kHour, BucketOfMinute(Granularity::kHour, old_minute),
      BucketOfMinute(Granularity::kHour, old_minute)));
  ASSERT_EQ(hours.size(), 1u);
  EXPECT_EQ(hours[0].clicks, 3);
}

}  // namespace
}  // namespace hop
