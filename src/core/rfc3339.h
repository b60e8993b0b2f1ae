// RFC 3339 timestamps: the only time format in hop's API.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace hop {

// "2026-11-22T19:52:57Z": UTC, whole seconds (sub-second parts are dropped, not rounded).
std::string FormatRfc3339(TimePoint t);
// The same, appended to `out`.
void AppendRfc3339(std::string& out, TimePoint t);

// The most bytes WriteRfc3339 writes: a year of std::chrono's, from -32767 to 32767, and the rest.
inline constexpr size_t kMaxRfc3339Bytes = 24;
// The same, written at `out`, which has room for kMaxRfc3339Bytes; returns the end of the text.
char* WriteRfc3339(char* out, TimePoint t);

// Accepts "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)"; 't' and 'z' in lower case too, and a
// space in place of 'T'. Fractions are kept to the millisecond. Returns nullopt for anything else,
// including impossible dates (2026-02-30) and years outside 1970..9999.
std::optional<TimePoint> ParseRfc3339(std::string_view text);

}  // namespace hop
