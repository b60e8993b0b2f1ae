// Helpers shared by the store tests: a fixed "now", link fields to create, and assertions on
// Status.
#pragma once

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <utility>

#include "core/click.h"
#include "core/clock.h"
#include "core/link.h"
#include "core/status.h"

namespace hop {

// 2026-11-18T...Z, away from any hour or day boundary so that windows ending now cross both.
inline const TimePoint kNow = FromUnixMillis(1'795'000'123'456);
inline const int64_t kNowMinute = MinuteOf(kNow);

inline LinkFields UrlFields(std::string url) {
  LinkFields fields;
  fields.url = std::move(url);
  return fields;
}

inline ::testing::AssertionResult IsOk(const Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << ErrorCodeName(status.code()) << ": " << status.detail();
}

template <typename T>
::testing::AssertionResult IsOk(const Result<T>& result) {
  return result.ok() ? ::testing::AssertionSuccess() : IsOk(result.status());
}

inline ::testing::AssertionResult FailsWith(const Status& status, ErrorCode code) {
  if (status.ok()) return ::testing::AssertionFailure() << "succeeded";
  if (status.code() == code) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << ErrorCodeName(status.code()) << ": " << status.detail();
}

template <typename T>
::testing::AssertionResult FailsWith(const Result<T>& result, ErrorCode code) {
  if (result.ok()) return ::testing::AssertionFailure() << "succeeded";
  return FailsWith(result.status(), code);
}

// The value of a Result the test cannot go on without; a failure ends the test with its detail
// (gtest reports the exception). Not for use on threads a test starts.
template <typename T>
T Must(Result<T> result) {
  if (!result.ok()) {
    throw std::runtime_error(std::string(ErrorCodeName(result.status().code())) + ": " +
                             result.status().detail());
  }
  return std::move(result).value();
}

inline MinuteClicks Humans(int64_t link_id, int64_t minute, int64_t humans) {
  return {link_id, minute, humans, 0};
}

}  // namespace hop
