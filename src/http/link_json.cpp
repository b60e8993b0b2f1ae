#include "http/link_json.h"

#include <boost/json/array.hpp>

#include "core/rfc3339.h"
#include "http/json_body.h"

namespace hop {

namespace {

boost::json::value OptionalTime(const std::optional<TimePoint>& t) {
  if (!t) return nullptr;
  return boost::json::value(FormatRfc3339(*t));
}

Status MissingUrl() { return Status::Error(ErrorCode::kInvalidRequest, "\"url\" is required"); }

Result<int> ReadRedirectStatus(const boost::json::object& body) {
  std::optional<int64_t> status;
  if (Status s = ReadInt(body, "redirect_status", status); !s.ok()) return s;
  if (status && !IsRedirectStatus(static_cast<int>(*status))) {
    return Status::Error(ErrorCode::kInvalidRequest,
                         "\"redirect_status\" must be 301, 302, 307 or 308");
  }
  return status ? static_cast<int>(*status) : 0;
}

}  // namespace

boost::json::object LinkToJson(const Link& link, std::string_view base_url) {
  boost::json::object o;
  o["code"] = link.code;
  o["short_url"] = std::string(base_url) + "/" + link.code;
  o["url"] = link.fields.url;
  o["title"] = link.fields.title ? boost::json::value(*link.fields.title) : nullptr;
  boost::json::array tags;
  for (const std::string& tag : link.fields.tags) tags.emplace_back(tag);
  o["tags"] = std::move(tags);
  o["created_at"] = FormatRfc3339(link.created_at);
  o["updated_at"] = FormatRfc3339(link.updated_at);
  o["expires_at"] = OptionalTime(link.fields.expires_at);
  o["max_visits"] = link.fields.max_visits ? boost::json::value(*link.fields.max_visits) : nullptr;
  o["redirect_status"] = link.fields.redirect_status;
  o["forward_query"] = link.fields.forward_query;
  o["disabled"] = link.disabled;
  o["total_clicks"] = link.total_clicks;
  return o;
}

Result<CreateLinkRequest> ParseCreateLink(const boost::json::object& body) {
  if (Status s = RejectUnknownFields(body, {"url", "alias", "title", "tags", "expires_at",
                                            "max_visits", "redirect_status", "forward_query"});
      !s.ok()) {
    return s;
  }
  CreateLinkRequest request;
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> tags;
  std::optional<bool> forward_query;
  bool null_ignored = false;
  if (Status s = ReadString(body, "url", url); !s.ok()) return s;
  if (!url) return MissingUrl();
  request.fields.url = std::move(*url);
  for (Status s : {ReadString(body, "alias", request.alias, &null_ignored),
                   ReadString(body, "title", request.fields.title, &null_ignored),
                   ReadStringArray(body, "tags", tags),
                   ReadTime(body, "expires_at", request.fields.expires_at, &null_ignored),
                   ReadInt(body, "max_visits", request.fields.max_visits, &null_ignored),
                   ReadBool(body, "forward_query", forward_query)}) {
    if (!s.ok()) return s;
  }
  Result<int> status = ReadRedirectStatus(body);
  if (!status.ok()) return status.status();
  if (status.value() != 0) request.fields.redirect_status = status.value();
  if (tags) request.fields.tags = std::move(*tags);
  request.fields.forward_query = forward_query.value_or(false);
  return request;
}

Result<LinkPatch> ParseLinkPatch(const boost::json::object& body) {
  if (Status s = RejectUnknownFields(body, {"url", "title", "tags", "expires_at", "max_visits",
                                            "redirect_status", "forward_query", "disabled"});
      !s.ok()) {
    return s;
  }
  LinkPatch patch;
  std::optional<std::string> title;
  std::optional<TimePoint> expires_at;
  std::optional<int64_t> max_visits;
  bool title_null = false, expires_null = false, max_visits_null = false;
  for (Status s :
       {ReadString(body, "url", patch.url), ReadString(body, "title", title, &title_null),
        ReadStringArray(body, "tags", patch.tags),
        ReadTime(body, "expires_at", expires_at, &expires_null),
        ReadInt(body, "max_visits", max_visits, &max_visits_null),
        ReadBool(body, "forward_query", patch.forward_query),
        ReadBool(body, "disabled", patch.disabled)}) {
    if (!s.ok()) return s;
  }
  Result<int> status = ReadRedirectStatus(body);
  if (!status.ok()) return status.status();
  if (status.value() != 0) patch.redirect_status = status.value();
  if (title || title_null) patch.title = title;
  if (expires_at || expires_null) patch.expires_at = expires_at;
  if (max_visits || max_visits_null) patch.max_visits = max_visits;
  return patch;
}

}  // namespace hop
