// PgResult: the rows a PostgreSQL statement returned, decoded from PostgreSQL's binary format.
//
// hop asks for every result in binary (see pg_params.h for why), so a bigint arrives as eight bytes
// and a tag list as a length-prefixed array: nothing is parsed from text. A getter must match the
// column's SQL type, which the statement fixes with casts where the type is not obvious (sum() is
// numeric, so statements say sum(...)::bigint); debug builds assert it.
#pragma once

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hop {

class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result) {}

  int rows() const { return PQntuples(result_.get()); }

  bool IsNull(int row, int column) const { return PQgetisnull(result_.get(), row, column) != 0; }
  int64_t Int64(int row, int column) const;  // bigint
  int32_t Int32(int row, int column) const;  // integer
  bool Bool(int row, int column) const;      // boolean
  std::string Text(int row, int column) const;
  std::vector<std::string> TextArray(int row, int column) const;  // text[] without NULL elements

  std::optional<int64_t> OptionalInt64(int row, int column) const {
    return IsNull(row, column) ? std::nullopt : std::optional(Int64(row, column));
  }
  std::optional<std::string> OptionalText(int row, int column) const {
    return IsNull(row, column) ? std::nullopt : std::optional(Text(row, column));
  }

 private:
  struct Clear {
    void operator()(PGresult* result) const { PQclear(result); }
  };

  const unsigned char* Bytes(int row, int column, uint32_t type) const;

  std::unique_ptr<PGresult, Clear> result_;
};

}  // namespace hop
