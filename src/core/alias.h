// Aliases: custom codes chosen by the user.
//
// An alias is 3 to 64 characters of [A-Za-z0-9_-], case-sensitive. Words that name hop's own paths
// (api, healthz, metrics, ...) are reserved, compared case-insensitively so that no alias can be mistaken
// for one of them by a person reading the link.
#pragma once

#include <string_view>

#include "core/status.h"

namespace hop {

// Ok, or kInvalidAlias (syntax) / kReservedAlias, with a detail that says which rule failed.
Status ValidateAlias(std::string_view alias);

bool IsReservedWord(std::string_view word);

}  // namespace hop
