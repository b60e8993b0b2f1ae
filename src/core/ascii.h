// ASCII case folding and control-character tests, shared by the core's validators.
//
// The identifiers hop compares without case (URL schemes and hosts, reserved words, User-Agent
// markers) are ASCII, and folding only 'A'..'Z' keeps the result independent of the C locale, which
// std::tolower is not.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>

namespace hop {

inline char ToLowerAscii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string ToLowerAscii(std::string_view s) {
  std::string lower(s);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) { return ToLowerAscii(c); });
  return lower;
}

inline bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return ToLowerAscii(x) == ToLowerAscii(y); });
}

// True for ASCII controls, DEL, and the C1 controls U+0080..U+009F in their UTF-8 form (C2 80..C2
// 9F), which terminals and some renderers act on just like the ASCII ones.
inline bool HasControlCharacter(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < s.size()) {
      auto next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return true;
    }
  }
  return false;
}

}  // namespace hop
