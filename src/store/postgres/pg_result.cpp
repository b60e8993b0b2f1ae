// PgResult: PostgreSQL's binary receive format, the mirror of pg_params.cpp.
#include "store/postgres/pg_result.h"

#include <cassert>

#include "store/postgres/pg_types.h"

namespace hop {
namespace {

uint64_t ReadBigEndian(const unsigned char* bytes, int size) {
  uint64_t value = 0;
  for (int i = 0; i < size; ++i) value = (value << 8) | bytes[i];
  return value;
}

}  // namespace

const unsigned char* PgResult::Bytes(int row, int column, [[maybe_unused]] uint32_t type) const {
  assert(PQftype(result_.get(), column) == type);
  assert(PQfformat(result_.get(), column) == 1);
  return reinterpret_cast<const unsigned char*>(PQgetvalue(result_.get(), row, column));
}

int64_t PgResult::Int64(int row, int column) const {
  return static_cast<int64_t>(ReadBigEndian(Bytes(row, column, kPgInt8Oid), 8));
}

int32_t PgResult::Int32(int row, int column) const {
  return static_cast<int32_t>(ReadBigEndian(Bytes(row, column, kPgInt4Oid), 4));
}

bool PgResult::Bool(int row, int column) const { return Bytes(row, column, kPgBoolOid)[0] != 0; }

std::string PgResult::Text(int row, int column) const {
  const unsigned char* bytes = Bytes(row, column, kPgTextOid);
  return std::string(reinterpret_cast<const char*>(bytes),
                     static_cast<size_t>(PQgetlength(result_.get(), row, column)));
}

std::vector<std::string> PgResult::TextArray(int row, int column) const {
  const unsigned char* p = Bytes(row, column, kPgTextArrayOid);
  auto dimensions = static_cast<int32_t>(ReadBigEndian(p, 4));
  p += 12;  // dimensions, has-NULL flag, element type
  std::vector<std::string> elements;
  if (dimensions == 0) return elements;  // '{}'
  auto count = static_cast<int32_t>(ReadBigEndian(p, 4));
  p += 8 * dimensions;  // length and lower bound per dimension; hop's arrays have one
  elements.reserve(static_cast<size_t>(count));
  for (int32_t i = 0; i < count; ++i) {
    auto length = static_cast<int32_t>(ReadBigEndian(p, 4));
    p += 4;
    elements.emplace_back(reinterpret_cast<const char*>(p), static_cast<size_t>(length));
    p += length;
  }
  return elements;
}

}  // namespace hop
