// Status and Result: hop's errors as values.
//
// Every layer below HTTP reports failure by returning a Status (or a Result<T> holding one) instead of
// throwing. The ErrorCode set is exactly the public contract's problem codes (DESIGN.md section 2), so an
// error keeps its meaning from the place it is detected to the JSON body a client reads; the mapping to
// HTTP status codes lives in one place, src/http/problem.cpp.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace hop {

enum class ErrorCode {
  kInvalidJson,
  kInvalidRequest,
  kInvalidUrl,
  kInvalidAlias,
  kReservedAlias,
  kAliasTaken,
  kBlockedUrl,
  kNotFound,
  kGone,
  kUnauthorized,
  kForbidden,
  kPayloadTooLarge,
  kUnsupportedMediaType,
  kMethodNotAllowed,
  kRateLimited,
  kStoreUnavailable,
  kInternal,
};

// The stable, machine-readable name of a code, as it appears in problem+json `code`.
std::string_view ErrorCodeName(ErrorCode code);

class [[nodiscard]] Status {
 public:
  static Status Ok() { return Status(); }
  static Status Error(ErrorCode code, std::string detail) { return Status(code, std::move(detail)); }

  bool ok() const { return ok_; }
  // REQUIRES: !ok().
  ErrorCode code() const { return code_; }
  // A sentence for a person: what was wrong and, where it helps, how to fix it.
  const std::string& detail() const { return detail_; }

 private:
  Status() = default;
  Status(ErrorCode code, std::string detail)
      : ok_(false), code_(code), detail_(std::move(detail)) {}

  bool ok_ = true;
  ErrorCode code_ = ErrorCode::kInternal;
  std::string detail_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  // REQUIRES: !status.ok().
  Result(Status status) : state_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return std::holds_alternative<T>(state_); }
  // REQUIRES: ok().
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  // REQUIRES: !ok().
  const Status& status() const { return std::get<Status>(state_); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace hop
