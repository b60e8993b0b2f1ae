// SQLite's schema migrations: every step keeps what the versions before it stored, and refuses a
// database it cannot keep whole.
#include <sqlite3.h>

#include <string>
#include <utility>
#include <vector>

#include "click_model.h"
#include "sqlite_test_support.h"
#include "store/click_watermark.h"
#include "store/minute_key.h"
#include "store/sqlite/sqlite_migrations.h"
#include "store/sqlite/sqlite_store.h"
#include "store_test_support.h"

namespace hop {
namespace {

// A database at schema `version`, as an older hop left it.
void MigrateTo(const std::string& path, int64_t version) {
  std::unique_ptr<SqliteConnection> writer = Must(SqliteConnection::Open(
      path, SqliteConnection::Role::kWriter, std::chrono::milliseconds(1000)));
  ASSERT_TRUE(IsOk(MigrateSqlite(*writer, version)));
}

TEST(SqliteMigrations, MigrateRefusesASchemaNewerThanItKnows) {
  std::string path = FreshPath();
  std::unique_ptr<Store> store = OpenMigrated(path);
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(OtherConnection(path).Execute(
      "INSERT INTO schema_migrations (version, applied_at) VALUES (999, 0)"));
  Status status = store->Migrate();
  EXPECT_TRUE(FailsWith(status, ErrorCode::kInternal));
  EXPECT_NE(status.detail().find("999"), std::string::npos) << status.detail();
}

TEST(SqliteMigrations, MigratingFromVersion1GivesExistingLinksTheirHostKeys) {
  std::string path = FreshPath();
  MigrateTo(path, 1);
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

TEST(SqliteMigrations, MigratingFromVersion2KeepsEveryClickAnswer) {
  std::string path = FreshPath();
  MigrateTo(path, 2);
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

// What a rollup had added for `entry`: the entry in its hour, day and link rows.
std::string FoldedRowsOf(const MinuteClicks& entry) {
  const std::string counts = std::to_string(entry.humans) + ", " + std::to_string(entry.bots);
  const std::string id = std::to_string(entry.link_id);
  std::string sql;
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

// What version 3 held for `entry`: its minute row, and, if the link's minutes before
// `folded_before` were rolled up, the entry in its hour, day and link rows too.
std::string Version3RowsOf(const MinuteClicks& entry, int64_t folded_before) {
  std::string sql = "INSERT INTO minute_clicks VALUES (" + std::to_string(entry.minute) + ", " +
                    std::to_string(entry.link_id) + ", " + std::to_string(entry.humans) + ", " +
                    std::to_string(entry.bots) + ");";
  return entry.minute >= folded_before ? sql : sql + FoldedRowsOf(entry);
}

// The same in version 4, whose minute row has the packed key.
std::string Version4RowsOf(const MinuteClicks& entry, int64_t folded_before) {
  std::string sql = "INSERT INTO minute_clicks VALUES (" +
                    std::to_string(MinuteKey(entry.minute, entry.link_id)) + ", " +
                    std::to_string(entry.humans) + ", " + std::to_string(entry.bots) + ");";
  return entry.minute >= folded_before ? sql : sql + FoldedRowsOf(entry);
}

// The links a, b and c (ids 1 to 3), and a rollup pass under way: link 1 is folded up to 10 days
// ago, links 2 and 3 up to 20 days ago, and newer minutes are in minute rows only.
const ClickWatermark kPassUnderWay{.rolled_before = kNowMinute - 20 * kMinutesPerDay,
                                   .rolling_before = kNowMinute - 10 * kMinutesPerDay,
                                   .rolling_through_link = 1};
const std::string kThreeLinksInAPass =
    "INSERT INTO links (code, url, created_at, updated_at) VALUES "
    "('a', 'https://example.com/', 0, 0), ('b', 'https://example.com/', 0, 0), "
    "('c', 'https://example.com/', 0, 0);"
    "UPDATE click_rollup SET rolled_before_minute = " +
    std::to_string(kPassUnderWay.rolled_before) +
    ", rolling_before_minute = " + std::to_string(kPassUnderWay.rolling_before) +
    ", rolling_through_link = 1;";

// Version 3 in the middle of a rollup pass.
TEST(SqliteMigrations, MigratingFromVersion3KeepsEveryClickAnswer) {
  std::string path = FreshPath();
  MigrateTo(path, 3);
  ClickModel model;
  std::string version3 = "BEGIN;" + kThreeLinksInAPass;
  for (int64_t id : {1, 2, 3}) {
    std::vector<MinuteClicks> clicks = RandomClicks(id, static_cast<unsigned>(id) + 10);
    model.Add(clicks);
    for (const MinuteClicks& entry : clicks)
      version3 += Version3RowsOf(entry, kPassUnderWay.FoldedBefore(id));
  }
  // A minute before the epoch keeps its place in the key order, and its link's rows.
  const MinuteClicks early = {3, -5, 4, 1};
  model.Add({&early, 1});
  version3 += Version3RowsOf(early, kPassUnderWay.FoldedBefore(3));
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

// Version 4 in the middle of a rollup pass, with minute rows up to the newest minute: the journal
// starts right after the newest row, so that minute's later clicks go to minute_clicks below it
// and to the journal after it, and every answer stays exact.
TEST(SqliteMigrations, MigratingFromVersion4StartsTheJournalAfterTheNewestMinuteRow) {
  std::string path = FreshPath();
  MigrateTo(path, 4);
  ClickModel model;
  std::string version4 = "BEGIN;" + kThreeLinksInAPass;
  for (int64_t id : {1, 2, 3}) {
    std::vector<MinuteClicks> clicks = RandomClicks(id, static_cast<unsigned>(id) + 20);
    if (id == 2) clicks.push_back({2, kNowMinute + 1, 5, 0});  // the newest row
    model.Add(clicks);
    for (const MinuteClicks& entry : clicks)
      version4 += Version4RowsOf(entry, kPassUnderWay.FoldedBefore(id));
  }
  ASSERT_TRUE(OtherConnection(path).Execute((version4 + "COMMIT;").c_str()));
  const std::string rows = OtherConnection(path).QueryText("SELECT count(*) FROM minute_clicks");

  SqliteStoreOptions options;
  options.rows_per_apply = 2;
  std::unique_ptr<Store> store = OpenMigrated(path, options);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(OtherConnection(path).QueryText("SELECT applied_before_key FROM click_journal_state"),
            std::to_string(MinuteKey(kNowMinute + 1, 2) + 1));
  EXPECT_EQ(OtherConnection(path).QueryText("SELECT count(*) FROM minute_clicks"), rows);
  for (int64_t id : {1, 2, 3}) EXPECT_TRUE(AnswersMatch(*store, model, id));

  // Link 1 in the newest minute is below the applied key, link 3 after it; the minute after
  // closes it; a late click of link 1 goes to its hour, day and totals at once.
  std::vector<MinuteClicks> more = {{1, kNowMinute - 15 * kMinutesPerDay, 2, 1},
                                    {1, kNowMinute + 1, 1, 0},
                                    {3, kNowMinute + 1, 2, 1},
                                    {1, kNowMinute + 2, 1, 0}};
  ASSERT_TRUE(model.Write(*store, more));
  EXPECT_EQ(OtherConnection(path).QueryText("SELECT count(*) FROM click_journal"), "2");
  for (int64_t id : {1, 2, 3}) EXPECT_TRUE(AnswersMatch(*store, model, id));
  while (!Must(store->RollUpClicks(kNowMinute + 10, 1))) {
  }
  EXPECT_EQ(OtherConnection(path).QueryText("SELECT count(*) FROM click_journal"), "0");
  for (int64_t id : {1, 2, 3}) EXPECT_TRUE(AnswersMatch(*store, model, id));
  EXPECT_EQ(Must(store->FindLink("a")).total_clicks, model.Totals(1, {}).total);
  EXPECT_EQ(Must(store->FindLink("c")).total_clicks, model.Totals(3, {}).total);
}

TEST(SqliteMigrations, MigratingFromVersion4DropsTheTriggerOnLinks) {
  std::string path = FreshPath();
  MigrateTo(path, 4);
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

TEST(SqliteMigrations, MigratingRefusesLinkIdsAMinuteKeyCannotHold) {
  std::string path = FreshPath();
  MigrateTo(path, 3);
  ASSERT_TRUE(
      OtherConnection(path).Execute("INSERT INTO links (id, code, url, created_at, updated_at) "
                                    "VALUES (4294967296, 'big', 'https://example.com/', 0, 0)"));
  Result<std::unique_ptr<Store>> store = OpenSqliteStore(path);
  ASSERT_TRUE(store.ok());
  EXPECT_TRUE(FailsWith(store.value()->Migrate(), ErrorCode::kInternal));
}

TEST(SqliteMigrations, MigratingFromVersion6KeepsEveryLinkItsCodeItsRowsAndItsIdsUnused) {
  std::string path = FreshPath();
  MigrateTo(path, 6);
  // Three links with random codes as version 6 drew them, the newest deleted: AUTOINCREMENT has
  // used id 3, and no link may get it again.
  ASSERT_TRUE(OtherConnection(path).Execute(
      "INSERT INTO links (code, url, tags, created_at, updated_at, host_key) VALUES "
      "('aB3dE5g', 'https://example.com/1', '[\"t\"]', 0, 0, 'com.example'), "
      "('my-alias', 'https://example.com/2', '[]', 0, 0, 'com.example'), "
      "('gone123', 'https://example.com/3', '[]', 0, 0, 'com.example');"
      "INSERT INTO link_tags (tag, link_id) VALUES ('t', 1);"
      "INSERT INTO clicks_hour VALUES (1, 400000, 5, 1);"
      "INSERT INTO clicks_day VALUES (1, 16000, 5, 1);"
      "DELETE FROM links WHERE id = 3;"));
  std::unique_ptr<Store> store = OpenMigrated(path);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(Must(store->FindLink("aB3dE5g")).id, 1);
  EXPECT_EQ(Must(store->FindLink("aB3dE5g")).fields.tags, std::vector<std::string>{"t"});
  EXPECT_EQ(Must(store->FindLink("my-alias")).id, 2);
  EXPECT_TRUE(FailsWith(store->FindLink("gone123"), ErrorCode::kNotFound));
  EXPECT_EQ(OtherConnection(path).QueryText("SELECT count(*) FROM clicks_hour"), "1");
  EXPECT_EQ(OtherConnection(path).QueryText("SELECT count(*) FROM clicks_day"), "1");
  EXPECT_TRUE(FailsWith(store->CreateLink("aB3dE5g", UrlFields("https://e.com/"), kNow),
                        ErrorCode::kAliasTaken));
  const Link generated = Must(store->CreateLink("", UrlFields("https://example.com/4"), kNow));
  EXPECT_EQ(generated.id, 4);
  EXPECT_EQ(Must(store->FindLink(generated.code)).id, 4);
  // Foreign keys are on again: deleting a link deletes what refers to it.
  ASSERT_TRUE(IsOk(store->DeleteLink("aB3dE5g", std::nullopt)));
  EXPECT_EQ(OtherConnection(path).QueryText("SELECT count(*) FROM link_tags"), "0");
  EXPECT_EQ(OtherConnection(path).QueryText("SELECT count(*) FROM clicks_hour"), "0");
  EXPECT_EQ(OtherConnection(path).QueryText("SELECT count(*) FROM clicks_day"), "0");
}

}  // namespace
}  // namespace hop
