#include "core/status.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace hop {
namespace {

TEST(Status, OkHasNoError) {
  Status s = Status::Ok();
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE(s.detail().empty());
}

TEST(Status, ErrorKeepsCodeAndDetail) {
  Status s = Status::Error(ErrorCode::kAliasTaken, "Alias \"abc\" is taken");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kAliasTaken);
  EXPECT_EQ(s.detail(), "Alias \"abc\" is taken");
}

TEST(Result, HoldsValueOrStatus) {
  Result<int> value = 7;
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value.value(), 7);
  Result<int> error = Status::Error(ErrorCode::kNotFound, "no such link");
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.status().code(), ErrorCode::kNotFound);
}

TEST(ErrorCodeName, MatchesThePublicContract) {
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidJson), "invalid_json");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidRequest), "invalid_request");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidUrl), "invalid_url");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInvalidAlias), "invalid_alias");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kReservedAlias), "reserved_alias");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kAliasTaken), "alias_taken");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kBlockedUrl), "blocked_url");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kNotFound), "not_found");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kGone), "gone");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kUnauthorized), "unauthorized");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kForbidden), "forbidden");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kPayloadTooLarge), "payload_too_large");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kUnsupportedMediaType), "unsupported_media_type");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kMethodNotAllowed), "method_not_allowed");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kRateLimited), "rate_limited");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kStoreUnavailable), "store_unavailable");
  EXPECT_EQ(ErrorCodeName(ErrorCode::kInternal), "internal");
}

TEST(ErrorCodeName, NamesAreDistinct) {
  std::set<std::string_view> names;
  for (int i = 0; i <= static_cast<int>(ErrorCode::kInternal); ++i) {
    names.insert(ErrorCodeName(static_cast<ErrorCode>(i)));
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(ErrorCode::kInternal) + 1);
}

}  // namespace
}  // namespace hop
