// SqliteClickJournal: where the SQLite store keeps the clicks of the minutes still open: appended
// to the click_journal table by each flush, and held in memory (store/click_overlay.h) for reads,
// until their minute has closed and its rows are written to minute_clicks once, in key order.
//
// Why: a flush used to upsert each of its entries into minute_clicks. With clicks on random links
// out of a million, a flush's 40,000 entries touch nearly every one of the current minute's 4,000
// B-tree pages, and every commit wrote all of them to the WAL again, more of them as the minute
// filled: most of the flusher's CPU. Now a flush appends one journal row per minute (12 bytes per
// entry), and a closed minute's rows go to the right edge of minute_clicks, each page written once.
//
// The applied-before key K (click_journal_state, a key as in store/minute_key.h) splits the
// counts: every (minute, link) with a key below K is in minute_clicks, every one from K on is in
// the journal and the overlay only. A write transaction, under the writer connection's lease:
//   1. Sync: loads the journal into the overlay on first use (recovery: entries below K, left by a
//      crash in the middle of an apply, are skipped), and again whenever another process changed
//      it (the state row's version says so).
//   2. Apply: writes up to rows_per_apply rows of the closed minutes to minute_clicks, oldest
//      first, in key order, moving K on; a minute is closed once a flush carries a later one, or
//      when RollUpClicks needs it. The transaction that finishes a minute deletes its journal rows.
//   3. Append: journals the flush's entries with keys from the new K on, one row per minute
//      (key = minute << 32 | a sequence number). Entries below K (late ones, an outage's backlog)
//      are the caller's to upsert into minute_clicks, as before the journal.
//   4. Finish: stores K and a new version, in the same transaction. After the commit, Publish
//      moves the overlay's K on, which drops the minutes applied, and adds the journaled runs.
// A crash anywhere loses nothing committed: K and the journal change in one transaction.
//
// Reads must count every key exactly once, and see a write whole or not at all, while the writer
// moves K and the counts between minute_clicks and the overlay. A write commits first and publishes
// to the overlay after, the new version last. A reader copies its links' overlay counts with K and
// the version (CopyLinks, under the overlay's lock) BEFORE the first statement of its read
// transaction, which reads the state row's version and so fixes the snapshot, and it takes from
// minute_clicks only the rows below its K. The order and the clip alone count each key once: a
// snapshot that starts after the copy holds every row below the copy's K, and the rows a later
// apply added from K on are in the copy. The version adds that a write is seen whole: equal
// versions mean no write of the journal committed between copy and snapshot (writes that change
// only rows below K are whole in either snapshot). Different versions mean one committed and has
// not published yet, or another process wrote: the reader ends its transaction and tries again,
// this time holding the writer connection's lease from a Sync to its first statement, so that no
// write of this process can come between (SqliteStore::BeginClickRead).
//
// Several processes on one file stay exact: a write or a read that finds the version changed by
// another process reloads the whole journal first. Sharing a file with another `hop serve` thus
// costs a reload on nearly every call; `hop keys` and `hop migrate` never load the journal.
//
// Thread-safety: the writer methods REQUIRE the writer connection's lease, with a transaction open
// on it; loaded() and CopyLinks may be called from any thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "core/click.h"
#include "core/status.h"
#include "store/click_overlay.h"
#include "store/sqlite/sqlite_connection.h"

namespace hop {

// The state row's version: what a reader compares with the version of its copy of the overlay.
Result<int64_t> ReadClickJournalVersion(SqliteConnection& connection);

class SqliteClickJournal {
 public:
  // What one write transaction changes, published to the overlay once it has committed.
  struct Change {
    int64_t applied_before;  // K as the transaction leaves it
    std::vector<std::pair<int64_t, std::vector<ClickOverlay::Entry>>> runs;  // journaled, by minute
    int64_t version = 0;  // set by Finish when anything changed, else 0
    int64_t started_at;   // K when the transaction began
  };

  // REQUIRES: rows_per_apply >= 1.
  explicit SqliteClickJournal(size_t rows_per_apply) : rows_per_apply_(rows_per_apply) {}
  SqliteClickJournal(const SqliteClickJournal&) = delete;
  SqliteClickJournal& operator=(const SqliteClickJournal&) = delete;

  // Makes the overlay what the journal holds: loads it when this process has not yet, or when
  // another process changed it since. kInternal for a journal row this code cannot have written.
  Status Sync(SqliteConnection& writer);

  // A change starting from the current K. REQUIRES: Sync succeeded in this transaction.
  Change Start() const;
  // The newest minute the overlay holds.
  std::optional<int64_t> NewestMinute() const { return overlay_.NewestMinute(); }

  // Writes the rows of the minutes before `closed_before`, oldest first and in key order, up to
  // rows_per_apply of them, to minute_clicks, and moves change.applied_before past them. Returns
  // true when no count of a minute before `closed_before` is left in the overlay.
  Result<bool> Apply(SqliteConnection& writer, int64_t closed_before, Change& change);

  // Journals `entries`, one row per minute, and keeps them for Publish. REQUIRES: sorted by
  // (minute, link_id); every key at or after change.applied_before; each count within 0..2^32-1.
  Status Append(SqliteConnection& writer, std::span<const MinuteClicks> entries, Change& change);

  // Stores K and a new version when anything changed, and deletes the journal rows of the minutes
  // wholly before K. The last step before the commit.
  Status Finish(SqliteConnection& writer, Change& change);

  // Hands a committed change to the overlay. Readers see the new K and the new counts from here on.
  void Publish(Change change);

  // True once the journal was loaded by a Sync: reads need it loaded, and load it first otherwise.
  bool loaded() const { return loaded_.load(std::memory_order_acquire); }

  // The overlay's counts of `link_ids`, with the K and the version they go with, for a read to take
  // before its transaction's first statement.
  ClickOverlay::LinkCounts CopyLinks(std::span<const int64_t> link_ids) const {
    return overlay_.CopyLinks(link_ids);
  }

  // What the overlay holds, for tests and benchmarks.
  const ClickOverlay& overlay() const { return overlay_; }

 private:
  Status Load(SqliteConnection& writer, int64_t applied_before, int64_t version);

  const size_t rows_per_apply_;
  ClickOverlay overlay_;  // its version() is that of the state row it matches
  std::atomic<bool> loaded_ = false;
};

}  // namespace hop
