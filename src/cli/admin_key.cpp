// The first admin key: generate, write to a private file, store, put the file in place.
#include "cli/admin_key.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/api_key.h"

namespace hop {
namespace {

constexpr char kAdminKeyName[] = "admin";

Status FileError(const std::string& what, const std::string& path) {
  return Status::Error(ErrorCode::kInternal,
                       "cannot " + what + " " + path + ": " + std::strerror(errno));
}

// Writes `text` to a new file at `path` with mode 0600, whatever the umask.
Status WritePrivateFile(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, S_IRUSR | S_IWUSR);
  if (fd < 0) return FileError("create", path);
  bool ok = ::fchmod(fd, S_IRUSR | S_IWUSR) == 0 &&
            ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  Status status = ok ? Status::Ok() : FileError("write", path);
  ::close(fd);
  return status;
}

}  // namespace

Result<std::string> EnsureAdminKey(Store& store, const Clock& clock, const std::string& data_dir) {
  Result<std::vector<ApiKey>> keys = store.ListApiKeys();
  if (!keys.ok()) return keys.status();
  if (!keys.value().empty()) return std::string();

  const std::string path = (std::filesystem::path(data_dir) / "admin.key").string();
  const std::string pending = path + ".new";
  const std::string secret = GenerateApiKey();
  if (Status s = WritePrivateFile(pending, secret + "\n"); !s.ok()) return s;
  ApiKey key;
  key.name = kAdminKeyName;
  key.hash = HashApiKey(secret);
  key.role = Role::kAdmin;
  key.created_at = clock.Now();
  Result<ApiKey> created = store.CreateApiKey(key);
  if (!created.ok()) {
    ::unlink(pending.c_str());
    // Another instance on this store won the race for the first key.
    if (created.status().code() == ErrorCode::kInvalidRequest) return std::string();
    return created.status();
  }
  if (::rename(pending.c_str(), path.c_str()) != 0) return FileError("rename to", path);
  return path;
}

}  // namespace hop
