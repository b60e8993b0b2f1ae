// OpenStore: from a store spec on the command line to a Store.
#include <dlfcn.h>

#include <filesystem>
#include <string>
#include <system_error>

#include "store/postgres/postgres_module.h"
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

// The module is looked for next to the running binary (where the build puts it, and where an
// installation keeps it), then where this build made it, for test binaries that live elsewhere. It
// stays loaded: stores and their threads run its code until the process ends.
Result<OpenPostgresStoreFunction> LoadPostgresModule() {
  std::error_code error;
  const std::filesystem::path binary = std::filesystem::read_symlink("/proc/self/exe", error);
  std::string reasons;
  for (const std::filesystem::path& candidate :
       {binary.parent_path() / kPostgresModuleFile,
        std::filesystem::path(HOP_POSTGRES_MODULE_BUILT)}) {
    void* module = ::dlopen(candidate.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (module == nullptr) {
      reasons += std::string("; ") + ::dlerror();
      continue;
    }
    if (void* open = ::dlsym(module, kOpenPostgresStoreSymbol)) {
      return reinterpret_cast<OpenPostgresStoreFunction>(open);
    }
    reasons += "; " + candidate.string() + " has no " + kOpenPostgresStoreSymbol;
  }
  return Status::Error(ErrorCode::kInternal, "cannot load the PostgreSQL store module " +
                                                 std::string(kPostgresModuleFile) + reasons);
}

Result<std::unique_ptr<Store>> OpenPostgres(std::string_view conninfo) {
  static const Result<OpenPostgresStoreFunction> open = LoadPostgresModule();
  if (!open.ok()) return open.status();
  Result<std::unique_ptr<Store>> store =
      Status::Error(ErrorCode::kInternal, "the PostgreSQL store module answered nothing");
  open.value()(conninfo, &store);
  return store;
}

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(std::string_view spec) {
  if (spec.starts_with(kSqliteScheme)) return OpenSqlite(spec.substr(kSqliteScheme.size()));
  if (spec.starts_with("postgres://") || spec.starts_with("postgresql://")) {
    return OpenPostgres(spec);
  }
  return Status::Error(ErrorCode::kInvalidRequest,
                       "unknown store \"" + std::string(spec) +
                           "\": use sqlite:PATH or postgres://USER@HOST/DATABASE");
}

}  // namespace hop
