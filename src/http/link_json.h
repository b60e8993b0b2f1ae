// The link object and the create/update requests of the API, in JSON (DESIGN.md section 2).
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "core/link.h"
#include "core/status.h"
#include "service/link_service.h"

namespace hop {

boost::json::object LinkToJson(const Link& link, std::string_view base_url);

// {"url", "alias", "title", "tags", "expires_at", "max_visits", "redirect_status",
// "forward_query"}.
Result<CreateLinkRequest> ParseCreateLink(const boost::json::object& body);

// Any of url, title, tags, expires_at, max_visits, redirect_status, forward_query, disabled; null
// clears title, expires_at and max_visits.
Result<LinkPatch> ParseLinkPatch(const boost::json::object& body);

}  // namespace hop
