#include "core/bot_detector.h"

#include <gtest/gtest.h>

#include <string>

namespace hop {
namespace {

TEST(BotDetector, EmptyUserAgentIsABot) { EXPECT_TRUE(IsKnownBot("")); }

TEST(BotDetector, RecognizesCrawlersPreviewersAndMonitors) {
  for (const char* ua : {
           "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
           "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
           "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
           "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
           "Facebot",
           "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
           "Twitterbot/1.0",
           "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
           "WhatsApp/2.23.20.0 A",
           "TelegramBot (like TwitterBot)",
           "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
           "Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)",
           "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
           "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36",
           "Mozilla/5.0 (compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)",
           "Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)",
           "Site24x7 monitor",
           "Baiduspider+(+http://www.baidu.com/search/spider.htm)",
           "CCBot/2.0 (https://commoncrawl.org/faq/)",
           "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
           "Screaming Frog SEO Crawler",
       }) {
    EXPECT_TRUE(IsKnownBot(ua)) << ua;
  }
}

TEST(BotDetector, MatchingIgnoresCase) {
  EXPECT_TRUE(IsKnownBot("GOOGLEBOT"));
  EXPECT_TRUE(IsKnownBot("whatsapp"));
}

TEST(BotDetector, BrowsersAreHumans) {
  for (const char* ua : {
           "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/120.0.0.0 Safari/537.36",
           "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) "
           "Version/17.2 Safari/605.1.15",
           "Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0",
           "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
           "like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
       }) {
    EXPECT_FALSE(IsKnownBot(ua)) << ua;
  }
}

TEST(BotDetector, GenericHttpClientsAreHumans) {
  for (const char* ua : {"curl/7.88.1", "Wget/1.21.3", "python-requests/2.31.0",
                         "Python-urllib/3.11", "Go-http-client/1.1", "HTTPie/3.2.2"}) {
    EXPECT_FALSE(IsKnownBot(ua)) << ua;
  }
}

TEST(BotDetector, LongUserAgentsAreSearchedToTheEnd) {
  std::string ua(2000, 'x');
  EXPECT_FALSE(IsKnownBot(ua));
  ua += " Googlebot";
  EXPECT_TRUE(IsKnownBot(ua));
}

}  // namespace
}  // namespace hop
