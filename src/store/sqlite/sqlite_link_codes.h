// SqliteLinkCodes: the codes of generated links, which the SQLite store does not store (schema
// version 7).
//
// A generated link's row has no code: its code is its id enciphered under the database's own key
// (core/link_code_cipher.h; the key is in the table link_code_key). So an insert touches no index
// of random codes, which was most of what a bulk create cost. Rows that do hold a code are links
// whose code a user chose (aliases) and links created before version 7, whose random codes stay
// as they were; a unique index covers those. SQL reads any link's code as link_code(id, code), an
// application function on every connection of the store.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>

#include "core/link_code_cipher.h"
#include "core/status.h"

struct sqlite3;

namespace hop {

class SqliteConnection;

class SqliteLinkCodes {
 public:
  // The cipher under the database's key, read through `connection` the first time. kInternal
  // when the database has no key yet: it was not migrated to version 7.
  Result<const LinkCodeCipher*> Cipher(SqliteConnection& connection);

  // Gives `db` the SQL function link_code(id, code): `code` when it is not NULL, else the code
  // generated for `id`. The function fails (an SQL error) until Cipher has succeeded once: the
  // store asks for the cipher before any statement that calls it.
  void AddSqlFunction(sqlite3* db);

 private:
  std::mutex mutex_;
  std::unique_ptr<const LinkCodeCipher> cipher_;        // set once, guarded by mutex_
  std::atomic<const LinkCodeCipher*> loaded_{nullptr};  // cipher_, once set
};

}  // namespace hop
