#include "http/json_body.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/rfc3339.h"

namespace hop {

namespace {

bool IsJsonMediaType(std::string_view content_type) {
  std::string_view media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  std::string lower(media);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "application/json" ||
         (lower.starts_with("application/") && lower.ends_with("+json"));
}

Status WrongType(std::string_view key, std::string_view expected) {
  return Status::Error(ErrorCode::kInvalidRequest,
                       "\"" + std::string(key) + "\" must be " + std::string(expected));
}

// Finds `key`; sets *is_null for a JSON null (an error when is_null is nullptr).
Result<const boost::json::value*> Member(const boost::json::object& o, std::string_view key,
                                         bool* is_null, std::string_view expected) {
  auto it = o.find(key);
  if (it == o.end()) return static_cast<const boost::json::value*>(nullptr);
  if (it->value().is_null()) {
    if (!is_null) return WrongType(key, expected);
    *is_null = true;
    return static_cast<const boost::json::value*>(nullptr);
  }
  return &it->value();
}

}  // namespace

Result<boost::json::object> ParseJsonObject(const Request& request,
                                            boost::json::storage_ptr storage) {
  if (!IsJsonMediaType(request.Header("Content-Type"))) {
    return Status::Error(ErrorCode::kUnsupportedMediaType,
                         "send the body as Content-Type: application/json");
  }
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(request.body, ec, std::move(storage));
  if (ec)
    return Status::Error(ErrorCode::kInvalidJson, "the body is not valid JSON: " + ec.message());
  if (!value.is_object()) {
    return Status::Error(ErrorCode::kInvalidRequest, "the body must be a JSON object");
  }
  return std::move(value.as_object());
}

Status RejectUnknownFields(const boost::json::object& object,
                           std::initializer_list<std::string_view> allowed) {
  for (const auto& member : object) {
    bool known = false;
    for (std::string_view name : allowed) known = known || member.key() == name;
    if (!known) {
      return Status::Error(ErrorCode::kInvalidRequest,
                           "unknown field \"" + std::string(member.key()) + "\"");
    }
  }
  return Status::Ok();
}

Status ReadString(const boost::json::object& o, std::string_view key,
                  std::optional<std::string>& out, bool* null_out) {
  Result<const boost::json::value*> v = Member(o, key, null_out, "a string");
  if (!v.ok()) return v.status();
  if (!v.value()) return Status::Ok();
  if (!v.value()->is_string()) return WrongType(key, "a string");
  out = std::string(v.value()->as_string());
  return Status::Ok();
}

Status ReadBool(const boost::json::object& o, std::string_view key, std::optional<bool>& out) {
  Result<const boost::json::value*> v = Member(o, key, nullptr, "true or false");
  if (!v.ok()) return v.status();
  if (!v.value()) return Status::Ok();
  if (!v.value()->is_bool()) return WrongType(key, "true or false");
  out = v.value()->as_bool();
  return Status::Ok();
}

Status ReadInt(const boost::json::object& o, std::string_view key, std::optional<int64_t>& out,
               bool* null_out) {
  Result<const boost::json::value*> v = Member(o, key, null_out, "an integer");
  if (!v.ok()) return v.status();
  if (!v.value()) return Status::Ok();
  const boost::json::value& value = *v.value();
  if (value.is_int64()) {
    out = value.as_int64();
  } else if (value.is_uint64() && value.as_uint64() <= INT64_MAX) {
    out = static_cast<int64_t>(value.as_uint64());
  } else {
    return WrongType(key, "an integer");
  }
  return Status::Ok();
}

Status ReadStringArray(const boost::json::object& o, std::string_view key,
                       std::optional<std::vector<std::string>>& out) {
  Result<const boost::json::value*> v = Member(o, key, nullptr, "an array of strings");
  if (!v.ok()) return v.status();
  if (!v.value()) return Status::Ok();
  if (!v.value()->is_array()) return WrongType(key, "an array of strings");
  std::vector<std::string> items;
  for (const boost::json::value& item : v.value()->as_array()) {
    if (!item.is_string()) return WrongType(key, "an array of strings");
    items.emplace_back(item.as_string());
  }
  out = std::move(items);
  return Status::Ok();
}

Status ReadTime(const boost::json::object& o, std::string_view key, std::optional<TimePoint>& out,
                bool* null_out) {
  std::optional<std::string> text;
  if (Status s = ReadString(o, key, text, null_out); !s.ok() || !text) return s;
  std::optional<TimePoint> t = ParseRfc3339(*text);
  if (!t) return WrongType(key, "an RFC 3339 time such as \"2030-01-31T12:00:00Z\"");
  out = t;
  return Status::Ok();
}

Response JsonResponse(int status, const boost::json::value& body) {
  return JsonTextResponse(status, boost::json::serialize(body));
}

Response JsonTextResponse(int status, std::string body) {
  Response response{.status = status, .headers = {}, .body = std::move(body)};
  response.SetHeader("Content-Type", "application/json; charset=utf-8");
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

}  // namespace hop
