// Tags as JSON: how a link's tag list is stored in a single text column.
//
// Both stores keep a link's tags, in the order the user gave them, as a JSON array of strings on
// the link's row, so that reading a link is one row; the per-tag rows used for filtering are
// derived from the same list.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace hop {

std::string EncodeTags(const std::vector<std::string>& tags);

// kInternal when `json` is not an array of strings: the column was written by something other than
// EncodeTags.
Result<std::vector<std::string>> DecodeTags(std::string_view json);

}  // namespace hop
