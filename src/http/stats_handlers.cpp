#include <boost/url/parse.hpp>

#include "core/rfc3339.h"
#include "http/handlers.h"
#include "http/json_body.h"
#include "http/problem.h"

namespace hop {

namespace {

const char* StepName(Granularity g) {
  switch (g) {
    case Granularity::kMinute:
      return "minute";
    case Granularity::kHour:
      return "hour";
    case Granularity::kDay:
      return "day";
  }
  return "hour";
}

Status BadParam(std::string_view message) {
  return Status::Error(ErrorCode::kInvalidRequest, std::string(message));
}

Result<SeriesRequest> ParseSeriesQuery(const Request& request) {
  auto url = boost::urls::parse_origin_form(request.target);
  if (!url) return BadParam("the query string is malformed");
  SeriesRequest series;
  for (const auto& param : url->params()) {
    if (param.key == "step") {
      if (param.value == "minute") {
        series.step = Granularity::kMinute;
      } else if (param.value == "hour") {
        series.step = Granularity::kHour;
      } else if (param.value == "day") {
        series.step = Granularity::kDay;
      } else {
        return BadParam("\"step\" must be minute, hour or day");
      }
    } else if (param.key == "from" || param.key == "to") {
      std::optional<TimePoint> t = ParseRfc3339(param.value);
      if (!t) return BadParam("\"" + param.key + "\" must be an RFC 3339 time");
      (param.key == "from" ? series.from : series.to) = t;
    }
  }
  return series;
}

}  // namespace

Response GetLinkStats(ApiContext& api, std::string_view code, const Principal& caller) {
  Result<LinkStats> stats = api.stats.Stats(code, caller);
  if (!stats.ok()) return ProblemResponse(stats.status());
  const LinkStats& s = stats.value();
  return JsonResponse(200, boost::json::object{{"code", s.code},
                                               {"total", s.total},
                                               {"last_24h", s.last_24h},
                                               {"last_7d", s.last_7d},
                                               {"last_30d", s.last_30d},
                                               {"bots", s.bots},
                                               {"as_of", FormatRfc3339(s.as_of)}});
}

Response GetLinkSeries(ApiContext& api, std::string_view code, const Request& request,
                       const Principal& caller) {
  Result<SeriesRequest> query = ParseSeriesQuery(request);
  if (!query.ok()) return ProblemResponse(query.status());
  Result<Series> series = api.stats.ReadSeries(code, query.value(), caller);
  if (!series.ok()) return ProblemResponse(series.status());
  boost::json::array points;
  points.reserve(series.value().points.size());
  for (const SeriesPoint& p : series.value().points) {
    points.push_back(boost::json::object{{"t", FormatRfc3339(p.t)}, {"count", p.count}});
  }
  return JsonResponse(200, boost::json::object{{"step", StepName(series.value().step)},
                                               {"from", FormatRfc3339(series.value().from)},
                                               {"to", FormatRfc3339(series.value().to)},
                                               {"points", std::move(points)}});
}

}  // namespace hop
