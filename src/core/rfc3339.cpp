// RFC 3339 formatting and a strict parser.
//
// libstdc++ 12 has no std::chrono::parse, and sscanf-style parsing accepts too much (signs, short
// fields, trailing junk), so the grammar is walked by hand: fixed-width digit fields, then the
// calendar check that std::chrono::year_month_day::ok() provides.
#include "core/rfc3339.h"

#include <cstdio>
#include <cstring>

namespace hop {
namespace {

// Reads the fixed-width decimal field at `*pos`, advancing past it; false if any character is not a
// digit.
bool ReadDigits(std::string_view text, size_t* pos, size_t width, int* out) {
  if (text.size() - *pos < width) return false;
  int value = 0;
  for (size_t i = 0; i < width; ++i) {
    char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *pos += width;
  *out = value;
  return true;
}

bool ReadChar(std::string_view text, size_t* pos, char expected) {
  if (*pos >= text.size() || text[*pos] != expected) return false;
  ++*pos;
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The optional ".fraction" at `*pos`, as milliseconds; digits past the third are dropped.
bool ReadFraction(std::string_view text, size_t* pos, int* millis) {
  *millis = 0;
  if (*pos >= text.size() || text[*pos] != '.') return true;
  ++*pos;
  size_t start = *pos;
  while (*pos < text.size() && IsDigit(text[*pos])) {
    if (*pos - start < 3) *millis = *millis * 10 + (text[*pos] - '0');
    ++*pos;
  }
  size_t digits = *pos - start;
  if (digits == 0) return false;
  for (size_t i = digits; i < 3; ++i) *millis *= 10;
  return true;
}

// The zone designator at `*pos` as an offset east of UTC, in minutes.
bool ReadOffset(std::string_view text, size_t* pos, int* offset_minutes) {
  if (*pos >= text.size()) return false;
  char c = text[(*pos)++];
  if (c == 'Z' || c == 'z') {
    *offset_minutes = 0;
    return true;
  }
  if (c != '+' && c != '-') return false;
  int hours, minutes;
  if (!ReadDigits(text, pos, 2, &hours) || !ReadChar(text, pos, ':') ||
      !ReadDigits(text, pos, 2, &minutes) || hours > 23 || minutes > 59) {
    return false;
  }
  *offset_minutes = (c == '+' ? 1 : -1) * (hours * 60 + minutes);
  return true;
}

}  // namespace

std::string FormatRfc3339(TimePoint t) {
  std::string text;
  AppendRfc3339(text, t);
  return text;
}

void AppendRfc3339(std::string& out, TimePoint t) {
  char text[kMaxRfc3339Bytes];
  out.append(text, WriteRfc3339(text, t));
}

char* WriteRfc3339(char* out, TimePoint t) {
  using namespace std::chrono;
  sys_days day = floor<days>(t);
  year_month_day ymd(day);
  hh_mm_ss<seconds> time(floor<seconds>(t) - day);
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    const int written = std::snprintf(
        out, kMaxRfc3339Bytes, "%04d-%02u-%02uT%02d:%02d:%02dZ", year,
        static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
        static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
        static_cast<int>(time.seconds().count()));
    return out + written;
  }
  // The common case by hand: every link in an API answer carries two of these, and snprintf
  // costs ten times as much.
  std::memcpy(out, "0000-00-00T00:00:00Z", 20);
  auto put = [out](size_t end, int value) {
    for (size_t i = end; value > 0; value /= 10) out[--i] = static_cast<char>('0' + value % 10);
  };
  put(4, year);
  put(7, static_cast<int>(static_cast<unsigned>(ymd.month())));
  put(10, static_cast<int>(static_cast<unsigned>(ymd.day())));
  put(13, static_cast<int>(time.hours().count()));
  put(16, static_cast<int>(time.minutes().count()));
  put(19, static_cast<int>(time.seconds().count()));
  return out + 20;
}

std::optional<TimePoint> ParseRfc3339(std::string_view text) {
  using namespace std::chrono;
  size_t pos = 0;
  int y, mo, d, h, mi, s, ms, offset;
  if (!ReadDigits(text, &pos, 4, &y) || !ReadChar(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &mo) || !ReadChar(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &d)) {
    return std::nullopt;
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ')) {
    return std::nullopt;
  }
  ++pos;
  if (!ReadDigits(text, &pos, 2, &h) || !ReadChar(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &mi) || !ReadChar(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &s) || !ReadFraction(text, &pos, &ms) ||
      !ReadOffset(text, &pos, &offset) || pos != text.size()) {
    return std::nullopt;
  }
  // Leap seconds (:60) are refused: hop's clock, like the system's, has no place for them.
  if (y < 1970 || h > 23 || mi > 59 || s > 59) return std::nullopt;
  year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  return TimePoint(sys_days(ymd)) + hours(h) + minutes(mi - offset) + seconds(s) + Millis(ms);
}

}  // namespace hop
