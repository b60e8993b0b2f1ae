// The embedded web UI (http/web_assets.h) as ServeWebUi answers it: content types, caching,
// revalidation and the security headers every UI response carries.
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "http/handlers.h"
#include "http/web_assets.h"

namespace hop {
namespace {

Response Get(std::string target, std::string if_none_match = {}) {
  Request request{.method = "GET", .target = std::move(target), .headers = {}, .body = {}};
  if (!if_none_match.empty()) request.headers.emplace_back("If-None-Match", if_none_match);
  return ServeWebUi(request);
}

std::string HeaderOf(const Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) return v;
  }
  return {};
}

// The paths index.html loads: src="/assets/..." and href="/assets/...".
std::set<std::string> AssetsNamedBy(const std::string& html) {
  std::set<std::string> paths;
  const std::regex ref(R"re((?:src|href)="(/assets/[^"]+)")re");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), ref); it != std::sregex_iterator();
       ++it) {
    paths.insert((*it)[1]);
  }
  return paths;
}

TEST(WebUi, IndexIsHtmlThatBrowsersMustRevalidate) {
  Response r = Get("/");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache");
  EXPECT_TRUE(std::regex_match(HeaderOf(r, "ETag"), std::regex(R"("[0-9a-f]{20}")")))
      << HeaderOf(r, "ETag");
  EXPECT_NE(r.body.find("<!doctype html>"), std::string::npos);
  EXPECT_EQ(r.body.find("{{assets}}"), std::string::npos) << "placeholders must be filled in";
}

TEST(WebUi, EveryUiResponseCarriesTheSecurityHeaders) {
  for (const WebAsset& asset : WebAssets()) {
    Response r = Get(std::string(asset.path));
    const std::string csp = HeaderOf(r, "Content-Security-Policy");
    for (const char* directive :
         {"default-src 'self'", "img-src 'self' data: blob:", "style-src 'self'",
          "script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"}) {
      EXPECT_NE(csp.find(directive), std::string::npos) << asset.path << ": " << directive;
    }
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << asset.path;
    EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff") << asset.path;
    EXPECT_EQ(HeaderOf(r, "X-Frame-Options"), "DENY") << asset.path;
    EXPECT_EQ(HeaderOf(r, "Referrer-Policy"), "no-referrer") << asset.path;
  }
}

TEST(WebUi, EveryAssetIndexLoadsIsServedImmutableWithItsContentType) {
  const std::set<std::string> paths = AssetsNamedBy(Get("/").body);
  ASSERT_GE(paths.size(), 4u) << "index.html should load the app, its styles and uPlot";
  for (const std::string& path : paths) {
    Response r = Get(path);
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "public, max-age=31536000, immutable") << path;
    const std::string type = HeaderOf(r, "Content-Type");
    const char* expected =
        path.ends_with(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
    EXPECT_EQ(type, expected) << path;
    EXPECT_FALSE(r.body.empty()) << path;
  }
}

TEST(WebUi, ModulesImportOnlyFilesThatAreEmbedded) {
  std::set<std::string> names;
  for (const WebAsset& asset : WebAssets()) names.insert(std::string(asset.path));
  const std::regex import_from(R"re(from '\./([^']+)')re");
  int imports = 0;
  for (const WebAsset& asset : WebAssets()) {
    if (!asset.path.ends_with(".js") || asset.path.find("/vendor/") != std::string_view::npos) {
      continue;
    }
    const std::string body(asset.body());
    const std::string dir(asset.path.substr(0, asset.path.rfind('/') + 1));
    for (auto it = std::sregex_iterator(body.begin(), body.end(), import_from);
         it != std::sregex_iterator(); ++it) {
      ++imports;
      EXPECT_TRUE(names.contains(dir + std::string((*it)[1])))
          << asset.path << " imports " << (*it)[1];
    }
  }
  EXPECT_GT(imports, 5) << "the app's modules import each other";
}

TEST(WebUi, MatchingIfNoneMatchIs304WithoutBody) {
  const std::string etag = HeaderOf(Get("/"), "ETag");
  for (const std::string& header : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    Response r = Get("/", header);
    EXPECT_EQ(r.status, 304) << header;
    EXPECT_TRUE(r.body.empty()) << header;
    EXPECT_EQ(HeaderOf(r, "ETag"), etag) << header;
    EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache") << header;
  }
  EXPECT_EQ(Get("/", "\"other\"").status, 200);
}

TEST(WebUi, UnknownFileIs404Problem) {
  Response r = Get("/assets/nothing-here.js");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(HeaderOf(r, "Content-Type"), "application/problem+json");
}

}  // namespace
}  // namespace hop
