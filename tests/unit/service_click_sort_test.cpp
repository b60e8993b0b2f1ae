#include "service/click_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

namespace hop {
namespace {

bool Before(const ClickEvent& a, const ClickEvent& b) {
  return a.minute != b.minute ? a.minute < b.minute : a.link_id < b.link_id;
}

// The (minute, link_id, bot) triples, in the order a correct sort may leave them: ties broken by
// the bot flag, which SortClicks leaves in no particular order.
std::vector<ClickEvent> Canonical(std::vector<ClickEvent> events) {
  std::sort(events.begin(), events.end(), [](const ClickEvent& a, const ClickEvent& b) {
    return Before(a, b) || (!Before(b, a) && a.bot < b.bot);
  });
  return events;
}

void ExpectSortedPermutation(const std::vector<ClickEvent>& input,
                             const std::vector<ClickEvent>& sorted) {
  ASSERT_EQ(sorted.size(), input.size());
  EXPECT_TRUE(std::is_sorted(sorted.begin(), sorted.end(), Before));
  const std::vector<ClickEvent> want = Canonical(input);
  const std::vector<ClickEvent> got = Canonical(sorted);
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].link_id, want[i].link_id) << i;
    EXPECT_EQ(got[i].minute, want[i].minute) << i;
    EXPECT_EQ(got[i].bot, want[i].bot) << i;
  }
}

TEST(SortClicks, OrdersAFlushOfRandomLinksAcrossAMinuteBoundary) {
  std::mt19937_64 random(7);
  std::uniform_int_distribution<int64_t> link(1, 1'000'000);
  std::vector<ClickEvent> events;
  for (int i = 0; i < 20'000; ++i) {
    events.push_back({link(random), 29'916'667 + (i % 3 == 0 ? 1 : 0), i % 5 == 0});
  }
  const std::vector<ClickEvent> input = events;
  std::vector<ClickEvent> scratch;
  SortClicks(events, scratch);
  ExpectSortedPermutation(input, events);
}

TEST(SortClicks, OrdersSignedMinutesAndLinkIdsOfEveryWidth) {
  constexpr int64_t kMin64 = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax64 = std::numeric_limits<int64_t>::max();
  constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();
  constexpr int32_t kMax32 = std::numeric_limits<int32_t>::max();
  std::vector<ClickEvent> events = {
      {kMax64, 0, false},
      {-1, 0, false},
      {kMin64, 0, true},
      {0, kMax32, false},
      {1, kMin32, false},
      {int64_t{1} << 40, -1, false},
      {(int64_t{1} << 40) - 1, -1, true},
      {256, 0, false},
      {255, 0, false},
      {1, kMin32, true},
  };
  const std::vector<ClickEvent> input = events;
  std::vector<ClickEvent> scratch;
  SortClicks(events, scratch);
  ExpectSortedPermutation(input, events);
}

TEST(SortClicks, LeavesEventsThatShareEveryByteAsTheyAre) {
  std::vector<ClickEvent> events(5, ClickEvent{42, 1000, false});
  std::vector<ClickEvent> scratch;
  SortClicks(events, scratch);
  ASSERT_EQ(events.size(), 5u);
  for (const ClickEvent& event : events) EXPECT_EQ(event.link_id, 42);
}

TEST(SortClicks, ReusesItsScratchAcrossCalls) {
  std::mt19937_64 random(11);
  std::vector<ClickEvent> scratch;
  for (size_t size : {1000u, 10u, 0u, 1u, 3000u}) {
    std::vector<ClickEvent> events;
    for (size_t i = 0; i < size; ++i) {
      events.push_back({static_cast<int64_t>(random() % 5000), static_cast<int32_t>(random() % 4),
                        random() % 2 == 0});
    }
    const std::vector<ClickEvent> input = events;
    SortClicks(events, scratch);
    ExpectSortedPermutation(input, events);
  }
}

}  // namespace
}  // namespace hop
