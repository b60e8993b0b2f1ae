// Bot detection: which redirects are counted apart from human clicks.
//
// Link previews (Slack, Twitter, Facebook, ...), search crawlers and uptime checkers follow short links
// constantly; counting them as clicks would make a fresh link look popular. Matching is a case-insensitive
// substring test on the User-Agent against a short list of markers; an empty User-Agent counts as a bot.
#pragma once

#include <string_view>

namespace hop {

bool IsKnownBot(std::string_view user_agent);

}  // namespace hop
