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

// {"type","title","status","detail","code"}: as a response, or as the object (for bulk results).
boost::json::object ProblemObject(const Status& status);
Response ProblemResponse(const Status& status);
Response ProblemResponse(ErrorCode code, std::string detail);

// A small HTML page for a person whose browser followed a dead link (404 or 410).
Response HtmlErrorPage(ErrorCode code);

}  // namespace hop
