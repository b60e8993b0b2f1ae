// The VFS that gathers WAL appends (store/sqlite/sqlite_vfs.h): every commit is in the files when
// it returns, as a connection through the system's VFS (as another process) reads them, whatever
// the size of the transaction, and when the process is killed with frames still gathered.
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

#include "sqlite_test_support.h"
#include "store/sqlite/sqlite_connection.h"
#include "store_test_support.h"

namespace hop {
namespace {

namespace fs = std::filesystem;

class TempDatabase {
 public:
  TempDatabase() {
    std::string pattern = (fs::temp_directory_path() / "hop-vfs-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    directory_ = pattern;
  }
  ~TempDatabase() {
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
  }
  std::string path() const { return (directory_ / "vfs.db").string(); }

 private:
  fs::path directory_;
};

std::unique_ptr<SqliteConnection> OpenWriter(const std::string& path) {
  return Must(SqliteConnection::Open(path, SqliteConnection::Role::kWriter,
                                     std::chrono::milliseconds(1000)));
}

// `rows` rows of 3,000 random bytes: a page each.
std::string InsertRows(int rows) {
  return "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
         std::to_string(rows) + ") INSERT INTO t (payload) SELECT randomblob(3000) FROM n;";
}

constexpr const char* kCreateTable = "CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB)";

TEST(SqliteVfs, EveryCommitIsInTheFilesWhenItReturns) {
  TempDatabase database;
  std::unique_ptr<SqliteConnection> writer = OpenWriter(database.path());
  ASSERT_TRUE(IsOk(writer->Execute(kCreateTable)));
  OtherConnection other(database.path());
  int rows = 0;
  // From one frame to many times what one write takes; and again once the log has restarted.
  for (const char* between : {"", "PRAGMA wal_checkpoint(TRUNCATE)", "PRAGMA wal_checkpoint"}) {
    for (int batch : {1, 3, 40, 200}) {
      ASSERT_TRUE(IsOk(writer->Execute(InsertRows(batch))));
      rows += batch;
      ASSERT_EQ(other.QueryText("SELECT count(*) FROM t"), std::to_string(rows));
    }
    ASSERT_TRUE(IsOk(writer->Execute(between)));
  }
  EXPECT_EQ(other.QueryText("PRAGMA integrity_check"), "ok");
}

// A transaction larger than the page cache writes pages to the log before it commits, and writes
// a page again in place when it changes it once more; one rolled back leaves frames that the next
// transaction writes over.
TEST(SqliteVfs, TransactionsLargerThanThePageCacheCommitWholeOrNotAtAll) {
  TempDatabase database;
  std::unique_ptr<SqliteConnection> writer = OpenWriter(database.path());
  ASSERT_TRUE(IsOk(writer->Execute(kCreateTable)));
  ASSERT_TRUE(IsOk(writer->Execute("PRAGMA cache_size = 10")));
  OtherConnection other(database.path());

  ASSERT_TRUE(IsOk(writer->Execute("BEGIN; " + InsertRows(500) +
                                   "UPDATE t SET payload = randomblob(2000) WHERE id % 3 = 0; "
                                   "COMMIT;")));
  EXPECT_EQ(other.QueryText("SELECT count(*) FROM t"), "500");
  EXPECT_EQ(other.QueryText("SELECT sum(length(payload)) FROM t"),
            std::to_string(334 * 3000 + 166 * 2000));

  ASSERT_TRUE(IsOk(writer->Execute("BEGIN; " + InsertRows(300) + "ROLLBACK;")));
  ASSERT_TRUE(IsOk(writer->Execute(InsertRows(7))));
  EXPECT_EQ(other.QueryText("SELECT count(*) FROM t"), "507");
  EXPECT_EQ(other.QueryText("PRAGMA integrity_check"), "ok");
}

TEST(SqliteVfs, CommitsSurviveAProcessKilledWithFramesGathered) {
  TempDatabase database;
  ASSERT_TRUE(IsOk(OpenWriter(database.path())->Execute(kCreateTable)));
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    // Only SQLite and _exit here: the parent's other threads do not exist in the child.
    std::unique_ptr<SqliteConnection> writer = OpenWriter(database.path());
    bool ok = writer->Execute("PRAGMA cache_size = 10").ok();
    for (int i = 0; i < 20 && ok; ++i) ok = writer->Execute(InsertRows(i + 1)).ok();
    // A transaction under way, with a few pages written to the log: gathered, not in the file.
    ok = ok && writer->Execute("BEGIN; " + InsertRows(12)).ok();
    if (ok) raise(SIGKILL);
    _exit(1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << status;
  OtherConnection other(database.path());
  EXPECT_EQ(other.QueryText("SELECT count(*) FROM t"), std::to_string(20 * 21 / 2));
  EXPECT_EQ(other.QueryText("PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace hop
