// Alias rules and hop's reserved words.
//
// The reserved list covers the paths hop serves itself and the well-known files browsers, crawlers
// and app stores ask any host for. An alias with a dot can never pass the syntax rule, but those
// names are listed anyway so that the error says "reserved" rather than "invalid character", which
// is the more useful answer to someone who tried "robots.txt".
#include "core/alias.h"

#include <algorithm>
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

}  // namespace

bool IsReservedWord(std::string_view word) {
  auto matches = [word](std::string_view r) { return EqualsIgnoreAsciiCase(word, r); };
  return std::any_of(std::begin(kOwnPaths), std::end(kOwnPaths), matches) ||
         std::any_of(std::begin(kWellKnownFiles), std::end(kWellKnownFiles), matches);
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
