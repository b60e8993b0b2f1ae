// The PostgreSQL types hop exchanges in binary, by their OIDs. Built-in OIDs are fixed in the
// server's catalog and never change between versions, so they are constants here rather than looked
// up.
#pragma once

#include <cstdint>

namespace hop {

inline constexpr uint32_t kPgBoolOid = 16;
inline constexpr uint32_t kPgInt8Oid = 20;
inline constexpr uint32_t kPgInt4Oid = 23;
inline constexpr uint32_t kPgTextOid = 25;
inline constexpr uint32_t kPgTextArrayOid = 1009;

}  // namespace hop
