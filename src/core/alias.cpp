// Alias rules and hop's reserved words.
//
// The reserved list covers the paths hop serves itself and the well-known files browsers, crawlers
// and app stores ask any host for. An alias with a dot can never pass the syntax rule, but those
// names are listed anyway so that the error says "reserved" rather than "invalid character", which
// is the more useful answer to someone who tried "robots.txt".
#include "core/alias.h"

#include <algorithm>
#include <array>
#include <string>

#include "core/ascii.h"
#include "core/short_code.h"

namespace hop {
namespace {

constexpr size_t kMinAliasLength = 3;
constexpr size_t kMaxAliasLength = 64;

// Paths hop serves, or may serve, itself. Both lists are lower case; matching ignores case.
constexpr std::string_view kOwnPaths[] = {
    "api",      "healthz",   "readyz", "health", "metrics", "status", "static", "assets",
    "ui",       "app",       "web",    "admin",  "login",   "logout", "signup", "register",
    "settings", "dashboard", "docs",   "links",  "stats",   "qr",     "s",      "bulk"};
// Files and prefixes that browsers, crawlers and app stores request from any host.
constexpr std::string_view kWellKnownFiles[] = {
    "favicon.ico",  "robots.txt",       "sitemap.xml",          "manifest.json",     "sw.js",
    "index.html",   "apple-touch-icon", "apple-touch-icon.png", "browserconfig.xml", "ads.txt",
    "security.txt", "humans.txt",       "well-known",           ".well-known"};

// The reserved words grouped by length: a word is compared only with those as long as it, since
// the redirect path asks about every code it serves.
constexpr size_t kReservedWords = std::size(kOwnPaths) + std::size(kWellKnownFiles);
constexpr size_t kLongestReserved = 20;
struct WordsByLength {
  std::array<std::string_view, kReservedWords> words;  // shortest first
  std::array<size_t, kLongestReserved + 2> first;      // index of the first word of each length
};

constexpr WordsByLength kReservedByLength = [] {
  WordsByLength by_length{};
  size_t n = 0;
  for (std::string_view word : kOwnPaths) by_length.words[n++] = word;
  for (std::string_view word : kWellKnownFiles) by_length.words[n++] = word;
  std::sort(by_length.words.begin(), by_length.words.end(),
            [](std::string_view a, std::string_view b) { return a.size() < b.size(); });
  for (size_t length = 0, i = 0; length < by_length.first.size(); ++length) {
    while (i < n && by_length.words[i].size() < length) ++i;
    by_length.first[length] = i;
  }
  return by_length;
}();
static_assert(kReservedByLength.words.back().size() <= kLongestReserved);

}  // namespace

bool IsReservedWord(std::string_view word) {
  if (word.size() > kLongestReserved) return false;
  const size_t end = kReservedByLength.first[word.size() + 1];
  for (size_t i = kReservedByLength.first[word.size()]; i < end; ++i) {
    if (EqualsIgnoreAsciiCase(word, kReservedByLength.words[i])) return true;
  }
  return false;
}

Status ValidateAlias(std::string_view alias) {
  if (IsReservedWord(alias)) {
    return Status::Error(ErrorCode::kReservedAlias,
                         "Alias \"" + std::string(alias) + "\" is reserved for hop's own pages");
  }
  if (alias.size() < kMinAliasLength || alias.size() > kMaxAliasLength) {
    return Status::Error(ErrorCode::kInvalidAlias, "Alias must be 3 to 64 characters long, not " +
                                                       std::to_string(alias.size()));
  }
  if (!LooksLikeLinkCode(alias)) {
    return Status::Error(ErrorCode::kInvalidAlias,
                         "Alias may only contain letters, digits, '_' and '-'");
  }
  return Status::Ok();
}

}  // namespace hop
