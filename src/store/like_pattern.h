// LIKE patterns for the text filter of ListLinks.
//
// The filter is a plain substring, so the user's % and _ must match themselves, not any text: they
// are escaped with a backslash, and the SQL says ESCAPE '\'. Both SQLite's LIKE and PostgreSQL's
// ILIKE accept the same pattern.
#pragma once

#include <string>
#include <string_view>

namespace hop {

inline constexpr char kLikeEscape = '\\';

// "%" + `text` with %, _ and \ escaped + "%".
std::string SubstringLikePattern(std::string_view text);

}  // namespace hop
