// GET /api/v1/links/{code}/qr?format=svg|png&size=N: the QR code of a link's short URL.
//
// The image depends only on the base URL and the code, which never change for a link, so clients
// may keep it for a day; "private" because with API keys the link is only the caller's to see.
#include <boost/url/parse.hpp>
#include <charconv>

#include "http/handlers.h"
#include "http/problem.h"
#include "qr/qr_code.h"
#include "qr/qr_png.h"
#include "qr/qr_svg.h"

namespace hop {

namespace {

constexpr int kDefaultSizePx = 256;
constexpr int kMinSizePx = 32;
// Bounds the pixels a single request can make the server draw and compress (2048² bytes).
constexpr int kMaxSizePx = 2048;

enum class QrFormat { kSvg, kPng };

struct QrQuery {
  QrFormat format = QrFormat::kSvg;
  int size_px = kDefaultSizePx;
};

Status BadParam(std::string detail) {
  return Status::Error(ErrorCode::kInvalidRequest, std::move(detail));
}

Result<QrQuery> ParseQrQuery(const Request& request) {
  auto url = boost::urls::parse_origin_form(request.target);
  if (!url) return BadParam("the query string is malformed");
  QrQuery query;
  for (const auto& param : url->params()) {
    if (param.key == "format") {
      if (param.value == "svg") {
        query.format = QrFormat::kSvg;
      } else if (param.value == "png") {
        query.format = QrFormat::kPng;
      } else {
        return BadParam("\"format\" must be svg or png");
      }
    } else if (param.key == "size") {
      const std::string& text = param.value;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), query.size_px);
      if (ec != std::errc() || end != text.data() + text.size() || query.size_px < kMinSizePx ||
          query.size_px > kMaxSizePx) {
        return BadParam("\"size\" must be a whole number of pixels from 32 to 2048");
      }
    }
  }
  return query;
}

Response ImageResponse(std::string body, const char* content_type, std::string_view code,
                       const char* extension) {
  Response response{.status = 200, .headers = {}, .body = std::move(body)};
  response.SetHeader("Content-Type", content_type);
  response.SetHeader("Cache-Control", "private, max-age=86400");
  response.SetHeader("Content-Disposition",
                     "inline; filename=\"" + std::string(code) + "." + extension + "\"");
  response.SetHeader("X-Content-Type-Options", "nosniff");
  // An SVG opened on its own is a document that could run script; this one has none, and the
  // policy makes sure a browser would not run any.
  response.SetHeader("Content-Security-Policy", "default-src 'none'");
  return response;
}

}  // namespace

Response GetLinkQr(ApiContext& api, std::string_view code, const Request& request,
                   const Principal& caller) {
  Result<QrQuery> query = ParseQrQuery(request);
  if (!query.ok()) return ProblemResponse(query.status());
  Result<Link> link = api.links.Get(code, caller);
  if (!link.ok()) return ProblemResponse(link.status());
  Result<QrCode> qr = EncodeQrCode(api.base_url + "/" + link.value().code);
  if (!qr.ok()) return ProblemResponse(qr.status());
  if (query.value().format == QrFormat::kSvg) {
    return ImageResponse(RenderQrSvg(qr.value(), query.value().size_px), "image/svg+xml",
                         link.value().code, "svg");
  }
  Result<std::string> png = RenderQrPng(qr.value(), query.value().size_px);
  if (!png.ok()) return ProblemResponse(png.status());
  return ImageResponse(std::move(png).value(), "image/png", link.value().code, "png");
}

}  // namespace hop
