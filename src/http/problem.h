// Problems: every error hop answers, as an RFC 9457 application/problem+json body.
//
// This is the one place where an ErrorCode becomes an HTTP status; handlers return a Status and
// never pick a status code for an error themselves.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "core/status.h"
#include "http/message.h"

namespace hop {

int HttpStatusOf(ErrorCode code);

// The one status that no ErrorCode maps to: an oversized header section is invalid_request, but the
// client deserves the status that says which part was too large.
inline constexpr int kRequestHeaderFieldsTooLarge = 431;

// {"type","title","status","detail","code"}: as a response, or as the object (for bulk results).
// `http_status` overrides HttpStatusOf(code) in both the status line and the body.
boost::json::object ProblemObject(const Status& status, int http_status = 0);
Response ProblemResponse(const Status& status, int http_status = 0);
Response ProblemResponse(ErrorCode code, std::string detail);

// A small HTML page for a person whose browser followed a dead link (404 or 410).
Response HtmlErrorPage(ErrorCode code);

}  // namespace hop
