#include "http/link_json.h"

#include <array>
#include <boost/json/array.hpp>
#include <charconv>
#include <cstring>

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

// The bytes that a JSON string cannot hold as they are: '"', '\\' and the controls.
constexpr std::array<bool, 256> kNeedsEscape = [] {
  std::array<bool, 256> escape{};
  for (int c = 0; c < 0x20; ++c) escape[c] = true;
  escape['"'] = escape['\\'] = true;
  return escape;
}();

// The most bytes one byte of a string takes once escaped: \u00XX.
constexpr size_t kMaxEscapedBytes = 6;

// JSON text written at a cursor into room made for it beforehand (see AppendLinkJson): each piece
// is a copy, where appending it to a std::string cost a capacity check and a call as well.
class JsonCursor {
 public:
  explicit JsonCursor(char* at) : at_(at) {}
  char* at() const { return at_; }

  template <size_t N>
  void Literal(const char (&text)[N]) {
    std::memcpy(at_, text, N - 1);
    at_ += N - 1;
  }
  void Raw(std::string_view text) {
    if (text.empty()) return;  // an empty view may have no data, which memcpy must not be given
    std::memcpy(at_, text.data(), text.size());
    at_ += text.size();
  }
  // `text` escaped as boost::json::serialize escapes it, without the quotes.
  void Escaped(std::string_view text) {
    for (size_t plain = 0;;) {  // `plain`: where the next run of bytes that need no escape starts
      size_t end = plain;
      while (end < text.size() && !kNeedsEscape[static_cast<unsigned char>(text[end])]) ++end;
      Raw(text.substr(plain, end - plain));
      if (end == text.size()) return;
      Escape(text[end]);
      plain = end + 1;
    }
  }
  void String(std::string_view text) {
    *at_++ = '"';
    Escaped(text);
    *at_++ = '"';
  }
  // Times repeat: the links of one batch were created at the same instant, and are answered
  // together. Formatting costs five times the copy of the text kept from the last one.
  void Time(TimePoint t) {
    thread_local TimePoint last_time;
    thread_local char last_text[kMaxRfc3339Bytes];
    thread_local size_t last_size = 0;
    if (last_size == 0 || t != last_time) {
      last_size = static_cast<size_t>(WriteRfc3339(last_text, t) - last_text);
      last_time = t;
    }
    *at_++ = '"';
    std::memcpy(at_, last_text, last_size);
    at_ += last_size;
    *at_++ = '"';
  }
  void Int(int64_t value) { at_ = std::to_chars(at_, at_ + 20, value).ptr; }
  void Bool(bool value) { value ? Literal("true") : Literal("false"); }
  void Null() { Literal("null"); }

 private:
  void Escape(char c) {
    static constexpr char kHex[] = "0123456789abcdef";
    const auto byte = static_cast<unsigned char>(c);
    *at_++ = '\\';
    switch (c) {
      case '"':
      case '\\':
        *at_++ = c;
        break;
      case '\b':
        *at_++ = 'b';
        break;
      case '\t':
        *at_++ = 't';
        break;
      case '\n':
        *at_++ = 'n';
        break;
      case '\f':
        *at_++ = 'f';
        break;
      case '\r':
        *at_++ = 'r';
        break;
      default:
        Literal("u00");
        *at_++ = kHex[byte >> 4];
        *at_++ = kHex[byte & 15];
    }
  }

  char* at_;
};

// The most bytes WriteLinkJson writes for `link`: its strings escaped at worst, and the rest at
// its longest.
size_t MaxLinkJsonBytes(const Link& link, std::string_view base_url) {
  // Names and punctuation 171 bytes, quotes and literals at most 24, numbers at most 51 (two int64
  // and an int), times 3 * kMaxRfc3339Bytes: 318.
  constexpr size_t kFixed = 384;
  const LinkFields& fields = link.fields;
  size_t text = 2 * link.code.size() + base_url.size() + fields.url.size();
  if (fields.title) text += fields.title->size();
  for (const std::string& tag : fields.tags) text += tag.size();
  return kFixed + 3 * fields.tags.size() + kMaxEscapedBytes * text;
}

// REQUIRES: room for MaxLinkJsonBytes(link, base_url) at `out`.
char* WriteLinkJson(char* out, const Link& link, std::string_view base_url) {
  const LinkFields& fields = link.fields;
  JsonCursor json(out);
  json.Literal("{\"code\":");
  json.String(link.code);
  json.Literal(",\"short_url\":\"");
  json.Escaped(base_url);
  json.Literal("/");
  json.Escaped(link.code);
  json.Literal("\",\"url\":");
  json.String(fields.url);
  json.Literal(",\"title\":");
  fields.title ? json.String(*fields.title) : json.Null();
  json.Literal(",\"tags\":[");
  for (size_t i = 0; i < fields.tags.size(); ++i) {
    if (i > 0) json.Literal(",");
    json.String(fields.tags[i]);
  }
  json.Literal("],\"created_at\":");
  json.Time(link.created_at);
  json.Literal(",\"updated_at\":");
  json.Time(link.updated_at);
  json.Literal(",\"expires_at\":");
  fields.expires_at ? json.Time(*fields.expires_at) : json.Null();
  json.Literal(",\"max_visits\":");
  fields.max_visits ? json.Int(*fields.max_visits) : json.Null();
  json.Literal(",\"redirect_status\":");
  json.Int(fields.redirect_status);
  json.Literal(",\"forward_query\":");
  json.Bool(fields.forward_query);
  json.Literal(",\"disabled\":");
  json.Bool(link.disabled);
  json.Literal(",\"total_clicks\":");
  json.Int(link.total_clicks);
  json.Literal("}");
  return json.at();
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  const size_t start = out.size();
  out.resize(start + 2 + kMaxEscapedBytes * text.size());
  JsonCursor json(out.data() + start);
  json.String(text);
  out.resize(static_cast<size_t>(json.at() - out.data()));
}

void AppendLinkJson(std::string& out, const Link& link, std::string_view base_url) {
  const size_t start = out.size();
  out.resize(start + MaxLinkJsonBytes(link, base_url));
  char* end = WriteLinkJson(out.data() + start, link, base_url);
  out.resize(static_cast<size_t>(end - out.data()));
}

std::string LinkJson(const Link& link, std::string_view base_url) {
  std::string out;
  AppendLinkJson(out, link, base_url);
  return out;
}

Result<CreateLinkRequest> ParseCreateLink(const boost::json::object& body) {
  // Most requests are the URL alone (bulk creates send a thousand of them): read it without
  // looking for each field the request does not have, which cost four times as much.
  if (body.size() == 1 && body.begin()->key() == "url" && body.begin()->value().is_string()) {
    CreateLinkRequest request;
    request.fields.url = body.begin()->value().get_string();
    return request;
  }
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
