// LIKE patterns for substring search.
#include "store/like_pattern.h"

namespace hop {

std::string SubstringLikePattern(std::string_view text) {
  std::string pattern = "%";
  pattern.reserve(text.size() + 2);
  for (char c : text) {
    if (c == '%' || c == '_' || c == kLikeEscape) pattern += kLikeEscape;
    pattern += c;
  }
  pattern += '%';
  return pattern;
}

}  // namespace hop
