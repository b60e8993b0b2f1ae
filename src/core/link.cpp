// Field rules for links, shared by create and update, and the state a link is in at a given time.
#include "core/link.h"

#include <string_view>

#include "core/ascii.h"

namespace hop {
namespace {

Status Invalid(std::string detail) {
  return Status::Error(ErrorCode::kInvalidRequest, std::move(detail));
}

Status CheckTitle(const std::string& title) {
  if (title.size() > kMaxTitleBytes) {
    return Invalid("title must be at most 512 bytes, not " + std::to_string(title.size()));
  }
  return Status::Ok();
}

// Commas are refused because tags travel comma-separated in CSV exports and the `tag` filter.
Status CheckTags(const std::vector<std::string>& tags) {
  if (tags.size() > kMaxTags) {
    return Invalid("a link may have at most 20 tags, not " + std::to_string(tags.size()));
  }
  for (const std::string& tag : tags) {
    if (tag.empty() || tag.size() > kMaxTagBytes) {
      return Invalid("each tag must be 1 to 64 bytes long, not " + std::to_string(tag.size()));
    }
    if (HasControlCharacter(tag) || tag.find(',') != std::string::npos) {
      return Invalid("tags may not contain commas or control characters");
    }
  }
  return Status::Ok();
}

Status CheckMaxVisits(int64_t max_visits) {
  if (max_visits < 1) {
    return Invalid("max_visits must be at least 1, not " + std::to_string(max_visits));
  }
  return Status::Ok();
}

Status CheckRedirectStatus(int status) {
  if (!IsRedirectStatus(status)) {
    return Invalid("redirect_status must be 301, 302, 307 or 308, not " + std::to_string(status));
  }
  return Status::Ok();
}

}  // namespace

bool IsRedirectStatus(int status) {
  return status == 301 || status == 302 || status == 307 || status == 308;
}

Status ValidateLinkFields(const LinkFields& fields) {
  if (fields.title) {
    if (Status s = CheckTitle(*fields.title); !s.ok()) return s;
  }
  if (Status s = CheckTags(fields.tags); !s.ok()) return s;
  if (fields.max_visits) {
    if (Status s = CheckMaxVisits(*fields.max_visits); !s.ok()) return s;
  }
  return CheckRedirectStatus(fields.redirect_status);
}

Status ValidateLinkPatch(const LinkPatch& patch) {
  if (patch.title && *patch.title) {
    if (Status s = CheckTitle(**patch.title); !s.ok()) return s;
  }
  if (patch.tags) {
    if (Status s = CheckTags(*patch.tags); !s.ok()) return s;
  }
  if (patch.max_visits && *patch.max_visits) {
    if (Status s = CheckMaxVisits(**patch.max_visits); !s.ok()) return s;
  }
  if (patch.redirect_status) return CheckRedirectStatus(*patch.redirect_status);
  return Status::Ok();
}

// Disabled wins over expired, and expired over exhausted: the answer names the owner's deliberate
// choice first, then the one fixed in advance, then the one that depends on traffic.
LinkState StateOf(const Link& link, TimePoint now) {
  if (link.disabled) return LinkState::kDisabled;
  if (link.fields.expires_at && now >= *link.fields.expires_at) return LinkState::kExpired;
  if (link.fields.max_visits && link.visits >= *link.fields.max_visits)
    return LinkState::kExhausted;
  return LinkState::kActive;
}

}  // namespace hop
