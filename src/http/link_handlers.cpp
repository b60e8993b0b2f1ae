#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <charconv>

#include "http/handlers.h"
#include "http/json_body.h"
#include "http/link_json.h"
#include "http/problem.h"
#include "service/log.h"

namespace hop {

namespace {

constexpr size_t kMaxBulkLinks = 1000;

Result<int64_t> ParsePositiveInt(std::string_view text, std::string_view name) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 1) {
    return Status::Error(ErrorCode::kInvalidRequest,
                         "\"" + std::string(name) + "\" must be a positive integer");
  }
  return value;
}

Result<LinkQuery> ParseListQuery(const Request& request) {
  auto url = boost::urls::parse_origin_form(request.target);
  if (!url) return Status::Error(ErrorCode::kInvalidRequest, "the query string is malformed");
  LinkQuery query;
  for (const auto& param : url->params()) {
    if (param.key == "limit") {
      Result<int64_t> limit = ParsePositiveInt(param.value, "limit");
      if (!limit.ok() || limit.value() > 1000) {
        return Status::Error(ErrorCode::kInvalidRequest, "\"limit\" must be 1 to 1000");
      }
      query.limit = static_cast<int>(limit.value());
    } else if (param.key == "cursor") {
      Result<int64_t> cursor = ParsePositiveInt(param.value, "cursor");
      if (!cursor.ok()) {
        return Status::Error(ErrorCode::kInvalidRequest, "\"cursor\" is not one this API gave out");
      }
      query.before_id = cursor.value();
    } else if (param.key == "q" && !param.value.empty()) {
      query.text = param.value;
    } else if (param.key == "tag" && !param.value.empty()) {
      query.tag = param.value;
    }
  }
  return query;
}

Result<CreateLinkRequest> ParseBulkItem(const boost::json::value& item) {
  if (!item.is_object()) {
    return Status::Error(ErrorCode::kInvalidRequest, "each item must be a JSON object");
  }
  return ParseCreateLink(item.as_object());
}

// Answers with make(), usually on the thread that committed the links. An exception must not
// escape there, where it would end the process: a failure to build the answer answers 500 instead.
template <typename Make>
void AnswerCommitted(const Respond& respond, Make make) {
  Response response;
  try {
    response = make();
  } catch (const std::exception& e) {
    LogLine(std::string("internal error while answering a create: ") + e.what());
    response = ProblemResponse(ErrorCode::kInternal, "an internal error occurred");
  }
  respond(std::move(response));
}

Response CreatedResponse(const ApiContext& api, const Result<Link>& link) {
  if (!link.ok()) return ProblemResponse(link.status());
  Response response = JsonTextResponse(201, LinkJson(link.value(), api.base_url));
  response.SetHeader("Location", "/api/v1/links/" + link.value().code);
  return response;
}

// {"results":[{"link":{..}}|{"error":{..}}, ...]}, written as text: see AppendLinkJson.
Response BulkResponse(const ApiContext& api, const std::vector<Result<Link>>& links) {
  std::string body = "{\"results\":[";
  body.reserve(512 * links.size());
  for (const Result<Link>& link : links) {
    if (body.back() != '[') body += ',';
    if (link.ok()) {
      body += "{\"link\":";
      AppendLinkJson(body, link.value(), api.base_url);
    } else {
      body += "{\"error\":";
      body += boost::json::serialize(ProblemObject(link.status()));
    }
    body += '}';
  }
  body += "]}";
  return JsonTextResponse(200, std::move(body));
}

}  // namespace

void CreateLink(ApiContext& api, const Request& request, const Principal& caller, Respond respond) {
  Result<boost::json::object> body = ParseJsonObject(request);
  if (!body.ok()) return respond(ProblemResponse(body.status()));
  Result<CreateLinkRequest> create = ParseCreateLink(body.value());
  if (!create.ok()) return respond(ProblemResponse(create.status()));
  std::vector<Result<CreateLinkRequest>> requests;
  requests.push_back(std::move(create));
  api.links.Create(std::move(requests), caller,
                   [&api, respond = std::move(respond)](std::vector<Result<Link>> links) {
                     AnswerCommitted(respond, [&] { return CreatedResponse(api, links.front()); });
                   });
}

void CreateLinksInBulk(ApiContext& api, const Request& request, const Principal& caller,
                       Respond respond) {
  // The thousand items' values come from one arena, freed at once, not one by one from the heap.
  boost::json::monotonic_resource arena;
  Result<boost::json::object> body = ParseJsonObject(request, &arena);
  if (!body.ok()) return respond(ProblemResponse(body.status()));
  if (Status s = RejectUnknownFields(body.value(), {"links"}); !s.ok()) {
    return respond(ProblemResponse(s));
  }
  const boost::json::value* links = body.value().if_contains("links");
  if (!links || !links->is_array() || links->as_array().size() > kMaxBulkLinks) {
    return respond(ProblemResponse(ErrorCode::kInvalidRequest,
                                   "\"links\" must be an array of at most 1000 create requests"));
  }
  std::vector<Result<CreateLinkRequest>> requests;
  requests.reserve(links->as_array().size());
  for (const boost::json::value& item : links->as_array()) requests.push_back(ParseBulkItem(item));
  // The valid items are written together, in one transaction (service/link_creator.h).
  api.links.Create(std::move(requests), caller,
                   [&api, respond = std::move(respond)](std::vector<Result<Link>> created) {
                     AnswerCommitted(respond, [&] { return BulkResponse(api, created); });
                   });
}

Response ListLinks(ApiContext& api, const Request& request, const Principal& caller) {
  Result<LinkQuery> query = ParseListQuery(request);
  if (!query.ok()) return ProblemResponse(query.status());
  Result<LinkPage> page = api.links.List(query.value(), caller);
  if (!page.ok()) return ProblemResponse(page.status());
  std::string body = "{\"items\":[";
  for (const Link& link : page.value().links) {
    if (body.back() != '[') body += ',';
    AppendLinkJson(body, link, api.base_url);
  }
  body += "],\"next_cursor\":";
  body += page.value().next_before_id ? "\"" + std::to_string(*page.value().next_before_id) + "\""
                                      : std::string("null");
  body += '}';
  return JsonTextResponse(200, std::move(body));
}

Response GetLink(ApiContext& api, std::string_view code, const Principal& caller) {
  Result<Link> link = api.links.Get(code, caller);
  if (!link.ok()) return ProblemResponse(link.status());
  return JsonTextResponse(200, LinkJson(link.value(), api.base_url));
}

Response UpdateLink(ApiContext& api, std::string_view code, const Request& request,
                    const Principal& caller) {
  Result<boost::json::object> body = ParseJsonObject(request);
  if (!body.ok()) return ProblemResponse(body.status());
  Result<LinkPatch> patch = ParseLinkPatch(body.value());
  if (!patch.ok()) return ProblemResponse(patch.status());
  Result<Link> link = api.links.Update(code, std::move(patch).value(), caller);
  if (!link.ok()) return ProblemResponse(link.status());
  return JsonTextResponse(200, LinkJson(link.value(), api.base_url));
}

Response DeleteLink(ApiContext& api, std::string_view code, const Principal& caller) {
  if (Status s = api.links.Delete(code, caller); !s.ok()) return ProblemResponse(s);
  return Response{.status = 204, .headers = {}, .body = {}};
}

}  // namespace hop
