// JSON bodies: reading a request's JSON and answering with JSON.
//
// Decoding is strict on purpose: a client that misspells a field ("expire_at") gets a 400 naming it
// instead of a link that silently never expires.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "http/message.h"

namespace hop {

// The body as a JSON object, its memory from `storage` (the heap by default). kUnsupportedMediaType
// unless Content-Type is application/json (or +json), kInvalidJson when it does not parse,
// kInvalidRequest when it is not an object.
Result<boost::json::object> ParseJsonObject(const Request& request,
                                            boost::json::storage_ptr storage = {});

// kInvalidRequest naming the first member of `object` not in `allowed`.
Status RejectUnknownFields(const boost::json::object& object,
                           std::initializer_list<std::string_view> allowed);

// Field readers: each returns kInvalidRequest naming the field when the member has the wrong type.
// A missing member leaves `out` untouched; a JSON null is reported through `null_out` where
// allowed.
Status ReadString(const boost::json::object& o, std::string_view key,
                  std::optional<std::string>& out, bool* null_out = nullptr);
Status ReadBool(const boost::json::object& o, std::string_view key, std::optional<bool>& out);
Status ReadInt(const boost::json::object& o, std::string_view key, std::optional<int64_t>& out,
               bool* null_out = nullptr);
Status ReadStringArray(const boost::json::object& o, std::string_view key,
                       std::optional<std::vector<std::string>>& out);
Status ReadTime(const boost::json::object& o, std::string_view key, std::optional<TimePoint>& out,
                bool* null_out = nullptr);

Response JsonResponse(int status, const boost::json::value& body);
// A JSON answer whose body is already JSON text.
Response JsonTextResponse(int status, std::string body);

}  // namespace hop
