// The link object and the create/update requests of the API, in JSON (DESIGN.md section 2).
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "core/link.h"
#include "core/status.h"
#include "service/link_service.h"

namespace hop {

// The link object as JSON text, appended to `out`: the bytes boost::json::serialize writes for it,
// without building its DOM first, which costs ten times as much. A bulk create answers a thousand
// of them at once.
void AppendLinkJson(std::string& out, const Link& link, std::string_view base_url);
std::string LinkJson(const Link& link, std::string_view base_url);

// `text` as a JSON string, quotes included, escaped as boost::json::serialize does.
void AppendJsonString(std::string& out, std::string_view text);

// {"url", "alias", "title", "tags", "expires_at", "max_visits", "redirect_status",
// "forward_query"}.
Result<CreateLinkRequest> ParseCreateLink(const boost::json::object& body);

// Any of url, title, tags, expires_at, max_visits, redirect_status, forward_query, disabled; null
// clears title, expires_at and max_visits.
Result<LinkPatch> ParseLinkPatch(const boost::json::object& body);

}  // namespace hop
