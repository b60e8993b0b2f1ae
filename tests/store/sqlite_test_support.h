// Helpers of the SQLite store tests: database files in a temporary directory that goes away at
// exit, stores opened and migrated on them, and a connection of its own standing in for another
// process.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "store/sqlite/sqlite_store.h"

namespace hop {

// A directory for this test process's databases, removed with everything in it at exit.
class TempDirectory {
 public:
  TempDirectory() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "hop-store-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A new database file path, unique within the process.
inline std::string FreshPath() {
  static TempDirectory directory;
  static std::atomic<int> counter = 0;
  return (directory.path() / ("store-" + std::to_string(counter++) + ".db")).string();
}

inline std::unique_ptr<Store> OpenMigrated(const std::string& path,
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

inline int64_t CountMinuteRows(const std::string& path) {
  return std::stoll(OtherConnection(path).QueryText("SELECT count(*) FROM minute_clicks"));
}

}  // namespace hop
