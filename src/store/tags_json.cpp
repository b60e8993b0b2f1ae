// Tags as JSON, with Boost.JSON.
#include "store/tags_json.h"

#include <boost/json.hpp>

namespace hop {

std::string EncodeTags(const std::vector<std::string>& tags) {
  // Most links have no tags, and a bulk create writes a thousand links at once.
  if (tags.empty()) return "[]";
  boost::json::array array;
  array.reserve(tags.size());
  for (const std::string& tag : tags) array.emplace_back(tag);
  return boost::json::serialize(array);
}

Result<std::vector<std::string>> DecodeTags(std::string_view json) {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(json, error);
  const boost::json::array* array = error ? nullptr : value.if_array();
  std::vector<std::string> tags;
  if (array != nullptr) {
    tags.reserve(array->size());
    for (const boost::json::value& item : *array) {
      const boost::json::string* tag = item.if_string();
      if (tag == nullptr) break;
      tags.emplace_back(*tag);
    }
  }
  if (array == nullptr || tags.size() != array->size()) {
    return Status::Error(
        ErrorCode::kInternal,
        "a link's stored tags are not a JSON array of strings: " + std::string(json));
  }
  return tags;
}

}  // namespace hop
