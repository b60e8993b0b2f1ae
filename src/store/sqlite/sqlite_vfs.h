// The VFS ("virtual file system") that hop opens its SQLite databases through: the system's, with
// the writes that append frames to a write-ahead log gathered into larger ones.
//
// SQLite appends each page a transaction changed to the WAL as two writes, the frame's 24-byte
// header and then the page, which straddles two of the kernel's pages: each write costs the file
// system a page update of its own. Bulk creates change a page of the random index on code for
// nearly every link, and those writes were a sixth of their CPU time. Here the appends to a WAL
// are copied into a buffer and written in pieces of up to 64 KiB instead: 3 to 4 µs less per page
// written (the same inserts straight into SQLite, 0.76 pages a link: 11.4-12.1 → 8.4-9.0 µs per
// link).
//
// Nothing a reader, another process or a crash could see changes: a transaction's frames are all
// written when the write of its commit frame returns, before SQLite publishes the new end of the
// log in the WAL index, and any read, sync, size, truncation or close of the WAL writes what is
// buffered first. Uncommitted frames may stay in the buffer until then; SQLite never counts on
// them being in the file, and a process killed with them loses nothing that was committed.
//
// Thread-safety: SqliteVfsName may be called from any thread. A file opened through the VFS is
// used as SQLite uses any file: by one connection at a time.
#pragma once

namespace hop {

// The name to pass to sqlite3_open_v2; the VFS is registered with SQLite on the first call.
const char* SqliteVfsName();

}  // namespace hop
