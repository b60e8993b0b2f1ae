// SqliteClickJournal: loading the journal, applying closed minutes, appending a flush's rows, and
// the state row that says how far the applied rows reach.
#include "store/sqlite/sqlite_click_journal.h"

#include <algorithm>
#include <bit>

#include "store/minute_key.h"
#include "store/sqlite/sqlite_click_rows.h"

namespace hop {
namespace {

using Entry = ClickOverlay::Entry;

// A journal row's entries: 12 bytes each, the link id, the human and the bot clicks as
// little-endian uint32, in link order.
constexpr size_t kEntryBytes = 12;

void PutUint32(std::byte* at, uint32_t value) {
  for (int i = 0; i < 4; ++i) at[i] = static_cast<std::byte>(value >> (8 * i));
}

uint32_t GetUint32(const std::byte* at) {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value |= std::to_integer<uint32_t>(at[i]) << (8 * i);
  return value;
}

// On a little-endian machine an Entry's memory is its journal bytes already, so a run is bound as
// it is; elsewhere it is packed into `packed` first.
std::span<const std::byte> Pack(std::span<const Entry> entries, std::vector<std::byte>& packed) {
  static_assert(sizeof(Entry) == kEntryBytes, "an Entry has no padding");
  if (std::endian::native == std::endian::little) return std::as_bytes(entries);
  packed.resize(entries.size() * kEntryBytes);
  std::byte* at = packed.data();
  for (const Entry& entry : entries) {
    PutUint32(at, entry.link_id);
    PutUint32(at + 4, entry.humans);
    PutUint32(at + 8, entry.bots);
    at += kEntryBytes;
  }
  return packed;
}

Status Unpack(std::span<const std::byte> bytes, std::vector<Entry>& entries) {
  entries.clear();
  if (bytes.size() % kEntryBytes != 0) {
    return Status::Error(ErrorCode::kInternal, "a click_journal row has a partial entry");
  }
  for (const std::byte* at = bytes.data(); at != bytes.data() + bytes.size(); at += kEntryBytes) {
    const Entry entry{GetUint32(at), GetUint32(at + 4), GetUint32(at + 8)};
    if (!entries.empty() && entries.back().link_id > entry.link_id) {
      return Status::Error(ErrorCode::kInternal, "a click_journal row is out of link order");
    }
    entries.push_back(entry);
  }
  return Status::Ok();
}

// The key of the next journal row of `minute`: the rows of a minute are numbered from 0 in the
// order they were written.
Result<int64_t> NextKeyOf(SqliteConnection& writer, int64_t minute) {
  Result<SqliteStatement> newest =
      writer.Prepare("SELECT max(key) FROM click_journal WHERE key BETWEEN ? AND ?");
  if (!newest.ok()) return newest.status();
  Result<bool> row =
      newest.value().Bind(MinuteKey(minute, 0), MinuteKey(minute, kMaxKeyedLinkId)).Step();
  if (!row.ok()) return row.status();
  const std::optional<int64_t> key = newest.value().OptionalInt(0);
  if (!key) return MinuteKey(minute, 0);
  if (LinkOfKey(*key) == kMaxKeyedLinkId) {
    return Status::Error(ErrorCode::kInternal, "a minute of the click journal is full");
  }
  return *key + 1;
}

}  // namespace

Result<int64_t> ReadClickJournalVersion(SqliteConnection& connection) {
  Result<SqliteStatement> state = connection.Prepare("SELECT version FROM click_journal_state");
  if (!state.ok()) return state.status();
  Result<bool> row = state.value().Step();
  if (!row.ok()) return row.status();
  if (!row.value()) {
    return Status::Error(ErrorCode::kInternal, "the click_journal_state row is missing");
  }
  return state.value().Int(0);
}

Status SqliteClickJournal::Sync(SqliteConnection& writer) {
  Result<SqliteStatement> state =
      writer.Prepare("SELECT applied_before_key, version FROM click_journal_state");
  if (!state.ok()) return state.status();
  Result<bool> row = state.value().Step();
  if (!row.ok()) return row.status();
  if (!row.value()) {
    return Status::Error(ErrorCode::kInternal, "the click_journal_state row is missing");
  }
  const int64_t applied_before = state.value().Int(0);
  const int64_t version = state.value().Int(1);
  if (loaded() && version == overlay_.version()) return Status::Ok();
  if (Status s = Load(writer, applied_before, version); !s.ok()) return s;
  loaded_.store(true, std::memory_order_release);
  return Status::Ok();
}

Status SqliteClickJournal::Load(SqliteConnection& writer, int64_t applied_before, int64_t version) {
  ClickOverlay loaded(applied_before);
  loaded.SetVersion(version);
  Result<SqliteStatement> rows =
      writer.Prepare("SELECT key, entries FROM click_journal ORDER BY key");
  if (!rows.ok()) return rows.status();
  std::vector<Entry> entries;
  for (;;) {
    Result<bool> row = rows.value().Step();
    if (!row.ok()) return row.status();
    if (!row.value()) break;
    const int64_t minute = MinuteOfKey(rows.value().Int(0));
    if (Status s = Unpack(rows.value().Blob(1), entries); !s.ok()) return s;
    // Entries below K were applied by a transaction that committed; a crash before the overlay
    // dropped them leaves them here, and they count from minute_clicks.
    auto unapplied = std::partition_point(entries.begin(), entries.end(), [&](const Entry& e) {
      return MinuteKey(minute, e.link_id) < applied_before;
    });
    loaded.Add(minute, {unapplied, entries.end()});
  }
  overlay_.Replace(loaded);
  return Status::Ok();
}  // what the overlay held before is freed here, with its lock let go

SqliteClickJournal::Change SqliteClickJournal::Start() const {
  const int64_t applied_before = overlay_.applied_before();
  return {.applied_before = applied_before, .runs = {}, .started_at = applied_before};
}

Result<bool> SqliteClickJournal::Apply(SqliteConnection& writer, int64_t closed_before,
                                       Change& change) {
  size_t budget = rows_per_apply_;
  std::vector<MinuteClicks> rows;
  for (;;) {
    const int64_t at_minute = MinuteOfKey(change.applied_before);
    const std::optional<int64_t> minute = overlay_.FirstMinuteFrom(at_minute);
    if (!minute || *minute >= closed_before) return true;
    if (budget == 0) return false;
    const int64_t first_link = *minute == at_minute ? LinkOfKey(change.applied_before) : 0;
    rows.clear();
    const bool finished = overlay_.Collect(*minute, first_link, budget, rows);
    if (Status s = UpsertMinuteRows(writer, rows); !s.ok()) return s;
    budget -= rows.size();
    change.applied_before =
        finished ? FirstKeyOfMinute(*minute + 1) : MinuteKey(*minute, rows.back().link_id) + 1;
  }
}

Status SqliteClickJournal::Append(SqliteConnection& writer, std::span<const MinuteClicks> entries,
                                  Change& change) {
  while (!entries.empty()) {
    const int64_t minute = entries.front().minute;
    size_t count = 1;
    while (count < entries.size() && entries[count].minute == minute) ++count;
    std::vector<Entry> run;
    run.reserve(count);
    for (const MinuteClicks& entry : entries.first(count)) {
      run.push_back({static_cast<uint32_t>(entry.link_id), static_cast<uint32_t>(entry.humans),
                     static_cast<uint32_t>(entry.bots)});
    }
    Result<int64_t> key = NextKeyOf(writer, minute);
    if (!key.ok()) return key.status();
    std::vector<std::byte> packed;
    const std::span<const std::byte> blob = Pack(run, packed);
    Result<SqliteStatement> insert =
        writer.Prepare("INSERT INTO click_journal (key, entries) VALUES (?, ?)");
    if (!insert.ok()) return insert.status();
    if (Status s = insert.value().BindBorrowed(1, key.value(), blob).Run(); !s.ok()) return s;
    change.runs.emplace_back(minute, std::move(run));
    entries = entries.subspan(count);
  }
  return Status::Ok();
}

Status SqliteClickJournal::Finish(SqliteConnection& writer, Change& change) {
  if (change.runs.empty() && change.applied_before == change.started_at) return Status::Ok();
  const int64_t first_unapplied_minute = MinuteOfKey(change.applied_before);
  if (first_unapplied_minute > MinuteOfKey(change.started_at)) {
    Result<SqliteStatement> applied = writer.Prepare("DELETE FROM click_journal WHERE key < ?");
    if (!applied.ok()) return applied.status();
    Status s = applied.value().Bind(FirstKeyOfMinute(first_unapplied_minute)).Run();
    if (!s.ok()) return s;
  }
  Result<SqliteStatement> store =
      writer.Prepare("UPDATE click_journal_state SET applied_before_key = ?, version = ?");
  if (!store.ok()) return store.status();
  change.version = overlay_.version() + 1;
  return store.value().Bind(change.applied_before, change.version).Run();
}

void SqliteClickJournal::Publish(Change change) {
  if (change.version == 0) return;  // nothing changed
  overlay_.AdvanceTo(change.applied_before);
  for (const auto& [minute, run] : change.runs) overlay_.Add(minute, run);
  overlay_.SetVersion(change.version);
}

}  // namespace hop
