// The bytes of a redirect response, written without Beast's serializer.
//
// A redirect is a status line and five short headers; appending them into a buffer the session
// reuses costs a few copies and no allocation once the buffer has grown to a link's size. That is
// most of what a redirect costs hop in user space.
#pragma once

#include <string>
#include <string_view>

#include "service/link_cache.h"

namespace hop {

// Replaces `out` with the full response: the link's status, Location (the target, with `query`
// appended when the link forwards queries), Cache-Control (cacheable briefly for permanent
// redirects only, so every click of a temporary one reaches hop and is counted), Date, and an empty
// body.
void BuildRedirectResponse(std::string& out, const CachedLink& link, std::string_view query,
                           std::string_view date, bool keep_alive);

}  // namespace hop
