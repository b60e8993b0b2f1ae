// Link rows: reading a Link out of the links table and keeping its link_tags rows in step.
//
// Shared by the SqliteStore methods on links; every statement here runs on the connection it is
// given, inside whatever transaction the caller holds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/link.h"
#include "core/link_code_cipher.h"
#include "core/status.h"
#include "store/sqlite/sqlite_connection.h"

namespace hop {

// "SELECT <the link columns> " + `rest`: a query whose rows ReadLinkRow reads. `rest` is constant
// SQL. The columns call link_code(): run it only after SqliteLinkCodes::Cipher succeeded.
std::string SelectLinks(std::string_view rest);

// The Link in the current row of a statement made with SelectLinks. kInternal if its tags are
// corrupt.
Result<Link> ReadLinkRow(const SqliteStatement& row);

// The link with `code`, generated (its id enciphered, see sqlite_link_codes.h) or stored; kNotFound
// when there is none.
Result<Link> FindLinkByCode(SqliteConnection& connection, const LinkCodeCipher& cipher,
                            std::string_view code);

// Adds link_tags rows for a link that has none yet (duplicates collapse).
Status InsertLinkTags(SqliteConnection& connection, int64_t link_id,
                      const std::vector<std::string>& tags);

// Makes the link_tags rows of `link_id` exactly `tags` (duplicates collapse).
Status ReplaceLinkTags(SqliteConnection& connection, int64_t link_id,
                       const std::vector<std::string>& tags);

Status LinkNotFound(std::string_view code);

}  // namespace hop
