// The store contract on SQLite, and what only SQLite has: a file that outlives the process, other
// processes on the same file, and the lock they can hold. Its migrations and its click journal
// have files of their own (sqlite_migrations_test.cpp, sqlite_click_journal_test.cpp).
#include <sqlite3.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "sqlite_test_support.h"
#include "store/sqlite/sqlite_store.h"
#include "store_contract.h"
#include "store_test_support.h"

namespace hop {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

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
  EXPECT_EQ(OtherConnection(path).QueryText("SELECT count(*) FROM schema_migrations"), "7");

  LinkFields fields = UrlFields("https://example.com/");
  fields.max_visits = 3;
  int64_t id = Must(stores[0]->CreateLink("shared", fields, kNow)).id;
  EXPECT_TRUE(FailsWith(stores[1]->CreateLink("shared", fields, kNow), ErrorCode::kAliasTaken));
  int granted = 0;
  for (auto& store : stores) granted += Must(store->ClaimVisit(id)) ? 1 : 0;
  EXPECT_EQ(granted, 3);
  EXPECT_EQ(Must(stores[3]->FindLink("shared")).visits, 3);
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
