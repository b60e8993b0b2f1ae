// The API's handlers: each turns one Request into one Response and touches no socket.
#pragma once

#include <string_view>

#include "http/api_context.h"
#include "http/message.h"
#include "service/principal.h"

namespace hop {

// The /api/v1 handlers act for `caller`, whom the ApiGuard (api_guard.h) has admitted.
//
// Creates answer through `respond` once their links are committed, from the committing thread
// (router.h); `request` is read before they return.
void CreateLink(ApiContext& api, const Request& request, const Principal& caller, Respond respond);
void CreateLinksInBulk(ApiContext& api, const Request& request, const Principal& caller,
                       Respond respond);
Response ListLinks(ApiContext& api, const Request& request, const Principal& caller);
Response GetLink(ApiContext& api, std::string_view code, const Principal& caller);
Response UpdateLink(ApiContext& api, std::string_view code, const Request& request,
                    const Principal& caller);
Response DeleteLink(ApiContext& api, std::string_view code, const Principal& caller);

Response GetLinkStats(ApiContext& api, std::string_view code, const Principal& caller);
Response GetLinkSeries(ApiContext& api, std::string_view code, const Request& request,
                       const Principal& caller);
Response GetLinkQr(ApiContext& api, std::string_view code, const Request& request,
                   const Principal& caller);

// The web UI's embedded files: "/" and "/assets/..." (http/web_assets.h).
Response ServeWebUi(const Request& request);

Response Liveness();
Response Readiness(ApiContext& api);

}  // namespace hop
