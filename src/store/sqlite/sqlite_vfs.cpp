// The VFS: a shim over the system's that gathers WAL appends (see sqlite_vfs.h).
//
// Only appends are gathered: a write that starts where the file's previous write ended. Those are
// the frames of a transaction, written in order; everything else SQLite writes to a WAL (its
// header after a restart, a page rewritten in place, a checksum rewritten after the commit) goes
// to the file at once, after what is gathered. The write that ends a commit frame writes
// everything, so the transaction is in the file when SQLite goes on to publish it.
#include "store/sqlite/sqlite_vfs.h"

#include <sqlite3.h>

#include <cstdlib>
#include <mutex>
#include <new>
#include <vector>

namespace hop {
namespace {

constexpr int kWalFrameHeaderBytes = 24;
// The most one write takes from the buffer. The system VFS writes at most 128 KiB - 1 bytes per
// call (unix: seekAndWriteFd masks the size with 0x1ffff), and from a few dozen frames on a larger
// write saves nothing more.
constexpr size_t kMaxGatheredBytes = 64 * 1024;

// A file opened through the VFS. SQLite allocates szOsFile bytes for it: this object, then the
// system VFS's file.
struct File {
  sqlite3_file base{};  // first, so that SQLite can treat a File as a sqlite3_file
  sqlite3_file* system = nullptr;
  bool is_wal = false;
  File* wal = nullptr;       // of a database file: its WAL, while both are open
  File* database = nullptr;  // of a WAL: its database file
  // A WAL's appends not written yet: the bytes at `gathered_at` and on.
  std::vector<char> gathered;
  sqlite3_int64 gathered_at = 0;
  sqlite3_int64 last_write_end = -1;  // where the previous write to the file ended
  bool commit_frame_started = false;  // the previous write was a commit frame's header
};

constexpr size_t kFileBytes = (sizeof(File) + 7) / 8 * 8;

sqlite3_vfs* system_vfs = nullptr;
sqlite3_vfs vfs;
sqlite3_io_methods io_methods;

File& AsFile(sqlite3_file* file) { return *reinterpret_cast<File*>(file); }

const sqlite3_io_methods& System(const File& file) { return *file.system->pMethods; }

// A WAL frame header whose second field, the database size after a commit, is set: the frame that
// ends a transaction (https://sqlite.org/fileformat2.html#walformat).
bool IsCommitFrameHeader(const void* data, int amount) {
  if (amount != kWalFrameHeaderBytes) return false;
  const auto* header = static_cast<const unsigned char*>(data);
  return (header[4] | header[5] | header[6] | header[7]) != 0;
}

int WriteGathered(File& file) {
  if (file.gathered.empty()) return SQLITE_OK;
  const int rc = System(file).xWrite(file.system, file.gathered.data(),
                                     static_cast<int>(file.gathered.size()), file.gathered_at);
  file.gathered.clear();
  return rc;
}

int Close(sqlite3_file* handle) {
  File& file = AsFile(handle);
  const int written = WriteGathered(file);
  if (file.database != nullptr) file.database->wal = nullptr;
  if (file.wal != nullptr) file.wal->database = nullptr;
  const int closed = System(file).xClose(file.system);
  file.~File();
  return written != SQLITE_OK ? written : closed;
}

int Read(sqlite3_file* handle, void* data, int amount, sqlite3_int64 offset) {
  File& file = AsFile(handle);
  if (int rc = WriteGathered(file); rc != SQLITE_OK) return rc;
  return System(file).xRead(file.system, data, amount, offset);
}

int WriteWal(File& file, const void* data, int amount, sqlite3_int64 offset) {
  const bool appends = offset == file.last_write_end;
  const bool ends_commit = file.commit_frame_started;
  file.last_write_end = offset + amount;
  file.commit_frame_started = IsCommitFrameHeader(data, amount);
  const size_t bytes = static_cast<size_t>(amount);
  if (!appends || file.gathered.size() + bytes > kMaxGatheredBytes) {
    if (int rc = WriteGathered(file); rc != SQLITE_OK) return rc;
  }
  if (!appends || bytes > kMaxGatheredBytes) {
    return System(file).xWrite(file.system, data, amount, offset);
  }
  if (file.gathered.empty()) {
    file.gathered.reserve(kMaxGatheredBytes);
    file.gathered_at = offset;
  }
  const auto* bytes_in = static_cast<const char*>(data);
  file.gathered.insert(file.gathered.end(), bytes_in, bytes_in + bytes);
  return ends_commit ? WriteGathered(file) : SQLITE_OK;
}

int Write(sqlite3_file* handle, const void* data, int amount, sqlite3_int64 offset) {
  File& file = AsFile(handle);
  if (file.is_wal) return WriteWal(file, data, amount, offset);
  return System(file).xWrite(file.system, data, amount, offset);
}

int Truncate(sqlite3_file* handle, sqlite3_int64 size) {
  File& file = AsFile(handle);
  if (int rc = WriteGathered(file); rc != SQLITE_OK) return rc;
  return System(file).xTruncate(file.system, size);
}

int Sync(sqlite3_file* handle, int flags) {
  File& file = AsFile(handle);
  if (int rc = WriteGathered(file); rc != SQLITE_OK) return rc;
  return System(file).xSync(file.system, flags);
}

int FileSize(sqlite3_file* handle, sqlite3_int64* size) {
  File& file = AsFile(handle);
  if (int rc = WriteGathered(file); rc != SQLITE_OK) return rc;
  return System(file).xFileSize(file.system, size);
}

int Lock(sqlite3_file* handle, int level) {
  File& file = AsFile(handle);
  return System(file).xLock(file.system, level);
}

int Unlock(sqlite3_file* handle, int level) {
  File& file = AsFile(handle);
  return System(file).xUnlock(file.system, level);
}

int CheckReservedLock(sqlite3_file* handle, int* locked) {
  File& file = AsFile(handle);
  return System(file).xCheckReservedLock(file.system, locked);
}

// Some controls change the file (a size hint allocates it, for one), so they come after the
// gathered writes.
int FileControl(sqlite3_file* handle, int op, void* arg) {
  File& file = AsFile(handle);
  if (int rc = WriteGathered(file); rc != SQLITE_OK) return rc;
  return System(file).xFileControl(file.system, op, arg);
}

int SectorSize(sqlite3_file* handle) {
  File& file = AsFile(handle);
  return System(file).xSectorSize(file.system);
}

int DeviceCharacteristics(sqlite3_file* handle) {
  File& file = AsFile(handle);
  return System(file).xDeviceCharacteristics(file.system);
}

int ShmMap(sqlite3_file* handle, int region, int size, int extend, void volatile** memory) {
  File& file = AsFile(handle);
  return System(file).xShmMap(file.system, region, size, extend, memory);
}

int ShmLock(sqlite3_file* handle, int offset, int count, int flags) {
  File& file = AsFile(handle);
  return System(file).xShmLock(file.system, offset, count, flags);
}

// SQLite publishes a new end of the log in the WAL index around a barrier. Every commit has been
// written by then (the write that ended its commit frame wrote it); this holds to it should a
// future SQLite write its frames in another pattern. The barrier cannot report an error, and
// publishing frames that are not in the file would hand readers pages that do not exist.
void ShmBarrier(sqlite3_file* handle) {
  File& file = AsFile(handle);
  if (file.wal != nullptr && WriteGathered(*file.wal) != SQLITE_OK) std::abort();
  System(file).xShmBarrier(file.system);
}

int ShmUnmap(sqlite3_file* handle, int delete_it) {
  File& file = AsFile(handle);
  return System(file).xShmUnmap(file.system, delete_it);
}

int Fetch(sqlite3_file* handle, sqlite3_int64 offset, int amount, void** pointer) {
  File& file = AsFile(handle);
  return System(file).xFetch(file.system, offset, amount, pointer);
}

int Unfetch(sqlite3_file* handle, sqlite3_int64 offset, void* pointer) {
  File& file = AsFile(handle);
  return System(file).xUnfetch(file.system, offset, pointer);
}

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* handle, int flags, int* out_flags) {
  File* file = new (handle) File;
  file->system = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(handle) + kFileBytes);
  const int rc = system_vfs->xOpen(system_vfs, name, file->system, flags, out_flags);
  if (rc != SQLITE_OK) {
    file->~File();
    handle->pMethods = nullptr;  // SQLite closes no file that failed to open
    return rc;
  }
  if (file->system->pMethods->iVersion < io_methods.iVersion) {
    System(*file).xClose(file->system);
    file->~File();
    handle->pMethods = nullptr;
    return SQLITE_CANTOPEN;
  }
  file->base.pMethods = &io_methods;
  if ((flags & SQLITE_OPEN_WAL) != 0) {
    file->is_wal = true;
    // The database file was opened through this VFS too: it is the one that names this WAL.
    file->database = &AsFile(sqlite3_database_file_object(name));
    file->database->wal = file;
  }
  return SQLITE_OK;
}

// The VFS's other calls are the system's, given the system's VFS.
int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return system_vfs->xDelete(system_vfs, name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* result) {
  return system_vfs->xAccess(system_vfs, name, flags, result);
}
int FullPathname(sqlite3_vfs*, const char* name, int size, char* out) {
  return system_vfs->xFullPathname(system_vfs, name, size, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) { return system_vfs->xDlOpen(system_vfs, name); }
void DlError(sqlite3_vfs*, int size, char* out) { system_vfs->xDlError(system_vfs, size, out); }
void (*DlSym(sqlite3_vfs*, void* library, const char* symbol))(void) {
  return system_vfs->xDlSym(system_vfs, library, symbol);
}
void DlClose(sqlite3_vfs*, void* library) { system_vfs->xDlClose(system_vfs, library); }
int Randomness(sqlite3_vfs*, int size, char* out) {
  return system_vfs->xRandomness(system_vfs, size, out);
}
int Sleep(sqlite3_vfs*, int microseconds) { return system_vfs->xSleep(system_vfs, microseconds); }
int CurrentTime(sqlite3_vfs*, double* now) { return system_vfs->xCurrentTime(system_vfs, now); }
int GetLastError(sqlite3_vfs*, int size, char* out) {
  return system_vfs->xGetLastError(system_vfs, size, out);
}
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* now) {
  return system_vfs->xCurrentTimeInt64(system_vfs, now);
}

// The system VFS and its files must offer what this one forwards: version 2 of the VFS (for
// CurrentTimeInt64) and version 3 of the file methods (memory-mapped reads); Linux's unix VFS
// does, and Open refuses a file that does not.
bool Register() {
  system_vfs = sqlite3_vfs_find(nullptr);
  if (system_vfs == nullptr || system_vfs->iVersion < 2) return false;
  vfs = sqlite3_vfs{
      .iVersion = 2,
      .szOsFile = static_cast<int>(kFileBytes) + system_vfs->szOsFile,
      .mxPathname = system_vfs->mxPathname,
      .pNext = nullptr,
      .zName = "hop",
      .pAppData = nullptr,
      .xOpen = Open,
      .xDelete = Delete,
      .xAccess = Access,
      .xFullPathname = FullPathname,
      .xDlOpen = DlOpen,
      .xDlError = DlError,
      .xDlSym = DlSym,
      .xDlClose = DlClose,
      .xRandomness = Randomness,
      .xSleep = Sleep,
      .xCurrentTime = CurrentTime,
      .xGetLastError = GetLastError,
      .xCurrentTimeInt64 = CurrentTimeInt64,
      // Version 3's, not offered.
      .xSetSystemCall = nullptr,
      .xGetSystemCall = nullptr,
      .xNextSystemCall = nullptr,
  };
  io_methods = sqlite3_io_methods{
      .iVersion = 3,
      .xClose = Close,
      .xRead = Read,
      .xWrite = Write,
      .xTruncate = Truncate,
      .xSync = Sync,
      .xFileSize = FileSize,
      .xLock = Lock,
      .xUnlock = Unlock,
      .xCheckReservedLock = CheckReservedLock,
      .xFileControl = FileControl,
      .xSectorSize = SectorSize,
      .xDeviceCharacteristics = DeviceCharacteristics,
      .xShmMap = ShmMap,
      .xShmLock = ShmLock,
      .xShmBarrier = ShmBarrier,
      .xShmUnmap = ShmUnmap,
      .xFetch = Fetch,
      .xUnfetch = Unfetch,
  };
  return sqlite3_vfs_register(&vfs, 0) == SQLITE_OK;
}

}  // namespace

const char* SqliteVfsName() {
  static const bool registered = Register();
  return registered ? vfs.zName : nullptr;
}

}  // namespace hop
