// ClickOverlay: counts per (minute, link) in sorted runs, what lookups and the apply read from
// them, and the memory a minute gives back once applied.
#include "store/click_overlay.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <ostream>
#include <random>
#include <thread>
#include <vector>

#include "store/minute_key.h"

namespace hop {

// For gtest's messages.
void PrintTo(const MinuteClicks& c, std::ostream* os) {
  *os << "{link " << c.link_id << ", minute " << c.minute << ", " << c.humans << "/" << c.bots
      << "}";
}

namespace {

using Entry = ClickOverlay::Entry;

constexpr int64_t kMinute = 29'000'000;

std::vector<MinuteClicks> CountsOf(const ClickOverlay& overlay, int64_t link_id) {
  const int64_t ids[] = {link_id};
  return overlay.CopyLinks(ids).links[0];
}

// Every entry of `minute` from `first_link` on, collected in one go.
std::vector<MinuteClicks> CollectAll(const ClickOverlay& overlay, int64_t minute,
                                     int64_t first_link = 0) {
  std::vector<MinuteClicks> out;
  EXPECT_TRUE(overlay.Collect(minute, first_link, std::numeric_limits<size_t>::max(), out));
  return out;
}

TEST(ClickOverlay, CopiesALinksCountsPerMinuteInMinuteOrder) {
  ClickOverlay overlay;
  const Entry later[] = {{3, 1, 0}, {7, 2, 1}};
  const Entry earlier[] = {{7, 5, 0}, {9, 1, 1}};
  overlay.Add(kMinute + 1, later);
  overlay.Add(kMinute, earlier);
  EXPECT_EQ(CountsOf(overlay, 7),
            (std::vector<MinuteClicks>{{7, kMinute, 5, 0}, {7, kMinute + 1, 2, 1}}));
  EXPECT_EQ(CountsOf(overlay, 3), (std::vector<MinuteClicks>{{3, kMinute + 1, 1, 0}}));
  EXPECT_TRUE(CountsOf(overlay, 8).empty());
  EXPECT_TRUE(CountsOf(overlay, -1).empty());
  EXPECT_EQ(overlay.NewestMinute(), kMinute + 1);
  EXPECT_EQ(overlay.FirstMinuteFrom(kMinute - 5), kMinute);
  EXPECT_EQ(overlay.FirstMinuteFrom(kMinute + 1), kMinute + 1);
  EXPECT_EQ(overlay.FirstMinuteFrom(kMinute + 2), std::nullopt);
}

TEST(ClickOverlay, RunsOfOneMinuteAddUp) {
  ClickOverlay overlay;
  for (uint32_t i = 1; i <= 100; ++i) {
    const Entry run[] = {{1, i, 0}, {i + 1, 1, 1}};
    overlay.Add(kMinute, run);
  }
  EXPECT_EQ(CountsOf(overlay, 1), (std::vector<MinuteClicks>{{1, kMinute, 5050, 0}}));
  EXPECT_EQ(CountsOf(overlay, 50), (std::vector<MinuteClicks>{{50, kMinute, 1, 1}}));
  // A merged run holds each link once: link 1 is in every run, the others in one.
  EXPECT_EQ(overlay.entries(), 100 + overlay.runs());
  EXPECT_LE(overlay.runs(), 7u);
}

TEST(ClickOverlay, MergesKeepAMinuteToAFewRuns) {
  ClickOverlay overlay;
  std::mt19937 random(7);
  std::uniform_int_distribution<uint32_t> link(1, 1'000'000);
  for (int flush = 0; flush < 200; ++flush) {
    std::vector<Entry> run;
    for (int i = 0; i < 500; ++i) run.push_back({link(random), 1, 0});
    std::sort(run.begin(), run.end(),
              [](const Entry& a, const Entry& b) { return a.link_id < b.link_id; });
    overlay.Add(kMinute, run);
    // Each run is less than half the one before it: at most log2 of the entries, plus one.
    EXPECT_LE(overlay.runs(), 1 + static_cast<size_t>(std::log2(overlay.entries())));
  }
  int64_t clicks = 0;
  for (const MinuteClicks& entry : CollectAll(overlay, kMinute)) clicks += entry.humans;
  EXPECT_EQ(clicks, 200 * 500);
}

TEST(ClickOverlay, CollectGoesInLinkOrderAcrossRunsAndStopsAtItsBound) {
  ClickOverlay overlay;
  const Entry a[] = {{2, 1, 0}, {5, 1, 0}, {9, 1, 0}, {12, 1, 0}};
  const Entry b[] = {{5, 2, 0}, {10, 1, 0}};  // half of a's length: merged into a
  const Entry c[] = {{1, 1, 0}};              // kept apart
  overlay.Add(kMinute, a);
  overlay.Add(kMinute, b);
  overlay.Add(kMinute, c);
  EXPECT_EQ(overlay.runs(), 2u);
  std::vector<MinuteClicks> out;
  EXPECT_FALSE(overlay.Collect(kMinute, 0, 3, out));
  EXPECT_EQ(
      out, (std::vector<MinuteClicks>{{1, kMinute, 1, 0}, {2, kMinute, 1, 0}, {5, kMinute, 3, 0}}));
  out.clear();
  EXPECT_TRUE(overlay.Collect(kMinute, 6, 3, out));
  EXPECT_EQ(out, (std::vector<MinuteClicks>{
                     {9, kMinute, 1, 0}, {10, kMinute, 1, 0}, {12, kMinute, 1, 0}}));
  out.clear();
  EXPECT_TRUE(overlay.Collect(kMinute, 13, 3, out));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(overlay.Collect(kMinute + 1, 0, 3, out));  // a minute it does not hold
  EXPECT_TRUE(out.empty());
}

TEST(ClickOverlay, SumsPast32BitsStayExact) {
  ClickOverlay overlay;
  constexpr uint32_t kMax = std::numeric_limits<uint32_t>::max();
  const Entry big[] = {{4, kMax, 1}};
  overlay.Add(kMinute, big);
  overlay.Add(kMinute, big);  // merged, but kept apart: the sum needs 33 bits
  overlay.Add(kMinute, big);
  const int64_t sum = 3 * int64_t{kMax};
  EXPECT_EQ(CountsOf(overlay, 4), (std::vector<MinuteClicks>{{4, kMinute, sum, 3}}));
  EXPECT_EQ(CollectAll(overlay, kMinute), (std::vector<MinuteClicks>{{4, kMinute, sum, 3}}));
}

TEST(ClickOverlay, AppliedKeysAreHiddenAndAWholeMinuteIsGivenBack) {
  ClickOverlay overlay(MinuteKey(kMinute, 0));
  std::vector<Entry> run;
  for (uint32_t link = 1; link <= 100'000; ++link) run.push_back({link, 1, 0});
  overlay.Add(kMinute, run);
  overlay.Add(kMinute + 1, run);
  const size_t one_minute = overlay.bytes() / 2;
  EXPECT_GE(one_minute, run.size() * sizeof(Entry));

  overlay.AdvanceTo(MinuteKey(kMinute, 50'001));
  EXPECT_EQ(overlay.applied_before(), MinuteKey(kMinute, 50'001));
  EXPECT_EQ(CountsOf(overlay, 50'000), (std::vector<MinuteClicks>{{50'000, kMinute + 1, 1, 0}}));
  EXPECT_EQ(CountsOf(overlay, 50'001).size(), 2u);
  EXPECT_EQ(CollectAll(overlay, kMinute, 50'001).size(), 50'000u);
  EXPECT_EQ(overlay.bytes(), 2 * one_minute);  // a minute goes only as a whole

  overlay.AdvanceTo(MinuteKey(kMinute + 1, 0));
  EXPECT_EQ(overlay.bytes(), one_minute);
  EXPECT_EQ(overlay.FirstMinuteFrom(kMinute), kMinute + 1);
  overlay.AdvanceTo(MinuteKey(kMinute + 2, 0));
  EXPECT_EQ(overlay.bytes(), 0u);
  EXPECT_EQ(overlay.entries(), 0u);
  EXPECT_EQ(overlay.NewestMinute(), std::nullopt);
}

TEST(ClickOverlay, SmallRunsTakeNoPageOfTheirOwn) {
  ClickOverlay overlay;
  const Entry few[] = {{1, 1, 0}, {2, 1, 0}};
  for (int64_t minute = kMinute; minute < kMinute + 1000; ++minute) overlay.Add(minute, few);
  EXPECT_EQ(overlay.bytes(), 1000 * sizeof(few));
}

TEST(ClickOverlay, ReplaceSwapsTheContentTheKeyAndTheVersion) {
  ClickOverlay overlay;
  const Entry old_run[] = {{1, 1, 0}};
  overlay.Add(kMinute, old_run);
  ClickOverlay loaded(MinuteKey(kMinute + 1, 0));
  const Entry new_run[] = {{2, 3, 0}};
  loaded.Add(kMinute + 1, new_run);
  loaded.SetVersion(9);
  overlay.Replace(loaded);
  EXPECT_EQ(overlay.applied_before(), MinuteKey(kMinute + 1, 0));
  EXPECT_EQ(overlay.version(), 9);
  EXPECT_TRUE(CountsOf(overlay, 1).empty());
  EXPECT_EQ(CountsOf(overlay, 2), (std::vector<MinuteClicks>{{2, kMinute + 1, 3, 0}}));
  EXPECT_EQ(loaded.version(), 0);
  EXPECT_EQ(CountsOf(loaded, 1).size(), 1u);
}

// A reader copying one link while the writer adds, merges and applies minutes sees, each time, a
// count that covers every click the writer had published by the time it copied.
TEST(ClickOverlay, ReadersCopyWhileTheWriterAddsMergesAndDrops) {
  ClickOverlay overlay;
  std::atomic<int64_t> published = 0;  // clicks of link 5 added, applied ones included
  std::atomic<bool> done = false;
  std::thread reader([&] {
    int64_t applied = 0;  // clicks of link 5 in minutes dropped so far, as the reader knows them
    while (!done) {
      const int64_t at_least = published;
      const int64_t ids[] = {5};
      ClickOverlay::LinkCounts copy = overlay.CopyLinks(ids);
      int64_t counted = 0;
      for (const MinuteClicks& entry : copy.links[0]) counted += entry.humans;
      // Minute m holds 10 clicks of link 5; minutes before the copy's key were dropped.
      applied = std::max<int64_t>(0, (MinuteOfKey(copy.applied_before) - kMinute) * 10);
      EXPECT_GE(applied + counted, at_least);
    }
    EXPECT_GE(applied, 0);
  });
  std::vector<Entry> run;
  for (uint32_t link = 1; link <= 2'000; ++link) run.push_back({link, 1, 0});
  for (int64_t minute = kMinute; minute < kMinute + 20; ++minute) {
    for (int flush = 0; flush < 10; ++flush) {
      overlay.Add(minute, run);
      published += 1;
    }
    overlay.AdvanceTo(MinuteKey(minute, 0));
  }
  done = true;
  reader.join();
}

}  // namespace
}  // namespace hop
