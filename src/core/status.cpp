// The problem codes' wire names. They are part of the public API (DESIGN.md section 2): clients
// match on them, so a name never changes once released.
#include "core/status.h"

namespace hop {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidJson:
      return "invalid_json";
    case ErrorCode::kInvalidRequest:
      return "invalid_request";
    case ErrorCode::kInvalidUrl:
      return "invalid_url";
    case ErrorCode::kInvalidAlias:
      return "invalid_alias";
    case ErrorCode::kReservedAlias:
      return "reserved_alias";
    case ErrorCode::kAliasTaken:
      return "alias_taken";
    case ErrorCode::kBlockedUrl:
      return "blocked_url";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kGone:
      return "gone";
    case ErrorCode::kUnauthorized:
      return "unauthorized";
    case ErrorCode::kForbidden:
      return "forbidden";
    case ErrorCode::kPayloadTooLarge:
      return "payload_too_large";
    case ErrorCode::kUnsupportedMediaType:
      return "unsupported_media_type";
    case ErrorCode::kMethodNotAllowed:
      return "method_not_allowed";
    case ErrorCode::kRateLimited:
      return "rate_limited";
    case ErrorCode::kStoreUnavailable:
      return "store_unavailable";
    case ErrorCode::kInternal:
      return "internal";
  }
  // Only a value cast from outside the enum gets here; the switch has no default so that a new code
  // without a name fails to compile (-Wswitch).
  return "internal";
}

}  // namespace hop
