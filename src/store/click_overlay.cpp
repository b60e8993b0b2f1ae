// ClickOverlay: a minute's runs, their merges, collecting a minute in key order, and lookups.
#include "store/click_overlay.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "store/minute_key.h"

namespace hop {
namespace {

using Entry = ClickOverlay::Entry;

constexpr uint64_t kMaxCount = std::numeric_limits<uint32_t>::max();

// Runs smaller than this are on the heap.
constexpr size_t kPageBytes = 4096;

// The entries of `link` in a run: a range of one, usually.
std::span<const Entry> EntriesOf(std::span<const Entry> run, int64_t link) {
  auto first = std::lower_bound(run.begin(), run.end(), link,
                                [](const Entry& entry, int64_t l) { return entry.link_id < l; });
  auto last = first;
  while (last != run.end() && last->link_id == link) ++last;
  return {first, last};
}

// The run's entries from the first of a link at or after `link` on.
std::span<const Entry> EntriesFrom(std::span<const Entry> run, int64_t link) {
  auto first = std::lower_bound(run.begin(), run.end(), link,
                                [](const Entry& entry, int64_t l) { return entry.link_id < l; });
  return run.subspan(static_cast<size_t>(first - run.begin()));
}

}  // namespace

ClickOverlay::Run::Run(size_t capacity) : capacity_(capacity) {
  if (capacity * sizeof(Entry) >= kPageBytes) {
    pages_ = MappedPages(capacity * sizeof(Entry), MappedPages::Pages::kSmall);
    begin_ = reinterpret_cast<Entry*>(pages_.data());
  } else {
    small_ = std::make_unique_for_overwrite<Entry[]>(capacity);
    begin_ = small_.get();
  }
}

void ClickOverlay::Add(int64_t minute, std::span<const Entry> entries) {
  if (entries.empty()) return;
  Run run(entries.size());
  std::memcpy(run.begin(), entries.data(), entries.size_bytes());
  run.set_size(entries.size());
  {
    std::lock_guard lock(mutex_);
    minutes_[minute].push_back(std::move(run));
  }
  MergeNewest(minute);
}

void ClickOverlay::MergeNewest(int64_t minute) {
  std::vector<Run>& runs = minutes_.find(minute)->second;
  while (runs.size() >= 2) {
    const Run& older = runs[runs.size() - 2];
    const Run& newer = runs.back();
    if (newer.entries().size() * 2 < older.entries().size()) return;
    Run merged = Merge(older.entries(), newer.entries());
    Run freed_older;
    Run freed_newer;
    {
      std::lock_guard lock(mutex_);
      freed_newer = std::move(runs.back());
      runs.pop_back();
      freed_older = std::move(runs.back());
      runs.back() = std::move(merged);
    }
  }  // each merge's two old runs are unmapped here, with the lock let go
}

ClickOverlay::Run ClickOverlay::Merge(std::span<const Entry> older, std::span<const Entry> newer) {
  Run merged(older.size() + newer.size());
  Entry* const first = merged.begin();
  Entry* out = first;
  // The link of out[-1], or none: one comparison tells whether `next` adds to the entry before.
  int64_t last_link = -1;
  const auto emit = [&](const Entry& next) {
    if (next.link_id == last_link && uint64_t{out[-1].humans} + next.humans <= kMaxCount &&
        uint64_t{out[-1].bots} + next.bots <= kMaxCount) {
      out[-1].humans += next.humans;
      out[-1].bots += next.bots;
      return;
    }
    *out++ = next;
    last_link = next.link_id;
  };
  auto a = older.begin();
  auto b = newer.begin();
  while (a != older.end() && b != newer.end()) emit(a->link_id <= b->link_id ? *a++ : *b++);
  for (; a != older.end(); ++a) emit(*a);
  for (; b != newer.end(); ++b) emit(*b);
  merged.set_size(static_cast<size_t>(out - first));
  merged.Shrink();
  return merged;
}

std::optional<int64_t> ClickOverlay::FirstMinuteFrom(int64_t minute) const {
  auto it = minutes_.lower_bound(minute);
  if (it == minutes_.end()) return std::nullopt;
  return it->first;
}

std::optional<int64_t> ClickOverlay::NewestMinute() const {
  if (minutes_.empty()) return std::nullopt;
  return minutes_.rbegin()->first;
}

bool ClickOverlay::Collect(int64_t minute, int64_t first_link, size_t max_entries,
                           std::vector<MinuteClicks>& out) const {
  auto it = minutes_.find(minute);
  if (it == minutes_.end()) return true;
  // A k-way merge of the minute's runs, a cursor per run: few runs, so the smallest link is found
  // by looking at each.
  std::vector<std::span<const Entry>> cursors;
  for (const Run& run : it->second) cursors.push_back(EntriesFrom(run.entries(), first_link));
  for (size_t taken = 0;; ++taken) {
    constexpr int64_t kNone = std::numeric_limits<int64_t>::max();
    int64_t link = kNone;
    for (std::span<const Entry> cursor : cursors) {
      if (!cursor.empty()) link = std::min<int64_t>(link, cursor.front().link_id);
    }
    if (link == kNone) return true;
    if (taken == max_entries) return false;
    MinuteClicks& counts = out.emplace_back(MinuteClicks{link, minute, 0, 0});
    for (std::span<const Entry>& cursor : cursors) {
      for (; !cursor.empty() && cursor.front().link_id == link; cursor = cursor.subspan(1)) {
        counts.humans += cursor.front().humans;
        counts.bots += cursor.front().bots;
      }
    }
  }
}

void ClickOverlay::AdvanceTo(int64_t key) {
  Minutes dropped;
  {
    std::lock_guard lock(mutex_);
    applied_before_ = key;
    while (!minutes_.empty() && MinuteKey(minutes_.begin()->first, kMaxKeyedLinkId) < key) {
      dropped.insert(minutes_.extract(minutes_.begin()));
    }
  }  // `dropped` is unmapped here, with the lock let go
}

void ClickOverlay::SetVersion(int64_t version) {
  std::lock_guard lock(mutex_);
  version_ = version;
}

void ClickOverlay::Replace(ClickOverlay& loaded) {
  std::lock_guard lock(mutex_);
  std::swap(applied_before_, loaded.applied_before_);
  std::swap(version_, loaded.version_);
  minutes_.swap(loaded.minutes_);
}

ClickOverlay::LinkCounts ClickOverlay::CopyLinks(std::span<const int64_t> link_ids) const {
  LinkCounts copy;
  std::vector<std::vector<MinuteClicks>>& out = copy.links;
  out.resize(link_ids.size());
  std::lock_guard lock(mutex_);
  copy.applied_before = applied_before_;
  copy.version = version_;
  for (size_t i = 0; i < link_ids.size(); ++i) {
    const int64_t link = link_ids[i];
    if (link < 0 || link > kMaxKeyedLinkId) continue;
    for (const auto& [minute, runs] : minutes_) {
      if (MinuteKey(minute, link) < applied_before_) continue;
      MinuteClicks counts{link, minute, 0, 0};
      for (const Run& run : runs) {
        for (const Entry& entry : EntriesOf(run.entries(), link)) {
          counts.humans += entry.humans;
          counts.bots += entry.bots;
        }
      }
      if (counts.humans != 0 || counts.bots != 0) out[i].push_back(counts);
    }
  }
  return copy;
}

size_t ClickOverlay::entries() const {
  std::lock_guard lock(mutex_);
  size_t entries = 0;
  for (const auto& [minute, runs] : minutes_) {
    for (const Run& run : runs) entries += run.entries().size();
  }
  return entries;
}

size_t ClickOverlay::bytes() const {
  std::lock_guard lock(mutex_);
  size_t bytes = 0;
  for (const auto& [minute, runs] : minutes_) {
    for (const Run& run : runs) bytes += run.bytes();
  }
  return bytes;
}

size_t ClickOverlay::runs() const {
  std::lock_guard lock(mutex_);
  size_t count = 0;
  for (const auto& [minute, runs] : minutes_) count += runs.size();
  return count;
}

}  // namespace hop
