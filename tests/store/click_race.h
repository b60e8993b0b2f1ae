// Click flushes racing rollups and reads: what the store must get right when the flusher of every
// instance writes and rolls up at the same time as the others, and stats are read meanwhile.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "click_model.h"
#include "store/store.h"
#include "store_test_support.h"

namespace hop {

// Runs, on `stores` in turn (instances of one database, or the same one), writer threads that
// flush clicks of `links` at advancing minutes, some of them behind the watermark; a thread per
// store that rolls up ever further in steps of one link id; and a thread that reads each link's
// windows and checks that they agree. Returns the model of everything written; every failure is a
// test failure.
inline ClickModel RaceFlushesRollUpsAndReads(const std::vector<Store*>& stores,
                                             const std::vector<int64_t>& links) {
  constexpr int kWriters = 4;
  constexpr int kBatches = 30;
  const int64_t start = kNowMinute - 2 * kMinutesPerDay;
  ClickModel model;
  std::mutex model_mutex;
  std::atomic<int> writers_left = kWriters;
  std::atomic<int64_t> newest_written = start;
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&, w] {
      Store& store = *stores[static_cast<size_t>(w) % stores.size()];
      for (int j = 0; j < kBatches; ++j) {
        // Minutes move on about an hour per batch; every third entry is two hours behind, which
        // the rollup has often passed already.
        const int64_t minute = start + j * 61 + w;
        std::vector<MinuteClicks> batch;
        for (size_t k = 0; k < links.size(); ++k) {
          const int64_t at = k % 3 == 0 ? minute - 2 * kMinutesPerHour : minute;
          batch.push_back({links[k], at, 1 + w, j % 2});
        }
        Status added = store.AddClicks(batch);
        if (!added.ok()) {
          ADD_FAILURE() << "AddClicks: " << added.detail();
          continue;
        }
        int64_t newest = newest_written;
        while (newest < minute && !newest_written.compare_exchange_weak(newest, minute)) {
        }
        std::lock_guard lock(model_mutex);
        model.Add(batch);
      }
      --writers_left;
    });
  }
  for (Store* store : stores) {
    // Half an hour behind the newest minute written: the entries two hours behind are late, the
    // others mostly not. Every instance rolls up, as every instance's flusher does.
    threads.emplace_back([&, store] {
      while (writers_left > 0) {
        Result<bool> rolled = store->RollUpClicks(newest_written - 30, 1);
        if (!rolled.ok()) ADD_FAILURE() << "RollUpClicks: " << rolled.status().detail();
      }
    });
  }
  threads.emplace_back([&] {
    Store& store = *stores.front();
    const MinuteSpan windows[] = {WindowEndingAt(kNowMinute, kLast24hMinutes),
                                  WindowEndingAt(kNowMinute, kLast7dMinutes),
                                  WindowEndingAt(kNowMinute, kLast30dMinutes)};
    while (writers_left > 0) {
      for (int64_t id : links) {
        Result<ClickTotals> totals = store.ReadClickTotals(id, windows);
        if (!totals.ok()) {
          ADD_FAILURE() << "ReadClickTotals: " << totals.status().detail();
          continue;
        }
        // Every click written is within the last 7 days: one snapshot means these are equal.
        const std::vector<int64_t>& s = totals.value().span_sums;
        EXPECT_TRUE(s[0] <= s[1] && s[1] == s[2] && s[2] == totals.value().total)
            << s[0] << " " << s[1] << " " << s[2] << " " << totals.value().total;
      }
    }
  });
  for (std::thread& thread : threads) thread.join();
  return model;
}

// Rolls everything before `before_minute` up, however many steps that takes (a pass under way is
// finished first).
inline void RollUpAll(Store& store, int64_t before_minute) {
  for (int steps = 0; !Must(store.RollUpClicks(before_minute, 1000)); ++steps) {
    ASSERT_LT(steps, 10) << "a rollup that never ends";
  }
}

}  // namespace hop
