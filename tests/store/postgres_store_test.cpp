// The store contract on PostgreSQL, and what only PostgreSQL has: several hop instances on one
// database, schemas picked by search_path, and a server that can go away and come back.
//
// The server is the one HOP_TEST_POSTGRES_URL names (scripts/with-postgres.sh starts a throwaway
// one and sets it); without it nothing here runs. Each test gets a schema of its own, so tests
// never see each other's links and may run in parallel on one server.
#include <netinet/in.h>
#include <postgresql/libpq-fe.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "click_model.h"
#include "click_race.h"
#include "store/postgres/postgres_store.h"
#include "store_contract.h"
#include "store_test_support.h"

namespace hop {
namespace {

std::string EnvOrEmpty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// A libpq session of its own, standing in for an operator with psql or for another client.
class OtherSession {
 public:
  explicit OtherSession(const std::string& conninfo) : conn_(PQconnectdb(conninfo.c_str())) {}
  ~OtherSession() { PQfinish(conn_); }

  ::testing::AssertionResult Execute(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    ExecStatusType status = PQresultStatus(result);
    PQclear(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << sql << ": " << PQerrorMessage(conn_);
  }

  // The first value of the first row of `sql`, as text ("" when there is none).
  std::string QueryText(const std::string& sql) {
    PGresult* result = PQexec(conn_, sql.c_str());
    std::string text = PQntuples(result) > 0 ? PQgetvalue(result, 0, 0) : "";
    PQclear(result);
    return text;
  }

 private:
  PGconn* conn_;
};

::testing::AssertionResult ExecuteSql(const std::string& conninfo, const std::string& sql) {
  return OtherSession(conninfo).Execute(sql);
}

std::string QueryText(const std::string& conninfo, const std::string& sql) {
  return OtherSession(conninfo).QueryText(sql);
}

// A URI conninfo whose sessions use `schema` (percent-encoded "-c search_path=<schema>").
std::string InSchema(const std::string& url, const std::string& schema) {
  char separator = url.find('?') == std::string::npos ? '?' : '&';
  return url + separator + "options=-csearch_path%3D" + schema;
}

std::string SchemaPrefix() { return "hop_test_" + std::to_string(getpid()) + "_"; }

// A new, empty schema on the test server, named uniquely for this process; returns a conninfo for
// it.
std::string FreshSchema() {
  static std::atomic<int> counter = 0;
  std::string schema = SchemaPrefix() + std::to_string(counter++);
  std::string url = EnvOrEmpty("HOP_TEST_POSTGRES_URL");
  EXPECT_TRUE(ExecuteSql(url, "CREATE SCHEMA " + schema));
  return InSchema(url, schema);
}

// Drops this process's schemas once every test is done, so that a server that outlives the tests
// (a developer's own, named by HOP_TEST_POSTGRES_URL) does not collect them.
class DropSchemasAtExit : public ::testing::Environment {
 public:
  void TearDown() override {
    std::string url = EnvOrEmpty("HOP_TEST_POSTGRES_URL");
    if (url.empty()) return;
    std::string drops =
        QueryText(url,
                  "SELECT string_agg(format('DROP SCHEMA %I CASCADE', nspname), ';') "
                  "FROM pg_namespace WHERE starts_with(nspname, '" +
                      SchemaPrefix() + "')");
    if (!drops.empty()) {
      EXPECT_TRUE(ExecuteSql(url, drops));
    }
  }
};
const ::testing::Environment* const kDropSchemas =
    ::testing::AddGlobalTestEnvironment(new DropSchemasAtExit);

std::unique_ptr<Store> OpenMigrated(const std::string& conninfo) {
  Result<std::unique_ptr<Store>> store = OpenPostgresStore(conninfo);
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

StoreUnderTest MakePostgresUnderTest() {
  const std::string conninfo = FreshSchema();
  return {OpenMigrated(conninfo), [conninfo] {
            const std::string rows = QueryText(conninfo, "SELECT count(*) FROM minute_clicks");
            return rows.empty() ? int64_t{-1} : std::stoll(rows);
          }};
}

std::vector<StoreFactory> PostgresFactories() {
  if (EnvOrEmpty("HOP_TEST_POSTGRES_URL").empty()) return {};
  return {StoreFactory{"Postgres", MakePostgresUnderTest}};
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreContract, ::testing::ValuesIn(PostgresFactories()),
                         FactoryName);

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (EnvOrEmpty("HOP_TEST_POSTGRES_URL").empty())
      GTEST_SKIP() << "HOP_TEST_POSTGRES_URL is not set (run under scripts/with-postgres.sh)";
    conninfo_ = FreshSchema();
  }
  const std::string& conninfo() const { return conninfo_; }

 private:
  std::string conninfo_;
};

TEST_F(PostgresStoreTest, MigrateCreatesTheTablesInTheSearchPathSchemaOnly) {
  std::unique_ptr<Store> store = OpenMigrated(conninfo());
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(QueryText(conninfo(), "SELECT to_regclass('links')::text"), "links");
  EXPECT_EQ(QueryText(conninfo(), "SELECT to_regclass('public.links') IS NULL"), "t");
  EXPECT_TRUE(IsOk(store->Migrate()));  // idempotent
  EXPECT_EQ(QueryText(conninfo(), "SELECT count(*) FROM schema_migrations"), "4");
}

TEST_F(PostgresStoreTest, TablesTheClickFlushRewritesLeaveRoomOnEachPage) {
  std::unique_ptr<Store> store = OpenMigrated(conninfo());
  ASSERT_NE(store, nullptr);
  auto fillfactor = [&](const std::string& table) {
    return QueryText(conninfo(),
                     "SELECT array_to_string(reloptions, ',') FROM pg_class WHERE oid = '" + table +
                         "'::regclass");
  };
  EXPECT_EQ(fillfactor("links"), "fillfactor=80");
  for (const char* table : {"minute_clicks", "clicks_hour", "clicks_day"})
    EXPECT_EQ(fillfactor(table), "fillfactor=70") << table;
}

TEST_F(PostgresStoreTest, InstancesMigratingAtOnceAllSucceed) {
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < 4; ++i) stores.push_back(Must(OpenPostgresStore(conninfo())));
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (auto& store : stores) {
    threads.emplace_back([&store, &failures] {
      if (!store->Migrate().ok()) ++failures;
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(failures, 0);
  EXPECT_EQ(QueryText(conninfo(), "SELECT count(*) FROM schema_migrations"), "4");

  int64_t id = Must(stores[0]->CreateLink("shared", UrlFields("https://example.com/"), kNow)).id;
  EXPECT_TRUE(FailsWith(stores[1]->CreateLink("shared", UrlFields("https://example.com/"), kNow),
                        ErrorCode::kAliasTaken));
  EXPECT_EQ(Must(stores[3]->FindLink("shared")).id, id);
}

TEST_F(PostgresStoreTest, MigrateRefusesASchemaNewerThanItKnows) {
  std::unique_ptr<Store> store = OpenMigrated(conninfo());
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(ExecuteSql(conninfo(), "INSERT INTO schema_migrations (version) VALUES (999)"));
  Status status = store->Migrate();
  EXPECT_TRUE(FailsWith(status, ErrorCode::kInternal));
  EXPECT_NE(status.detail().find("999"), std::string::npos) << status.detail();
}

TEST_F(PostgresStoreTest, StatementBlockedPastTheTimeoutIsUnavailable) {
  // A timeout the operator sets (here in the conninfo's options) replaces hop's default of 10 s.
  std::unique_ptr<Store> store = OpenMigrated(conninfo() + "%20-cstatement_timeout%3D200");
  ASSERT_NE(store, nullptr);
  Must(store->CreateLink("held", UrlFields("https://example.com/"), kNow));
  OtherSession other(conninfo());
  ASSERT_TRUE(other.Execute("BEGIN"));
  ASSERT_TRUE(other.Execute("SELECT * FROM links WHERE code = 'held' FOR UPDATE"));
  LinkPatch patch;
  patch.disabled = true;
  EXPECT_TRUE(FailsWith(store->UpdateLink("held", patch, kNow, std::nullopt),
                        ErrorCode::kStoreUnavailable));
  ASSERT_TRUE(other.Execute("ROLLBACK"));
  EXPECT_TRUE(Must(store->UpdateLink("held", patch, kNow, std::nullopt)).disabled);
}

// Two instances flushing the same links in opposite orders: without a fixed lock order this is the
// textbook deadlock, which PostgreSQL would break by failing one of the flushes.
TEST_F(PostgresStoreTest, FlushesFromSeveralInstancesNeverDeadlockAndAddUpExactly) {
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < 2; ++i) stores.push_back(OpenMigrated(conninfo()));
  ASSERT_NE(stores[1], nullptr);
  std::vector<int64_t> ids;
  for (int i = 0; i < 50; ++i) {
    std::string code = "l" + std::to_string(i);
    ids.push_back(Must(stores[0]->CreateLink(code, UrlFields("https://example.com/"), kNow)).id);
  }
  constexpr int kFlushes = 40;
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      std::vector<MinuteClicks> batch;
      for (int64_t id : ids) batch.push_back(Humans(id, kNowMinute - t, 1));
      if (t % 2 == 1) std::reverse(batch.begin(), batch.end());
      for (int j = 0; j < kFlushes; ++j) {
        Status added = stores[t % 2]->AddClicks(batch);
        if (!added.ok()) {
          ADD_FAILURE() << added.detail();
          ++failures;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(failures, 0);
  const MinuteSpan last_hour[] = {WindowEndingAt(kNowMinute, kMinutesPerHour)};
  for (int64_t id : ids) {
    ClickTotals totals = Must(stores[1]->ReadClickTotals(id, last_hour));
    EXPECT_EQ(totals.total, 4 * kFlushes);
    EXPECT_EQ(totals.span_sums, std::vector<int64_t>{4 * kFlushes});
  }
}

TEST_F(PostgresStoreTest, FlushesOfSeveralInstancesRacingTheirRollUpsLoseNothing) {
  std::vector<std::unique_ptr<Store>> stores;
  for (int i = 0; i < 3; ++i) stores.push_back(OpenMigrated(conninfo()));
  ASSERT_NE(stores[2], nullptr);
  std::vector<int64_t> links;
  for (int i = 0; i < 8; ++i) {
    std::string code = "r" + std::to_string(i);
    links.push_back(Must(stores[0]->CreateLink(code, UrlFields("https://example.com/"), kNow)).id);
  }
  ClickModel model =
      RaceFlushesRollUpsAndReads({stores[0].get(), stores[1].get(), stores[2].get()}, links);
  RollUpAll(*stores[1], kNowMinute + 1);
  int64_t written = 0;
  int64_t counted = 0;
  for (int64_t id : links) {
    EXPECT_TRUE(AnswersMatch(*stores[2], model, id));
    written += model.Totals(id, {}).total;
    counted += Must(stores[0]->FindLink("r" + std::to_string(id - links[0]))).total_clicks;
  }
  EXPECT_EQ(counted, written);
}

// Version 3's minute table, as version 1 created it, with the clicks of `entries` in it and in
// their hours, days and links, as version 3 wrote them.
std::string Version3ClicksOf(const std::vector<MinuteClicks>& entries) {
  std::string sql =
      "CREATE TABLE clicks_minute (link_id bigint NOT NULL REFERENCES links (id) ON DELETE "
      "CASCADE, bucket bigint NOT NULL, clicks bigint NOT NULL, bot_clicks bigint NOT NULL, "
      "PRIMARY KEY (link_id, bucket));";
  const std::pair<const char*, Granularity> tables[] = {{"clicks_minute", Granularity::kMinute},
                                                        {"clicks_hour", Granularity::kHour},
                                                        {"clicks_day", Granularity::kDay}};
  for (const MinuteClicks& entry : entries) {
    for (const auto& [table, granularity] : tables) {
      sql += std::string("INSERT INTO ") + table + " AS c VALUES (" +
             std::to_string(entry.link_id) + ", " +
             std::to_string(BucketOfMinute(granularity, entry.minute)) + ", " +
             std::to_string(entry.humans) + ", " + std::to_string(entry.bots) +
             ") ON CONFLICT (link_id, bucket) DO UPDATE SET clicks = c.clicks + "
             "excluded.clicks, bot_clicks = c.bot_clicks + excluded.bot_clicks;";
    }
    sql += "UPDATE links SET total_clicks = total_clicks + " + std::to_string(entry.humans) +
           ", bot_clicks = bot_clicks + " + std::to_string(entry.bots) +
           " WHERE id = " + std::to_string(entry.link_id) + ";";
  }
  return sql;
}

TEST_F(PostgresStoreTest, MigratingFromVersion3KeepsEveryClickAnswer) {
  std::vector<int64_t> ids;
  {
    std::unique_ptr<Store> store = OpenMigrated(conninfo());
    ASSERT_NE(store, nullptr);
    for (const char* code : {"a", "b"})
      ids.push_back(Must(store->CreateLink(code, UrlFields("https://example.com/"), kNow)).id);
  }
  // Back to version 3: links are as they were, the minute table is the old one.
  ClickModel model;
  std::vector<MinuteClicks> entries;
  for (int64_t id : ids) {
    std::vector<MinuteClicks> clicks = RandomClicks(id, static_cast<unsigned>(id) + 7);
    model.Add(clicks);
    entries.insert(entries.end(), clicks.begin(), clicks.end());
  }
  ASSERT_TRUE(ExecuteSql(conninfo(),
                         "BEGIN; DROP TABLE minute_clicks, click_rollup; "
                         "DELETE FROM schema_migrations WHERE version = 4;" +
                             Version3ClicksOf(entries) + "COMMIT;"));

  std::unique_ptr<Store> store = OpenMigrated(conninfo());
  ASSERT_NE(store, nullptr);
  for (int64_t id : ids) EXPECT_TRUE(AnswersMatch(*store, model, id));
  EXPECT_EQ(QueryText(conninfo(), "SELECT rolled_before_minute FROM click_rollup"),
            QueryText(conninfo(), "SELECT max(bucket) + 1 FROM minute_clicks"));
  std::vector<MinuteClicks> more = {{ids[0], kNowMinute - 10 * kMinutesPerDay, 2, 1},
                                    {ids[1], kNowMinute + 5, 3, 0}};
  ASSERT_TRUE(model.Write(*store, more));
  for (int64_t id : ids) EXPECT_TRUE(AnswersMatch(*store, model, id));
  ASSERT_TRUE(Must(store->RollUpClicks(kNowMinute + 10, 1000)));
  for (int64_t id : ids) EXPECT_TRUE(AnswersMatch(*store, model, id));
  EXPECT_EQ(Must(store->FindLink("b")).total_clicks, model.Totals(ids[1], {}).total);
}

TEST_F(PostgresStoreTest, TagsWithSqlAndArraySyntaxRoundTrip) {
  std::unique_ptr<Store> store = OpenMigrated(conninfo());
  ASSERT_NE(store, nullptr);
  LinkFields fields = UrlFields("https://example.com/");
  fields.tags = {"a,b", "{c}", "\"quoted\"", "back\\slash", "NULL", "'; DROP TABLE links; --", ""};
  fields.title = "it's \"fine\"";
  Must(store->CreateLink("odd", fields, kNow));
  Link link = Must(store->FindLink("odd"));
  EXPECT_EQ(link.fields.tags, fields.tags);
  EXPECT_EQ(link.fields.title, fields.title);
  LinkQuery query;
  query.tag = "NULL";
  EXPECT_EQ(Must(store->ListLinks(query)).links.size(), 1u);
}

// One entry for each of `links` in each of `minutes` minutes, as a flush of a busy second holds.
std::vector<MinuteClicks> FlushOf(const std::vector<int64_t>& links, int minutes) {
  std::vector<MinuteClicks> batch;
  for (int64_t id : links) {
    for (int m = 0; m < minutes; ++m) batch.push_back({id, kNowMinute - m * 7, 3, 1});
  }
  return batch;
}

// Not a benchmark with a bar to pass, but the figure to watch: one flush of a busy second.
TEST_F(PostgresStoreTest, TimesAFlushOfTenThousandEntries) {
  std::unique_ptr<Store> store = OpenMigrated(conninfo());
  ASSERT_NE(store, nullptr);
  std::vector<int64_t> ids;
  for (int i = 0; i < 1000; ++i) {
    std::string code = "bulk" + std::to_string(i);
    ids.push_back(Must(store->CreateLink(code, UrlFields("https://example.com/"), kNow)).id);
  }
  std::vector<MinuteClicks> batch = FlushOf(ids, 10);
  for (const char* pass : {"new buckets", "existing buckets"}) {
    auto start = std::chrono::steady_clock::now();
    ASSERT_TRUE(IsOk(store->AddClicks(batch)));
    auto elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
    std::printf("[ timing   ] AddClicks of %zu entries (%s): %.1f ms\n", batch.size(), pass,
                elapsed.count());
  }
  EXPECT_EQ(Must(store->ReadClickTotals(ids.back(), {})).total, 2 * 10 * 3);
}

TEST_F(PostgresStoreTest, UnmigratedSchemaFailsAsInternal) {
  std::unique_ptr<Store> store = Must(OpenPostgresStore(conninfo()));
  EXPECT_TRUE(IsOk(store->Ping()));
  EXPECT_TRUE(FailsWith(store->FindLink("abc"), ErrorCode::kInternal));
}

TEST(PostgresStoreOpen, RefusesConninfoThatDoesNotParse) {
  EXPECT_TRUE(FailsWith(OpenPostgresStore("postgres://hop@127.0.0.1/hop?nonsense=1"),
                        ErrorCode::kInvalidRequest));
  EXPECT_TRUE(FailsWith(OpenStore("postgresql://hop@127.0.0.1/hop?nonsense=1"),
                        ErrorCode::kInvalidRequest));
}

TEST(PostgresStoreOpen, NoServerListeningIsUnavailable) {
  Status status = OpenStore("postgres://hop@127.0.0.1:1/hop").status();
  EXPECT_TRUE(FailsWith(status, ErrorCode::kStoreUnavailable));
  EXPECT_NE(status.detail().find("127.0.0.1"), std::string::npos) << status.detail();
}

// A PostgreSQL cluster of this test's own, so that stopping it cannot fail the tests that share the
// server of HOP_TEST_POSTGRES_URL. Made with the binaries and as the user that
// scripts/with-postgres.sh uses (HOP_TEST_PG_CTL), next to its cluster (HOP_TEST_PG_DATA), so its
// cleanup removes this one too.
class PrivateCluster {
 public:
  PrivateCluster()
      : pg_ctl_(EnvOrEmpty("HOP_TEST_PG_CTL")),
        parent_(std::filesystem::path(EnvOrEmpty("HOP_TEST_PG_DATA")).parent_path()),
        data_(parent_ / ("outage-" + std::to_string(getpid()))),
        port_(FreePort()) {}
  ~PrivateCluster() {
    Shell(PgCtl("-m immediate stop"));
    std::error_code ignored;
    std::filesystem::remove_all(data_, ignored);
  }

  bool available() const { return !pg_ctl_.empty() && !parent_.empty(); }
  bool Create() {
    std::string initdb = pg_ctl_.substr(0, pg_ctl_.rfind("pg_ctl")) + "initdb";
    return Shell(initdb + " -D " + data_.string() +
                 " -U hop --auth=trust -E UTF8 --no-locale --no-sync");
  }
  bool Start() {
    return Shell(PgCtl("-w -l " + (parent_ / "outage.log").string() + " -o \"-p " +
                       std::to_string(port_) + " -k " + parent_.string() +
                       " -c listen_addresses=127.0.0.1\" start"));
  }
  bool Stop() { return Shell(PgCtl("-w -m fast stop")); }
  std::string url() const {
    return "postgres://hop@127.0.0.1:" + std::to_string(port_) + "/postgres";
  }

 private:
  static int FreePort() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    bind(fd, reinterpret_cast<sockaddr*>(&address), length);
    getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
    close(fd);
    return ntohs(address.sin_port);
  }
  std::string PgCtl(const std::string& args) const {
    return pg_ctl_ + " -D " + data_.string() + " " + args;
  }
  static bool Shell(const std::string& command) {
    return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
  }

  std::string pg_ctl_;
  std::filesystem::path parent_;
  std::filesystem::path data_;
  int port_;
};

// Runs `count` calls of `call` at once, so that every connection of the pool is in use.
template <typename Call>
int FailuresOfConcurrentCalls(int count, Call call) {
  std::atomic<int> failures = 0;
  std::vector<std::thread> threads;
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&] {
      if (!call().ok()) ++failures;
    });
  }
  for (std::thread& thread : threads) thread.join();
  return failures;
}

TEST(PostgresStoreOutage, UnavailableWhileTheServerIsDownAndBackWithoutReopening) {
  PrivateCluster cluster;
  if (!cluster.available()) GTEST_SKIP() << "needs HOP_TEST_PG_CTL and HOP_TEST_PG_DATA";
  ASSERT_TRUE(cluster.Create());
  ASSERT_TRUE(cluster.Start());
  std::unique_ptr<Store> store = OpenMigrated(cluster.url());
  ASSERT_NE(store, nullptr);
  Must(store->CreateLink("survivor", UrlFields("https://example.com/"), kNow));
  auto find = [&] { return store->FindLink("survivor"); };
  ASSERT_EQ(FailuresOfConcurrentCalls(8, find), 0);  // every pooled connection is open now

  ASSERT_TRUE(cluster.Stop());
  Status down = store->Ping();
  EXPECT_TRUE(FailsWith(down, ErrorCode::kStoreUnavailable));
  // After a failed connection attempt, calls fail at once until the next attempt is due, and say
  // so.
  Result<Link> fast = store->FindLink("survivor");
  EXPECT_TRUE(FailsWith(fast, ErrorCode::kStoreUnavailable));
  EXPECT_NE(fast.status().detail().find("hop tries to reconnect"), std::string::npos)
      << fast.status().detail();

  ASSERT_TRUE(cluster.Start());
  // The store finds the server again within its longest retry delay (4 s), and from then on no
  // call fails: connections broken by the restart are replaced before they are used, not
  // discovered by failing a caller's statement.
  auto back_by = std::chrono::steady_clock::now() + std::chrono::seconds(6);
  while (!store->Ping().ok() && std::chrono::steady_clock::now() < back_by)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(IsOk(store->Ping()));
  EXPECT_EQ(FailuresOfConcurrentCalls(8, find), 0);
}

TEST(PostgresStoreOutage, ConnectionsEndedByTheServerAreReplacedBeforeUse) {
  std::string url = EnvOrEmpty("HOP_TEST_POSTGRES_URL");
  if (url.empty()) GTEST_SKIP() << "HOP_TEST_POSTGRES_URL is not set";
  std::string conninfo =
      FreshSchema() + "&application_name=hop_terminated_" + std::to_string(getpid());
  std::unique_ptr<Store> store = OpenMigrated(conninfo);
  ASSERT_NE(store, nullptr);
  Must(store->CreateLink("kept", UrlFields("https://example.com/"), kNow));
  auto find = [&] { return store->FindLink("kept"); };
  ASSERT_EQ(FailuresOfConcurrentCalls(8, find), 0);
  ASSERT_TRUE(ExecuteSql(url,
                         "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE application_name = 'hop_terminated_" +
                             std::to_string(getpid()) + "'"));
  // The server ends a session asynchronously; wait until none is left.
  for (int i = 0; i < 100; ++i) {
    if (QueryText(url,
                  "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                  "'hop_terminated_" +
                      std::to_string(getpid()) + "'") == "0")
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(FailuresOfConcurrentCalls(8, find), 0);
}

// What a change feed reported, for a test thread to wait on.
class FeedLog {
 public:
  LinkChangeHandler Handler() {
    return {.changed =
                [this](const std::string& code) {
                  std::lock_guard lock(mutex_);
                  codes_.push_back(code);
                  cv_.notify_all();
                },
            .all_changed =
                [this] {
                  std::lock_guard lock(mutex_);
                  ++all_changed_;
                  cv_.notify_all();
                }};
  }

  // Waits up to `timeout` for at least `count` codes; returns the codes seen.
  std::vector<std::string> WaitForCodes(size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, timeout, [&] { return codes_.size() >= count; });
    return codes_;
  }
  // Waits up to `timeout` for all_changed to have been reported `count` times.
  bool WaitForAllChanged(int count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return all_changed_ >= count; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::string> codes_;
  int all_changed_ = 0;
};

constexpr std::chrono::milliseconds kReportDeadline{1000};

std::unique_ptr<LinkChangeFeed> Watch(Store& store, FeedLog& log) {
  Result<std::unique_ptr<LinkChangeFeed>> feed = store.WatchLinkChanges(log.Handler());
  EXPECT_TRUE(IsOk(feed));
  return feed.ok() ? std::move(feed).value() : nullptr;
}

TEST_F(PostgresStoreTest, FeedReportsEveryCommittedChangeOfAnotherInstance) {
  std::unique_ptr<Store> writer = OpenMigrated(conninfo());
  std::unique_ptr<Store> watched = OpenMigrated(conninfo());
  ASSERT_NE(watched, nullptr);
  FeedLog log;
  std::unique_ptr<LinkChangeFeed> feed = Watch(*watched, log);
  ASSERT_NE(feed, nullptr);
  // Listening starts with "anything may have changed": nothing was reported before.
  ASSERT_TRUE(log.WaitForAllChanged(1, std::chrono::seconds(5)));

  Must(writer->CreateLink("made", UrlFields("https://example.com/"), kNow));
  EXPECT_EQ(log.WaitForCodes(1, kReportDeadline), std::vector<std::string>{"made"});
  LinkPatch patch;
  patch.disabled = true;
  Must(writer->UpdateLink("made", patch, kNow, std::nullopt));
  EXPECT_EQ(log.WaitForCodes(2, kReportDeadline), (std::vector<std::string>{"made", "made"}));
  ASSERT_TRUE(IsOk(writer->DeleteLink("made", std::nullopt)));
  EXPECT_EQ(log.WaitForCodes(3, kReportDeadline),
            (std::vector<std::string>{"made", "made", "made"}));
}

TEST_F(PostgresStoreTest, FeedReportsEveryLinkABatchCreatedAndNoneItRefused) {
  std::unique_ptr<Store> writer = OpenMigrated(conninfo());
  std::unique_ptr<Store> watched = OpenMigrated(conninfo());
  ASSERT_NE(watched, nullptr);
  Must(writer->CreateLink("old", UrlFields("https://example.com/"), kNow));
  FeedLog log;
  std::unique_ptr<LinkChangeFeed> feed = Watch(*watched, log);
  ASSERT_TRUE(log.WaitForAllChanged(1, std::chrono::seconds(5)));

  const std::vector<NewLink> batch = {{"first", UrlFields("https://example.com/1")},
                                      {"old", UrlFields("https://example.com/2")},
                                      {"second", UrlFields("https://example.com/3")},
                                      {"first", UrlFields("https://example.com/4")}};
  std::vector<Result<Link>> results = Must(writer->CreateLinks(batch, kNow));
  ASSERT_TRUE(IsOk(results[0]) && IsOk(results[2]));
  std::vector<std::string> codes = log.WaitForCodes(2, kReportDeadline);
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(codes, (std::vector<std::string>{"first", "second"}));
  // Nothing else was reported: the next change is the next report.
  Must(writer->CreateLink("marker", UrlFields("https://example.com/"), kNow));
  EXPECT_EQ(log.WaitForCodes(3, kReportDeadline).back(), "marker");
}

TEST_F(PostgresStoreTest, FeedIsSilentAboutWhatDoesNotChangeALink) {
  std::unique_ptr<Store> store = OpenMigrated(conninfo());
  ASSERT_NE(store, nullptr);
  int64_t id = Must(store->CreateLink("kept", UrlFields("https://example.com/"), kNow)).id;
  int64_t limited_id = 0;
  {
    LinkFields fields = UrlFields("https://example.com/");
    fields.max_visits = 5;
    limited_id = Must(store->CreateLink("limited", fields, kNow)).id;
  }
  FeedLog log;
  std::unique_ptr<LinkChangeFeed> feed = Watch(*store, log);
  ASSERT_TRUE(log.WaitForAllChanged(1, std::chrono::seconds(5)));

  // A taken alias, changes and deletes of nothing, click flushes and visit claims: none of them
  // may cost the other instances their cached links.
  EXPECT_TRUE(FailsWith(store->CreateLink("kept", UrlFields("https://example.org/"), kNow),
                        ErrorCode::kAliasTaken));
  LinkPatch patch;
  patch.disabled = true;
  EXPECT_TRUE(
      FailsWith(store->UpdateLink("absent", patch, kNow, std::nullopt), ErrorCode::kNotFound));
  EXPECT_TRUE(FailsWith(store->DeleteLink("absent", std::nullopt), ErrorCode::kNotFound));
  const MinuteClicks clicks[] = {Humans(id, kNowMinute, 3)};
  ASSERT_TRUE(IsOk(store->AddClicks(clicks)));
  ASSERT_TRUE(IsOk(store->ClaimVisit(limited_id)));
  // A change after all of them is the first thing reported.
  Must(store->CreateLink("marker", UrlFields("https://example.com/"), kNow));
  EXPECT_EQ(log.WaitForCodes(1, kReportDeadline), std::vector<std::string>{"marker"});
}

TEST_F(PostgresStoreTest, FeedThatLostItsSessionListensAgainAndReportsThatAllMayHaveChanged) {
  const std::string name = "hop_feed_" + std::to_string(getpid());
  std::unique_ptr<Store> store = OpenMigrated(conninfo() + "&application_name=" + name);
  ASSERT_NE(store, nullptr);
  FeedLog log;
  std::unique_ptr<LinkChangeFeed> feed = Watch(*store, log);
  ASSERT_TRUE(log.WaitForAllChanged(1, std::chrono::seconds(5)));

  std::string url = EnvOrEmpty("HOP_TEST_POSTGRES_URL");
  ASSERT_TRUE(ExecuteSql(url,
                         "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                         "WHERE application_name = '" +
                             name + "' AND query LIKE 'LISTEN%'"));
  EXPECT_TRUE(log.WaitForAllChanged(2, std::chrono::seconds(5)));
  Must(store->CreateLink("after", UrlFields("https://example.com/"), kNow));
  EXPECT_EQ(log.WaitForCodes(1, kReportDeadline), std::vector<std::string>{"after"});
}

}  // namespace
}  // namespace hop
