// The link object written as text: the same bytes as Boost.JSON's serializer, for every field.
#include "http/link_json.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <limits>

#include "core/rfc3339.h"
#include "service_test_support.h"

namespace hop {
namespace {

// The link object built as a Boost.JSON DOM, the way the API wrote it before AppendLinkJson.
std::string SerializedByBoost(const Link& link, std::string_view base_url) {
  boost::json::object o;
  o["code"] = link.code;
  o["short_url"] = std::string(base_url) + "/" + link.code;
  o["url"] = link.fields.url;
  o["title"] = link.fields.title ? boost::json::value(*link.fields.title) : nullptr;
  boost::json::array tags;
  for (const std::string& tag : link.fields.tags) tags.emplace_back(tag);
  o["tags"] = std::move(tags);
  o["created_at"] = FormatRfc3339(link.created_at);
  o["updated_at"] = FormatRfc3339(link.updated_at);
  o["expires_at"] =
      link.fields.expires_at ? boost::json::value(FormatRfc3339(*link.fields.expires_at)) : nullptr;
  o["max_visits"] = link.fields.max_visits ? boost::json::value(*link.fields.max_visits) : nullptr;
  o["redirect_status"] = link.fields.redirect_status;
  o["forward_query"] = link.fields.forward_query;
  o["disabled"] = link.disabled;
  o["total_clicks"] = link.total_clicks;
  return boost::json::serialize(o);
}

Link PlainLink() {
  Link link;
  link.id = 7;
  link.code = "abc1234";
  link.fields = UrlFields("https://example.com/");
  link.created_at = kNow;
  link.updated_at = kNow;
  return link;
}

TEST(LinkJson, APlainLinkIsWhatBoostJsonWrites) {
  Link link = PlainLink();
  EXPECT_EQ(LinkJson(link, "https://sho.rt"), SerializedByBoost(link, "https://sho.rt"));
}

TEST(LinkJson, EveryOptionalFieldSetIsWhatBoostJsonWrites) {
  Link link = PlainLink();
  link.fields.title = "A \"quoted\" title \\ with\ttabs\nand ☕ and \x01\x1f\x7f";
  link.fields.tags = {"one", "t\"wo", "\b\f\r"};
  link.fields.expires_at = kNow + std::chrono::hours(48);
  link.fields.max_visits = 1'000'000'000'000;
  link.fields.redirect_status = 308;
  link.fields.forward_query = true;
  link.disabled = true;
  link.total_clicks = 42;
  link.updated_at = kNow + std::chrono::seconds(5);
  const std::string text = LinkJson(link, "http://[::1]:8080");
  EXPECT_EQ(text, SerializedByBoost(link, "http://[::1]:8080"));
  EXPECT_EQ(boost::json::parse(text).at("title").as_string(), *link.fields.title);
}

// The longest numbers and times there are, and strings of nothing but bytes to escape: the text
// is written into room measured beforehand.
TEST(LinkJson, ALinkAtItsLongestIsWhatBoostJsonWrites) {
  Link link = PlainLink();
  link.code = std::string(64, '\x01');
  link.fields.url = std::string(300, '"');
  link.fields.title = std::string(100, '\x1f');
  link.fields.tags = {std::string(50, '\\'), "", std::string(3, '\n')};
  link.created_at = TimePoint(std::chrono::sys_days(std::chrono::year(-32767) / 1 / 1));
  link.updated_at = TimePoint(std::chrono::sys_days(std::chrono::year(32767) / 12 / 31));
  link.fields.expires_at = link.created_at;
  link.fields.max_visits = std::numeric_limits<int64_t>::min();
  link.fields.redirect_status = std::numeric_limits<int>::min();
  link.total_clicks = std::numeric_limits<int64_t>::min();
  const std::string base_url(200, '\x7f');
  EXPECT_EQ(LinkJson(link, base_url), SerializedByBoost(link, base_url));
}

// A request of the URL alone is read another way than one with more fields; it means the same as
// one whose other fields are all null or absent.
TEST(CreateLinkJson, TheUrlAloneReadsAsTheUrlWithEveryOtherFieldAbsent) {
  const CreateLinkRequest alone =
      Must(ParseCreateLink(boost::json::parse(R"({"url":"https://example.com/a"})").as_object()));
  const CreateLinkRequest with_nulls = Must(ParseCreateLink(
      boost::json::parse(R"({"url":"https://example.com/a","alias":null,"title":null,)"
                         R"("expires_at":null,"max_visits":null})")
          .as_object()));
  for (const CreateLinkRequest& request : {alone, with_nulls}) {
    EXPECT_EQ(request.fields.url, "https://example.com/a");
    EXPECT_FALSE(request.alias || request.fields.title || request.fields.expires_at ||
                 request.fields.max_visits || request.fields.owner_key_id);
    EXPECT_TRUE(request.fields.tags.empty());
    EXPECT_EQ(request.fields.redirect_status, 302);
    EXPECT_FALSE(request.fields.forward_query);
  }
  EXPECT_FALSE(ParseCreateLink(boost::json::parse(R"({"url":5})").as_object()).ok());
  EXPECT_FALSE(ParseCreateLink(boost::json::parse(R"({"uri":"https://e.com/"})").as_object()).ok());
}

TEST(LinkJson, StringsAreEscapedAsBoostJsonEscapesThem) {
  using namespace std::string_view_literals;
  for (std::string_view text :
       {""sv, "plain"sv, "\""sv, "\\"sv, "\x00\x01 end"sv, "naïve"sv, "a/b"sv}) {
    std::string ours;
    AppendJsonString(ours, text);
    EXPECT_EQ(ours, boost::json::serialize(boost::json::value(boost::json::string(text)))) << text;
  }
}

}  // namespace
}  // namespace hop
