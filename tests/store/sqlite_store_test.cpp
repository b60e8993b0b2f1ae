// The store contract on SQLite, and what only SQLite has: a file that outlives the process, other
// processes on the same file, and the lock they can hold.
#include <sqlite3.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "click_model.h"
#include "store/click_watermark.h"
#include "store/sqlite/sqlite_migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "store_contract.h"
#include "store_test_support.h"

namespace hop {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

// A directory for this test process's databases, removed with everything in it at exit.
class TempDirectory {
 public:
  TempDirectory() {
    std::string pattern = (fs::temp_directory_path() / "hop-store-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// A new database file path, unique within the process.
std::string FreshPath() {
  static TempDirectory directory;
  static std::atomic<int> counter = 0;
  return (directory.path() / ("store-" + std::to_string(counter++) + ".db")).string();
}

std::unique_ptr<Store> OpenMigrated(const std::string& path,
                                    const SqliteStoreOptions& options = {}) {
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(path, options);
  if (!store.ok()) {
    ADD_FAILURE() << store.status().detail();
    return nullptr;
  }
  if (Status s = store.value()->Migrate(); !s.ok()) {
    ADD_FAILURE() << s.detail();
    return nullptr;
  }
  return std::move(store).value();
}

// A plain SQLite connection of its own, standing in for another process on the same file.
class OtherConnection {
 public:
  explicit OtherConnection(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~OtherConnection() { sqlite3_close(db_); }
  ::testing::AssertionResult Execute(const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) == SQLITE_OK) {
      return ::testing::AssertionSuccess();
    }
    ::testing::AssertionResult failure = ::testing::AssertionFailure() << error;
    sqlite3_free(error);
    return failure;
  }
  std::string QueryText(const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string text;
    sqlite3_prepare_v2(db_, sql, -1, &stmt, nullptr);
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return text;
  }

 private:
  sqlite3* db_ = nullptr;
};

int64_t CountMinuteRows(const std::string& path) {
  return std::stoll(OtherConnection(path).QueryText("SELECT count(*) FROM minute_clicks"));
}

StoreUnderTest MakeSqliteUnderTest() {
  const std::string path = FreshPath();
  return {OpenMigrated(path), [path] { return CountMinuteRows(path); }};
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContract,
                         ::testing::Values(StoreFactory{"Sqlite", MakeSqliteUnderTest}),
                         FactoryName);

TEST(SqliteStore, DataSurvivesReopening) {
  std::string path = FreshPath();
  int64_t id = 0;
  {
    std::unique_ptr<Store> store = OpenMigrated(path);
    ASSERT_NE(store, nullptr);
    id = Must(store->CreateLink("durable", UrlFields("https://example.com/"), kNow)).id;
    MinuteClicks batch[] = {Humans(id, kNowMinute, 4)};
    ASSERT_TRUE(IsOk(store->AddClicks(batch)));
  }
  std::unique_ptr<Store> reopened = OpenMigrated(path);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(Must(reopened->FindLink("durable")).id, id);
  const MinuteSpan day[] = {WindowEndingAt(kNowMinute, kLast24hMinutes)};
  EXPECT_EQ(Must(reopened->ReadClickTotals(id, day)).span_sums, std::vector<int64_t>{4});
}

TEST(SqliteStore, DatabaseIsInWalMode) {
  std::string path = FreshPath();
  std::unique_ptr<Store> store = OpenMigrated(path);
  EXPECT_EQ(OtherConnection(path).QueryText("PRAGMA journal_mode"), "wal");
}

TEST(SqliteStore, OpenStoreCreatesMissingDirectories) {
  std::string path = FreshPath() + ".d/nested/hop.db";
  Result<std::unique_ptr<Store>> store = OpenStore("sqlite:" + path);
  ASSERT_TRUE(IsOk(store));
  EXPECT_TRUE(IsOk(store.value()->Migrate()));
  EXPECT_TRUE(fs::exists(path));
}

TEST(SqliteStore, OpenStoreRefusesUnknownSchemesAndEmptyPaths) {
  EXPECT_TRUE(FailsWith(OpenStore("mysql://localhost/hop"), ErrorCode::kInvalidRequest));
  EXPECT_TRUE(FailsWith(OpenStore("hop.db"), ErrorCode::kInvalidRequest));
  EXPECT_TRUE(FailsWith(OpenStore("sqlite:"), ErrorCode::kInvalidRequest));
}

TEST(SqliteStore, OpenStoreOnUnusablePathIsUnavailable) {
  std::string file = FreshPath() + ".file";
  std::ofstream(file) << "not a directory";
  EXPECT_TRUE(FailsWith(OpenStore("sqlite:" + file + "/hop.db"), ErrorCode::kStoreUnavailable));
  EXPECT_TRUE(FailsWith(OpenSqliteStore(file + "/hop.db"), ErrorCode::kStoreUnavailable));
}

TEST(SqliteStore, WritesPastTheBusyTimeoutAreUnavailableWhileReadsGoOn) {
  std::string path = FreshPath();
  SqliteStoreOptions options;
  options.busy_timeout = milliseconds(50);
  std::unique_ptr<Store> store = OpenMigrated(path, options);
  ASSERT_NE(store, nullptr);
  Link link = Must(store->CreateLink("locked", UrlFields("https://example.com/"), kNow));

  OtherConnection other(path);
  ASSERT_TRUE(other.Execute("BEGIN IMMEDIATE"));
  Result<Link> blocked = store->CreateLink("blocked", UrlFields("https://example.com/"), kNow);
  EXPECT_TRUE(FailsWith(blocked, ErrorCode::kStoreUnavailable));
  MinuteClicks batch[] = {Humans(link.id, kNowMinute, 1)};
  EXPECT_TRUE(FailsWith(store->AddClicks(batch), ErrorCode::kStoreUnavailable));
  EXPECT_TRUE(IsOk(store->FindLink("locked")));  // WAL: readers do not wait for the writer
  EXPECT_TRUE(IsOk(store->Ping()));
  ASSERT_TRUE(other.Execute("COMMIT"));

  EXPECT_TRUE(IsOk(store->CreateLink("blocked", UrlFields("https://example.com/"), kNow)));
  EXPECT_TRUE(IsOk(store->AddClicks(batch)));
}

TEST(SqliteStore, StoresOnOneFileMigrateAtOnceAndShareTheirWrites) {
  std::string path = FreshPath();
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < 4; ++i) stores.push_back(Must(OpenSqliteStore(path)));
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (auto& store : stores) {
    threads.emplace_back([&store, &failures] {
      if (!store->Migrate().ok()) ++failures;
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(failures, 0);
  EXPECT_EQ(OtherConnection(path).QueryText("SELECT count(*) FROM schema_migrations"), "5");

  LinkFields fields = UrlFields("https://example.com/");
  fields.max_visits = 3;
  int64_t id = Must(stores[0]->CreateLink("shared", fields, kNow)).id;
  EXPECT_TRUE(FailsWith(stores[1]->CreateLink("shared", fields, kNow), ErrorCode::kAliasTaken));
  int granted = 0;
  for (auto& store : stores) granted += Must(store->ClaimVisit(id)) ? 1 : 0;
  EXPECT_EQ(granted, 3);
  EXPECT_EQ(Must(stores[3]->FindLink("shared")).visits, 3);
}

TEST(SqliteStore, MigrateRefusesASchemaNewerThanItKnows) {
  std::string path = FreshPath();
  std::unique_ptr<Store> store = OpenMigrated(path);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(OtherConnection(path).Execute(
      "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)"));
  Status status = store->Migrate();
  EXPECT_TRUE(FailsWith(status, ErrorCode::kInternal));
  EXPECT_NE(status.detail().find("999"), std::string::npos) << status.detail();
}

TEST(SqliteStore, MigratingFromVersion1GivesExistingLinksTheirHostKeys) {
  std::string path = FreshPath();
  {
    std::unique_ptr<SqliteConnection> writer = Must(SqliteConnection::Open(
        path, SqliteConnection::Role::kWriter, std::chrono::milliseconds(1000)));
    ASSERT_TRUE(IsOk(MigrateSqlite(*writer, 1)));
  }
  ASSERT_TRUE(OtherConnection(path).Execute(
      "INSERT INTO links (code, url, created_at, updated_at) VALUES "
      "('old', 'https://www.evil.example/', 0, 0), ('fine', 'https://fine.example/', 0, 0)"));
  std::unique_ptr<Store> store = OpenMigrated(path);
  ASSERT_NE(store, nullptr);
  const std::string blocked[] = {"evil.example"};
  EXPECT_EQ(Must(store->DisableLinksToHosts(blocked, kNow)), std::vector<std::string>{"old"});
  EXPECT_FALSE(Must(store->FindLink("old")).fields.owner_key_id.has_value());
  EXPECT_EQ(OtherConnection(path).QueryText("SELECT host_key FROM links WHERE code = 'fine'"),
            "example.fine");
}

// What a version 2 flush wrote for `entry`: its minute, hour and day rows and its link's totals.
std::string Version2FlushOf(const MinuteClicks& entry) {
  std::string sql;
  const std::pair<const char*, Granularity> tables[] = {{"clicks_minute", Granularity::kMinute},
                                                        {"clicks_hour", Granularity::kHour},
                                                        {"clicks_day", Granularity::kDay}};
  for (const auto& [table, granularity] : tables) {
    sql += std::string("INSERT INTO ") + table + " VALUES (" + std::to_string(entry.link_id) +
           ", " + std::to_string(BucketOfMinute(granularity, entry.minute)) + ", " +
           std::to_string(entry.humans) + ", " + std::to_string(entry.bots) +
           ") ON CONFLICT DO UPDATE SET clicks = clicks + excluded.clicks, "
           "bot_clicks = bot_clicks + excluded.bot_clicks;";
  }
  return sql + "UPDATE links SET total_clicks = total_clicks + " + std::to_string(entry.humans) +
         ", bot_clicks = bot_clicks + " + std::to_string(entry.bots) +
         " WHERE id = " + std::to_string(entry.link_id) + ";";
}

TEST(SqliteStore, MigratingFromVersion2KeepsEveryClickAnswer) {
  std::string path = FreshPath();
  {
    std::unique_ptr<SqliteConnection> writer = Must(SqliteConnection::Open(
        path, SqliteConnection::Role::kWriter, std::chrono::milliseconds(1000)));
    ASSERT_TRUE(IsOk(MigrateSqlite(*writer, 2)));
  }
  ClickModel model;
  std::string version2 =
      "BEGIN; INSERT INTO links (code, url, created_at, updated_at) VALUES "
      "('a', 'https://example.com/', 0, 0), ('b', 'https://example.com/', 0, 0);";
  for (int64_t id : {1, 2}) {
    std::vector<MinuteClicks> clicks = RandomClicks(id, static_cast<unsigned>(id));
    model.Add(clicks);
    for (const MinuteClicks& entry : clicks) version2 += Version2FlushOf(entry);
  }
  ASSERT_TRUE(OtherConnection(path).Execute((version2 + "COMMIT;").c_str()));

  std::unique_ptr<Store> store = OpenMigrated(path);
  ASSERT_NE(store, nullptr);
  for (int64_t id : {1, 2}) EXPECT_TRUE(AnswersMatch(*store, model, id));
  // Version 2 counted every minute row in its hour, day and link already.
  EXPECT_EQ(
      OtherConnection(path).QueryText("SELECT rolled_before_minute FROM click_rollup"),
      OtherConnection(path).QueryText("SELECT max(minute_link >> 32) + 1 FROM minute_clicks"));
  // Clicks counted from now on, before and after the watermark the migration set.
  std::vector<MinuteClicks> more = {{1, kNowMinute - 10 * kMinutesPerDay, 2, 1},
                                    {2, kNowMinute + 5, 3, 0}};
  ASSERT_TRUE(model.Write(*store, more));
  for (int64_t id : {1, 2}) EXPECT_TRUE(AnswersMatch(*store, model, id));
  ASSERT_TRUE(Must(store->RollUpClicks(kNowMinute + 10, 1000)));
  for (int64_t id : {1, 2}) EXPECT_TRUE(AnswersMatch(*store, model, id));
  EXPECT_EQ(Must(store->FindLink("b")).total_clicks, model.Totals(2, {}).total);
}

// What version 3 held for `entry`: its minute row, and, if the link's minutes before
// `folded_before` were rolled up, the entry in its hour, day and link rows too.
std::string Version3RowsOf(const MinuteClicks& entry, int64_t folded_before) {
  const std::string counts = std::to_string(entry.humans) + ", " + std::to_string(entry.bots);
  const std::string id = std::to_string(entry.link_id);
  std::string sql = "INSERT INTO minute_clicks VALUES (" + std::to_string(entry.minute) + ", " +
                    id + ", " + counts + ");";
  if (entry.minute >= folded_before) return sql;
  for (Granularity granularity : {Granularity::kHour, Granularity::kDay}) {
    sql += std::string("INSERT INTO ") +
           (granularity == Granularity::kHour ? "clicks_hour" : "clicks_day") + " VALUES (" + id +
           ", " + std::to_string(BucketOfMinute(granularity, entry.minute)) + ", " + counts +
           ") ON CONFLICT DO UPDATE SET clicks = clicks + excluded.clicks, "
           "bot_clicks = bot_clicks + excluded.bot_clicks;";
  }
  return sql + "UPDATE links SET total_clicks = total_clicks + " + std::to_string(entry.humans) +
         ", bot_clicks = bot_clicks + " + std::to_string(entry.bots) + " WHERE id = " + id + ";";
}

// Version 3 in the middle of a rollup pass: link 1 is folded up to 10 days ago, links 2 and 3 up
// to 20 days ago, and newer minutes are in minute rows only.
TEST(SqliteStore, MigratingFromVersion3KeepsEveryClickAnswer) {
  std::string path = FreshPath();
  {
    std::unique_ptr<SqliteConnection> writer = Must(SqliteConnection::Open(
        path, SqliteConnection::Role::kWriter, std::chrono::milliseconds(1000)));
    ASSERT_TRUE(IsOk(MigrateSqlite(*writer, 3)));
  }
  const ClickWatermark watermark{.rolled_before = kNowMinute - 20 * kMinutesPerDay,
                                 .rolling_before = kNowMinute - 10 * kMinutesPerDay,
                                 .rolling_through_link = 1};
  ClickModel model;
  std::string version3 =
      "BEGIN; INSERT INTO links (code, url, created_at, updated_at) VALUES "
      "('a', 'https://example.com/', 0, 0), ('b', 'https://example.com/', 0, 0), "
      "('c', 'https://example.com/', 0, 0);"
      "UPDATE click_rollup SET rolled_before_minute = " +
      std::to_string(watermark.rolled_before) +
      ", rolling_before_minute = " + std::to_string(watermark.rolling_before) +
      ", rolling_through_link = 1;";
  for (int64_t id : {1, 2, 3}) {
    std::vector<MinuteClicks> clicks = RandomClicks(id, static_cast<unsigned>(id) + 10);
    model.Add(clicks);
    for (const MinuteClicks& entry : clicks)
      version3 += Version3RowsOf(entry, watermark.FoldedBefore(id));
  }
  // A minute before the epoch keeps its place in the key order, and its link's rows.
  const MinuteClicks early = {3, -5, 4, 1};
  model.Add({&early, 1});
  version3 += Version3RowsOf(early, watermark.FoldedBefore(3));
  ASSERT_TRUE(OtherConnection(path).Execute((version3 + "COMMIT;").c_str()));
  const std::string rows = OtherConnection(path).QueryText("SELECT count(*) FROM minute_clicks");

  std::unique_ptr<Store> store = OpenMigrated(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(OtherConnection(path).QueryText("SELECT count(*) FROM minute_clicks"), rows);
  for (int64_t id : {1, 2, 3}) EXPECT_TRUE(AnswersMatch(*store, model, id));
  // Finishing the pass, late clicks on both sides of the watermark, and rolling up to now.
  std::vector<MinuteClicks> more = {{1, kNowMinute - 15 * kMinutesPerDay, 2, 1},
                                    {2, kNowMinute - 15 * kMinutesPerDay, 1, 0},
                                    {3, kNowMinute + 5, 3, 0}};
  ASSERT_TRUE(model.Write(*store, more));
  for (int64_t id : {1, 2, 3}) EXPECT_TRUE(AnswersMatch(*store, model, id));
  while (!Must(store->RollUpClicks(kNowMinute + 10, 1))) {
  }
  for (int64_t id : {1, 2, 3}) {
    EXPECT_TRUE(AnswersMatch(*store, model, id));
    EXPECT_EQ(Must(store->ReadClickTotals(id, {})).total, model.Totals(id, {}).total);
  }
  EXPECT_EQ(Must(store->FindLink("c")).total_clicks, model.Totals(3, {}).total);
}

TEST(SqliteStore, MigratingRefusesLinkIdsAMinuteKeyCannotHold) {
  std::string path = FreshPath();
  {
    std::unique_ptr<SqliteConnection> writer = Must(SqliteConnection::Open(
        path, SqliteConnection::Role::kWriter, std::chrono::milliseconds(1000)));
    ASSERT_TRUE(IsOk(MigrateSqlite(*writer, 3)));
  }
  ASSERT_TRUE(
      OtherConnection(path).Execute("INSERT INTO links (id, code, url, created_at, updated_at) "
                                    "VALUES (4294967296, 'big', 'https://example.com/', 0, 0)"));
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(path);
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE(FailsWith(store.value()->Migrate(), ErrorCode::kInternal));
}

TEST(SqliteStore, CreatingALinkPastTheMinuteKeysIdsFailsAndKeepsTheOthers) {
  std::string path = FreshPath();
  std::unique_ptr<Store> store = OpenMigrated(path);
  ASSERT_NE(store, nullptr);
  Must(store->CreateLink("last", UrlFields("https://example.com/"), kNow));
  ASSERT_TRUE(OtherConnection(path).Execute(
      "UPDATE sqlite_sequence SET seq = 4294967295 WHERE name = 'links'"));
  EXPECT_TRUE(FailsWith(store->CreateLink("past", UrlFields("https://example.com/"), kNow),
                        ErrorCode::kInternal));
  EXPECT_TRUE(store->FindLink("last").ok());
  EXPECT_TRUE(FailsWith(store->FindLink("past"), ErrorCode::kNotFound));
}

// `count` links with codes `prefix`0, `prefix`1, ...
std::vector<NewLink> NumberedLinks(const std::string& prefix, int count) {
  std::vector<NewLink> links;
  for (int i = 0; i < count; ++i)
    links.push_back({prefix + std::to_string(i), UrlFields("https://example.com/")});
  return links;
}

// A batch from 512 links on is written another way (without foreign keys); both keep the limit.
TEST(SqliteStore, ABatchPastTheMinuteKeysIdsStoresNoneOfItsLinks) {
  for (int size : {3, 600}) {
    std::string path = FreshPath();
    std::unique_ptr<Store> store = OpenMigrated(path);
    ASSERT_NE(store, nullptr);
    const std::string last_ids_left = std::to_string(4294967295 - size + 1);
    ASSERT_TRUE(OtherConnection(path).Execute(
        ("INSERT INTO sqlite_sequence (name, seq) VALUES ('links', " + last_ids_left + ")")
            .c_str()));
    EXPECT_TRUE(
        FailsWith(store->CreateLinks(NumberedLinks("over", size), kNow), ErrorCode::kInternal))
        << size;
    EXPECT_EQ(OtherConnection(path).QueryText("SELECT count(*) FROM links"), "0") << size;
    std::vector<Result<Link>> created =
        Must(store->CreateLinks(NumberedLinks("fits", size - 1), kNow));
    EXPECT_EQ(Must(std::move(created.back())).id, 4294967295) << size;
  }
}

// A large batch leaves the writer without foreign keys for the next large batch; any other write
// has them again, so deleting a link still deletes its tag rows.
TEST(SqliteStore, AWriteAfterALargeBatchCascadesAgain) {
  std::string path = FreshPath();
  std::unique_ptr<Store> store = OpenMigrated(path);
  ASSERT_NE(store, nullptr);
  std::vector<NewLink> links = NumberedLinks("tagged", 600);
  for (NewLink& link : links) link.fields.tags = {"campaign"};
  ASSERT_EQ(Must(store->CreateLinks(links, kNow)).size(), 600u);
  ASSERT_TRUE(IsOk(store->DeleteLink("tagged7", std::nullopt)));
  EXPECT_EQ(OtherConnection(path).QueryText("SELECT count(*) FROM link_tags"), "599");
}

TEST(SqliteStore, MigratingFromVersion4DropsTheTriggerOnLinks) {
  std::string path = FreshPath();
  {
    std::unique_ptr<SqliteConnection> writer = Must(SqliteConnection::Open(
        path, SqliteConnection::Role::kWriter, std::chrono::milliseconds(1000)));
    ASSERT_TRUE(IsOk(MigrateSqlite(*writer, 4)));
  }
  const char* triggers = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'";
  ASSERT_EQ(OtherConnection(path).QueryText(triggers), "1");
  ASSERT_TRUE(
      OtherConnection(path).Execute("INSERT INTO links (code, url, created_at, updated_at) VALUES "
                                    "('old', 'https://example.com/', 0, 0)"));
  std::unique_ptr<Store> store = OpenMigrated(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(OtherConnection(path).QueryText(triggers), "0");
  EXPECT_EQ(Must(store->FindLink("old")).id, 1);
  EXPECT_EQ(Must(store->CreateLink("new", UrlFields("https://example.com/"), kNow)).id, 2);
}

TEST(SqliteStore, CorruptTagsAreReportedAsInternal) {
  std::string path = FreshPath();
  std::unique_ptr<Store> store = OpenMigrated(path);
  ASSERT_NE(store, nullptr);
  Must(store->CreateLink("broken", UrlFields("https://example.com/"), kNow));
  ASSERT_TRUE(OtherConnection(path).Execute("UPDATE links SET tags = '{\"no\": 1}'"));
  EXPECT_TRUE(FailsWith(store->FindLink("broken"), ErrorCode::kInternal));
}

TEST(SqliteStore, ListLinksRefusesLimitsOutsideTheContract) {
  std::unique_ptr<Store> store = OpenMigrated(FreshPath());
  ASSERT_NE(store, nullptr);
  for (int limit : {0, -1, 1001}) {
    LinkQuery query;
    query.limit = limit;
    EXPECT_TRUE(FailsWith(store->ListLinks(query), ErrorCode::kInvalidRequest)) << limit;
  }
}

TEST(SqliteStore, UnmigratedDatabaseFailsAsInternal) {
  std::unique_ptr<Store> store = Must(OpenSqliteStore(FreshPath()));
  EXPECT_TRUE(IsOk(store->Ping()));
  EXPECT_TRUE(FailsWith(store->FindLink("abc"), ErrorCode::kInternal));
}

}  // namespace
}  // namespace hop
