// GET / and GET /assets/...: the web UI, answered from the files embedded in the binary.
//
// index.html must be revalidated on every load (no-cache), so a new build's UI shows at once; the
// assets it names carry their build's version in the path and are cached for a year. Both carry an
// ETag, and a matching If-None-Match gets a 304 without the body.
#include <algorithm>

#include "http/handlers.h"
#include "http/problem.h"
#include "http/web_assets.h"

namespace hop {

namespace {

// The UI loads only its own scripts and styles and talks only to its own origin; QR images arrive
// as blob: URLs. No inline script or style is allowed, so injected markup cannot run.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const WebAsset* FindWebAsset(std::string_view path) {
  const std::span<const WebAsset> assets = WebAssets();
  auto it = std::find_if(assets.begin(), assets.end(),
                         [path](const WebAsset& asset) { return asset.path == path; });
  return it == assets.end() ? nullptr : &*it;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 9110 section 13.1.2: If-None-Match compares weakly, so "W/" prefixes are ignored, and "*"
// matches any current representation.
bool NoneMatchHits(std::string_view header, std::string_view etag) {
  while (!header.empty()) {
    const size_t comma = header.find(',');
    std::string_view tag = Trim(header.substr(0, comma));
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == "*" || tag == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

void SetUiHeaders(Response& response, const WebAsset& asset) {
  response.SetHeader("ETag", std::string(asset.etag));
  response.SetHeader("Cache-Control",
                     asset.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  response.SetHeader("Content-Security-Policy", kContentSecurityPolicy);
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Referrer-Policy", "no-referrer");
}

}  // namespace

Response ServeWebUi(const Request& request) {
  const WebAsset* asset = FindWebAsset(request.Path());
  if (!asset) return ProblemResponse(ErrorCode::kNotFound, "there is no such file in the web UI");
  Response response{.status = 200, .headers = {}, .body = {}};
  SetUiHeaders(response, *asset);
  if (NoneMatchHits(request.Header("If-None-Match"), asset->etag)) {
    response.status = 304;
    return response;
  }
  response.SetHeader("Content-Type", std::string(asset->content_type));
  response.body = std::string(asset->body());
  return response;
}

}  // namespace hop
