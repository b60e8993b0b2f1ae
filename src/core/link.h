// Link: a short code and where it leads, with the options that shape its redirect.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace hop {

// The fields a creator chooses, and who the creator is. Validated by ValidateLinkFields before it
// reaches a store.
struct LinkFields {
  std::string url;  // normalized target
  std::optional<std::string> title;
  std::vector<std::string> tags;
  std::optional<TimePoint> expires_at;
  std::optional<int64_t> max_visits;
  int redirect_status = 302;
  bool forward_query = false;
  // The API key that created the link: set by the service from the caller's key, never from the
  // request body, and never changed. None for links created anonymously.
  std::optional<int64_t> owner_key_id;
};

struct Link {
  int64_t id = 0;  // store-assigned; clicks are keyed by it, so a re-used code never inherits stats
  std::string code;
  LinkFields fields;
  bool disabled = false;
  TimePoint created_at;
  TimePoint updated_at;
  int64_t visits = 0;  // redirects granted against max_visits (all instances)
  // All-time clicks; as the store returns a link, those rolled up so far (store.h).
  int64_t total_clicks = 0;  // human clicks
  int64_t bot_clicks = 0;    // HEAD requests and known bots
};

// A partial update: an absent member is left alone; for nullable fields an engaged-but-empty inner
// optional clears the value.
struct LinkPatch {
  std::optional<std::string> url;  // normalized
  std::optional<std::optional<std::string>> title;
  std::optional<std::vector<std::string>> tags;
  std::optional<std::optional<TimePoint>> expires_at;
  std::optional<std::optional<int64_t>> max_visits;
  std::optional<int> redirect_status;
  std::optional<bool> forward_query;
  std::optional<bool> disabled;

  bool empty() const {
    return !url && !title && !tags && !expires_at && !max_visits && !redirect_status &&
           !forward_query && !disabled;
  }
};

inline constexpr size_t kMaxTitleBytes = 512;
inline constexpr size_t kMaxTags = 20;
inline constexpr size_t kMaxTagBytes = 64;

bool IsRedirectStatus(int status);  // 301, 302, 307, 308

// kInvalidRequest naming the first field that breaks a rule: title length, tag
// count/length/characters, max_visits >= 1, redirect_status. The URL is checked by
// NormalizeTargetUrl, expiry by the service.
Status ValidateLinkFields(const LinkFields& fields);
Status ValidateLinkPatch(const LinkPatch& patch);

// Why a link no longer redirects, if it doesn't: disabled, past its expiry, or out of visits.
enum class LinkState { kActive, kDisabled, kExpired, kExhausted };
LinkState StateOf(const Link& link, TimePoint now);

}  // namespace hop
