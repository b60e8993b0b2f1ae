// OpenStore: from a store spec on the command line to a Store.
#include <filesystem>
#include <string>
#include <system_error>

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace hop {
namespace {

constexpr std::string_view kSqliteScheme = "sqlite:";

Result<std::unique_ptr<Store>> OpenSqlite(std::string_view path) {
  if (path.empty()) {
    return Status::Error(
        ErrorCode::kInvalidRequest,
        "the store spec \"sqlite:\" needs a file path, as in sqlite:hop-data/hop.db");
  }
  // The data directory of a first run does not exist yet; SQLite creates the file but not its
  // folder.
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  std::error_code error;
  if (!parent.empty()) std::filesystem::create_directories(parent, error);
  if (error) {
    return Status::Error(ErrorCode::kStoreUnavailable,
                         "cannot create the directory \"" + parent.string() +
                             "\" for the SQLite database: " + error.message());
  }
  return OpenSqliteStore(std::string(path));
}

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(std::string_view spec) {
  if (spec.starts_with(kSqliteScheme)) return OpenSqlite(spec.substr(kSqliteScheme.size()));
  if (spec.starts_with("postgres://") || spec.starts_with("postgresql://")) {
    return OpenPostgresStore(spec);
  }
  return Status::Error(ErrorCode::kInvalidRequest,
                       "unknown store \"" + std::string(spec) +
                           "\": use sqlite:PATH or postgres://USER@HOST/DATABASE");
}

}  // namespace hop
