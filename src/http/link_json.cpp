#include "http/link_json.h"

#include <boost/json/array.hpp>

#include "core/rfc3339.h"
#include "http/json_body.h"

namespace hop {

namespace {

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

namespace {

// `text` escaped for the inside of a JSON string.
void AppendEscaped(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  size_t plain = 0;  // the start of the run of characters that need no escape
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.substr(plain, i - plain));
    plain = i + 1;
    out += '\\';
    switch (c) {
      case '"':
      case '\\':
        out += static_cast<char>(c);
        break;
      case '\b':
        out += 'b';
        break;
      case '\t':
        out += 't';
        break;
      case '\n':
        out += 'n';
        break;
      case '\f':
        out += 'f';
        break;
      case '\r':
        out += 'r';
        break;
      default:
        out += "u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(text.substr(plain));
}

void AppendJsonTime(std::string& out, TimePoint t) {
  out += '"';
  AppendRfc3339(out, t);
  out += '"';
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  out += '"';
  AppendEscaped(out, text);
  out += '"';
}

void AppendLinkJson(std::string& out, const Link& link, std::string_view base_url) {
  const LinkFields& fields = link.fields;
  out += "{\"code\":";
  AppendJsonString(out, link.code);
  out += ",\"short_url\":\"";
  AppendEscaped(out, base_url);
  out += '/';
  AppendEscaped(out, link.code);
  out += '"';
  out += ",\"url\":";
  AppendJsonString(out, fields.url);
  out += ",\"title\":";
  fields.title ? AppendJsonString(out, *fields.title) : void(out += "null");
  out += ",\"tags\":[";
  for (size_t i = 0; i < fields.tags.size(); ++i) {
    if (i > 0) out += ',';
    AppendJsonString(out, fields.tags[i]);
  }
  out += "],\"created_at\":";
  AppendJsonTime(out, link.created_at);
  out += ",\"updated_at\":";
  AppendJsonTime(out, link.updated_at);
  out += ",\"expires_at\":";
  fields.expires_at ? AppendJsonTime(out, *fields.expires_at) : void(out += "null");
  out += ",\"max_visits\":";
  out += fields.max_visits ? std::to_string(*fields.max_visits) : "null";
  out += ",\"redirect_status\":";
  out += std::to_string(fields.redirect_status);
  out += ",\"forward_query\":";
  out += fields.forward_query ? "true" : "false";
  out += ",\"disabled\":";
  out += link.disabled ? "true" : "false";
  out += ",\"total_clicks\":";
  out += std::to_string(link.total_clicks);
  out += '}';
}

std::string LinkJson(const Link& link, std::string_view base_url) {
  std::string out;
  AppendLinkJson(out, link, base_url);
  return out;
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
