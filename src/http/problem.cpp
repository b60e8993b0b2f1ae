#include "http/problem.h"

#include <boost/json.hpp>

namespace hop {

int HttpStatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidJson:
    case ErrorCode::kInvalidRequest:
    case ErrorCode::kInvalidUrl:
    case ErrorCode::kInvalidAlias:
    case ErrorCode::kReservedAlias:
    case ErrorCode::kBlockedUrl:
      return 400;
    case ErrorCode::kUnauthorized:
      return 401;
    case ErrorCode::kForbidden:
      return 403;
    case ErrorCode::kNotFound:
      return 404;
    case ErrorCode::kMethodNotAllowed:
      return 405;
    case ErrorCode::kAliasTaken:
      return 409;
    case ErrorCode::kGone:
      return 410;
    case ErrorCode::kPayloadTooLarge:
      return 413;
    case ErrorCode::kUnsupportedMediaType:
      return 415;
    case ErrorCode::kRateLimited:
      return 429;
    case ErrorCode::kStoreUnavailable:
      return 503;
    case ErrorCode::kInternal:
      return 500;
  }
  return 500;
}

namespace {

const char* TitleOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidJson:
      return "The body is not valid JSON";
    case ErrorCode::kInvalidRequest:
      return "The request is not valid";
    case ErrorCode::kInvalidUrl:
      return "The URL cannot be shortened";
    case ErrorCode::kInvalidAlias:
      return "The alias is not valid";
    case ErrorCode::kReservedAlias:
      return "The alias is reserved";
    case ErrorCode::kAliasTaken:
      return "The alias is already taken";
    case ErrorCode::kBlockedUrl:
      return "The URL's host is blocked";
    case ErrorCode::kNotFound:
      return "Not found";
    case ErrorCode::kGone:
      return "This link is no longer available";
    case ErrorCode::kUnauthorized:
      return "Authentication required";
    case ErrorCode::kForbidden:
      return "Forbidden";
    case ErrorCode::kPayloadTooLarge:
      return "The request is too large";
    case ErrorCode::kUnsupportedMediaType:
      return "Unsupported media type";
    case ErrorCode::kMethodNotAllowed:
      return "Method not allowed";
    case ErrorCode::kRateLimited:
      return "Too many requests";
    case ErrorCode::kStoreUnavailable:
      return "The store is unavailable";
    case ErrorCode::kInternal:
      return "Internal error";
  }
  return "Internal error";
}

}  // namespace

boost::json::object ProblemObject(const Status& status, int http_status) {
  const std::string_view name = ErrorCodeName(status.code());
  boost::json::object body;
  body["type"] = "urn:hop:problem:" + std::string(name);
  body["title"] = TitleOf(status.code());
  body["status"] = http_status != 0 ? http_status : HttpStatusOf(status.code());
  body["detail"] = status.detail();
  body["code"] = name;
  return body;
}

Response ProblemResponse(const Status& status, int http_status) {
  if (http_status == 0) http_status = HttpStatusOf(status.code());
  Response response{.status = http_status,
                    .headers = {},
                    .body = boost::json::serialize(ProblemObject(status, http_status))};
  response.SetHeader("Content-Type", "application/problem+json");
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

Response ProblemResponse(ErrorCode code, std::string detail) {
  return ProblemResponse(Status::Error(code, std::move(detail)));
}

Response HtmlErrorPage(ErrorCode code) {
  const bool gone = code == ErrorCode::kGone;
  const char* heading = gone ? "This link is no longer available" : "This link does not exist";
  const char* text = gone ? "It was disabled, has expired, or reached its visit limit."
                          : "Check the address for typos: short links are case-sensitive.";
  Response response{.status = HttpStatusOf(code), .headers = {}, .body = {}};
  response.body = std::string("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">") +
                  "<meta name=\"viewport\" content=\"width=device-width\"><title>" + heading +
                  "</title></head><body style=\"font-family:system-ui,sans-serif;margin:3rem\">" +
                  "<h1>" + heading + "</h1><p>" + text + "</p></body></html>";
  response.SetHeader("Content-Type", "text/html; charset=utf-8");
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

}  // namespace hop
