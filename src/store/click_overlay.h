// ClickOverlay: the click counts of the minutes that the SQLite store keeps in its click journal
// instead of in minute_clicks, in memory, for reads to add and for the journal to write out in key
// order once a minute has closed (store/sqlite/sqlite_click_journal.h).
//
// It holds counts per (minute, link) with keys (store/minute_key.h) from applied_before() on; keys
// below it are in minute_clicks and are neither counted here nor kept for long: a minute is
// dropped, and its memory given back (its large runs to the kernel at once), as soon as
// applied_before() passes its last key.
//
// Shape: per minute, runs of 12-byte entries {link, humans, bots} sorted by link, each run of a
// page or more a MappedPages of its own (core/mapped_pages.h), a smaller one on the heap, so that a
// minute of a few clicks does not take a page per run. A new run joins its minute as the newest;
// while the newest run is at least half as long as the one before it, the two are merged into
// one, as the bits of a binary counter carry. So a minute of n entries has at most about log2(n)
// runs, each entry is copied O(log n) times, always in sequential passes, and a lookup is one
// binary search per run. A run may hold a link more than once, side by side (a merge keeps two
// entries apart where their sum would not fit 32 bits); every reader of a run adds them up.
//
// Thread-safety: CopyLinks may be called from any thread, concurrently with anything. Every other
// method is the writer's: REQUIRES one call at a time, which the SQLite store's writer connection
// lease ensures. Runs never change once added, so the writer reads them, and builds merged ones,
// without the lock; it takes the lock only to swap runs and minutes in and out, and frees what it
// took out after letting the lock go. A lookup holds the lock while it copies its links' counts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "core/click.h"
#include "core/mapped_pages.h"

namespace hop {

class ClickOverlay {
 public:
  // The counts of one link in one minute: 12 bytes, the unit of the overlay and of the journal.
  struct Entry {
    uint32_t link_id;
    uint32_t humans;
    uint32_t bots;
  };

  explicit ClickOverlay(int64_t applied_before = std::numeric_limits<int64_t>::min())
      : applied_before_(applied_before) {}
  ClickOverlay(const ClickOverlay&) = delete;
  ClickOverlay& operator=(const ClickOverlay&) = delete;

  // Every key below it is in minute_clicks, not here.
  int64_t applied_before() const { return applied_before_; }
  // A number the owner gives the overlay's content (the SQLite journal's state version), which
  // CopyLinks returns with the counts, so that a reader can tell which state it copied. Set it
  // after the changes it stands for: a reader that copies in between gets the old number.
  int64_t version() const { return version_; }
  void SetVersion(int64_t version);

  // Adds `entries` of `minute` as its newest run (nothing for none). REQUIRES: sorted by link_id
  // (a link may repeat: its entries add up); every key at or after applied_before().
  void Add(int64_t minute, std::span<const Entry> entries);

  // The oldest minute held that is `minute` or later; nullopt when there is none.
  std::optional<int64_t> FirstMinuteFrom(int64_t minute) const;
  // The newest minute held; nullopt when the overlay is empty.
  std::optional<int64_t> NewestMinute() const;

  // Appends to `out`, in link order, the counts of `minute` of the links from `first_link` on, each
  // link once with its runs' counts added up, stopping before `max_entries` would be exceeded.
  // Returns true when it reached the minute's last link, false when it stopped at the bound.
  bool Collect(int64_t minute, int64_t first_link, size_t max_entries,
               std::vector<MinuteClicks>& out) const;

  // Moves applied_before() on to `key` (REQUIRES: not below it) and drops the minutes whose keys
  // are all below it.
  void AdvanceTo(int64_t key);

  // Takes over everything `loaded` holds, applied_before() and version() included, at once: a
  // reader sees all of the old counts or all of the new ones. `loaded` (REQUIRES: used by this
  // thread alone) gets the old content, to be freed by the caller.
  void Replace(ClickOverlay& loaded);

  // Some links' counts as one reader copied them, with where the overlay stood.
  struct LinkCounts {
    int64_t applied_before;  // the keys below it are to be read from minute_clicks
    int64_t version;
    // Per link asked for, in that order: its counts with keys at or after applied_before, one
    // entry per minute, ascending; minutes without clicks are left out.
    std::vector<std::vector<MinuteClicks>> links;
  };
  LinkCounts CopyLinks(std::span<const int64_t> link_ids) const;

  // The (minute, link) entries held, applied ones not yet dropped included, and the bytes held for
  // them: what the overlay costs in memory. And the runs they are in: what a lookup costs.
  size_t entries() const;
  size_t bytes() const;
  size_t runs() const;

 private:
  // Room for `capacity` entries, of which the first size() are the run's; empty when default-made
  // or moved from.
  class Run {
   public:
    Run() = default;
    explicit Run(size_t capacity);  // REQUIRES: capacity >= 1
    std::span<const Entry> entries() const { return {begin_, size_}; }
    Entry* begin() const { return begin_; }
    size_t bytes() const { return pages_.size() + (small_ ? capacity_ * sizeof(Entry) : 0); }
    void set_size(size_t size) { size_ = size; }
    // Gives back the pages past the entries: a merge makes room for both runs, and the links they
    // share take one entry.
    void Shrink() { pages_.Shrink(size_ * sizeof(Entry)); }

   private:
    MappedPages pages_;               // a run of a page or more
    std::unique_ptr<Entry[]> small_;  // a smaller one
    Entry* begin_ = nullptr;
    size_t capacity_ = 0;
    size_t size_ = 0;
  };
  using Minutes = std::map<int64_t, std::vector<Run>>;

  void MergeNewest(int64_t minute);
  static Run Merge(std::span<const Entry> older, std::span<const Entry> newer);

  mutable std::mutex mutex_;
  // Written by the writer under mutex_; read by the writer without it and by lookups with it.
  int64_t applied_before_;
  int64_t version_ = 0;
  Minutes minutes_;
};

}  // namespace hop
