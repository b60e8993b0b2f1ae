// Known-bot markers in User-Agent strings.
//
// The list favours precision: it names crawlers, link-preview fetchers and uptime checkers, which
// announce themselves. Generic HTTP clients (curl, wget, python-requests, Go's http client) are
// left out on purpose: people click links with them too, and counting them as bots would hide real
// use.
//
// This runs on every redirect, so the User-Agent is lower-cased once into a stack buffer and the
// markers are found with string_view::find (memchr-driven) rather than a case-folding search each.
#include "core/bot_detector.h"

#include <algorithm>
#include <array>
#include <string>

#include "core/ascii.h"

namespace hop {
namespace {

// Lower case. "bot" alone covers Slackbot, Twitterbot, Discordbot, TelegramBot, LinkedInBot,
// Facebot, Googlebot, UptimeRobot...; "preview" covers SkypeUriPreview, BingPreview, Google's
// link preview.
constexpr std::string_view kBotMarkers[] = {
    "bot",     "crawler",  "spider",  "slurp",  "facebookexternalhit", "whatsapp", "embedly",
    "preview", "headless", "monitor", "pingdom"};

// Real User-Agents are a few hundred bytes; longer ones take the allocating path.
constexpr size_t kInlineUserAgentBytes = 512;

bool HasMarker(std::string_view lower_user_agent) {
  return std::any_of(std::begin(kBotMarkers), std::end(kBotMarkers), [&](std::string_view m) {
    return lower_user_agent.find(m) != std::string_view::npos;
  });
}

}  // namespace

bool IsKnownBot(std::string_view user_agent) {
  if (user_agent.empty()) return true;
  if (user_agent.size() <= kInlineUserAgentBytes) {
    std::array<char, kInlineUserAgentBytes> lower;
    std::transform(user_agent.begin(), user_agent.end(), lower.begin(),
                   [](char c) { return ToLowerAscii(c); });
    return HasMarker(std::string_view(lower.data(), user_agent.size()));
  }
  return HasMarker(ToLowerAscii(user_agent));
}

}  // namespace hop
