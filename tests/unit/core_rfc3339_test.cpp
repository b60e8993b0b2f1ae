#include "core/rfc3339.h"

#include <gtest/gtest.h>

#include <random>

namespace hop {
namespace {

using std::chrono::milliseconds;

int64_t MillisOf(std::string_view text) {
  std::optional<TimePoint> t = ParseRfc3339(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t ? ToUnixMillis(*t) : -1;
}

TEST(Rfc3339, FormatsUtcWithWholeSeconds) {
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(1'795'377'177'000)), "2026-11-22T19:52:57Z");
}

TEST(Rfc3339, FormatPadsEveryFieldToItsWidth) {
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2001-02-03T04:05:06Z")), "2001-02-03T04:05:06Z");
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("9999-12-31T23:59:59Z")), "9999-12-31T23:59:59Z");
  EXPECT_EQ(FormatRfc3339(*ParseRfc3339("2030-10-10T10:10:10Z")), "2030-10-10T10:10:10Z");
}

TEST(Rfc3339, FormatDropsMillisecondsWithoutRounding) {
  EXPECT_EQ(FormatRfc3339(FromUnixMillis(1'795'377'177'999)), "2026-11-22T19:52:57Z");
}

TEST(Rfc3339, ParsesUtc) {
  EXPECT_EQ(MillisOf("2026-11-22T19:52:57Z"), 1'795'377'177'000);
  EXPECT_EQ(MillisOf("1970-01-01T00:00:00Z"), 0);
}

TEST(Rfc3339, ParsesOffsetsToTheSameInstant) {
  EXPECT_EQ(MillisOf("2026-11-22T21:52:57+02:00"), 1'795'377'177'000);
  EXPECT_EQ(MillisOf("2026-11-22T14:22:57-05:30"), 1'795'377'177'000);
  EXPECT_EQ(MillisOf("2026-11-23T00:52:57+05:00"), 1'795'377'177'000);
}

TEST(Rfc3339, AcceptsLowerCaseSeparatorsAndASpace) {
  EXPECT_EQ(MillisOf("2026-11-22t19:52:57z"), 1'795'377'177'000);
  EXPECT_EQ(MillisOf("2026-11-22 19:52:57Z"), 1'795'377'177'000);
}

TEST(Rfc3339, KeepsFractionsToTheMillisecond) {
  EXPECT_EQ(MillisOf("2026-11-22T19:52:57.5Z"), 1'795'377'177'500);
  EXPECT_EQ(MillisOf("2026-11-22T19:52:57.12Z"), 1'795'377'177'120);
  EXPECT_EQ(MillisOf("2026-11-22T19:52:57.123Z"), 1'795'377'177'123);
  EXPECT_EQ(MillisOf("2026-11-22T19:52:57.123999999Z"), 1'795'377'177'123);
}

TEST(Rfc3339, AcceptsLeapDayOnlyInLeapYears) {
  EXPECT_TRUE(ParseRfc3339("2028-02-29T00:00:00Z"));
  EXPECT_TRUE(ParseRfc3339("2000-02-29T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2026-02-29T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2100-02-29T00:00:00Z"));
}

TEST(Rfc3339, AcceptsTheLastYear) { EXPECT_TRUE(ParseRfc3339("9999-12-31T23:59:59Z")); }

TEST(Rfc3339, RoundTripsRandomInstants) {
  std::mt19937_64 rng(3339);
  std::uniform_int_distribution<int64_t> seconds(0, 253'402'300'799);  // through 9999-12-31
  for (int i = 0; i < 10'000; ++i) {
    TimePoint t = FromUnixMillis(seconds(rng) * 1000);
    std::string text = FormatRfc3339(t);
    std::optional<TimePoint> back = ParseRfc3339(text);
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(*back, t) << text;
  }
}

class Rfc3339Rejects : public testing::TestWithParam<const char*> {};

TEST_P(Rfc3339Rejects, Input) { EXPECT_FALSE(ParseRfc3339(GetParam()).has_value()); }

INSTANTIATE_TEST_SUITE_P(
    Rfc3339, Rfc3339Rejects,
    testing::Values("", "2026-11-22", "2026-11-22T19:52:57", "2026-11-22T19:52Z",
                    "2026-02-30T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
                    "2026-00-10T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z",
                    "2026-01-01T23:60:00Z", "2026-12-31T23:59:60Z", "1969-12-31T23:59:59Z",
                    "0000-01-01T00:00:00Z", "12026-01-01T00:00:00Z", "26-01-01T00:00:00Z",
                    "2026-1-01T00:00:00Z", "2026-01-01T0:00:00Z", "2026/01/01T00:00:00Z",
                    "2026-01-01X00:00:00Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+0200",
                    "2026-01-01T00:00:00+02", "2026-01-01T00:00:00+24:00",
                    "2026-01-01T00:00:00+01:60", "2026-01-01T00:00:00ZZ", "2026-01-01T00:00:00Z ",
                    " 2026-01-01T00:00:00Z", "2026-01-01T00:00:00UTC", "+026-01-01T00:00:00Z",
                    "2026-01-01T-1:00:00Z", "2026-01-01T00:00:00,5Z"));

}  // namespace
}  // namespace hop
