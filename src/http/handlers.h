// The API's handlers: each turns one Request into one Response and touches no socket.
#pragma once

#include <string_view>

#include "http/api_context.h"
#include "http/message.h"

namespace hop {

Response CreateLink(ApiContext& api, const Request& request);
Response CreateLinksInBulk(ApiContext& api, const Request& request);
Response ListLinks(ApiContext& api, const Request& request);
Response GetLink(ApiContext& api, std::string_view code);
Response UpdateLink(ApiContext& api, std::string_view code, const Request& request);
Response DeleteLink(ApiContext& api, std::string_view code);

Response GetLinkStats(ApiContext& api, std::string_view code);
Response GetLinkSeries(ApiContext& api, std::string_view code, const Request& request);
Response GetLinkQr(ApiContext& api, std::string_view code, const Request& request);

// The web UI's embedded files: "/" and "/assets/..." (http/web_assets.h).
Response ServeWebUi(const Request& request);

Response Liveness();
Response Readiness(ApiContext& api);

}  // namespace hop
