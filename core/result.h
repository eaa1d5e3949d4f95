// Result<T>: the value of an operation that can fail in an expected way, or the Error saying why.
//
// It lives in core/, below every other module, so that all of them (calendars, forecasting, api,
// server) share one error vocabulary. Member names follow C++23's std::expected (has_value, value,
// error, operator*, operator->), so moving to std::expected later is a one-line alias. Value type;
// thread-compatible.
//
// Expected failures (bad input, not found, conflict, storage unavailable) are returned as Error,
// never thrown. Exceptions are for bugs: value() on an error, or error() on a value, is a contract
// violation and throws std::logic_error.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace patchcast {

// The short, fixed set of failure kinds. The api module maps each to one HTTP status in one place.
enum class ErrorCode {
  kInvalidArgument,      // malformed or out-of-range input (400)
  kUnprocessable,        // well-formed input that cannot be honoured (422)
  kNotFound,             // the named thing does not exist (404)
  kConflict,             // the write contradicts stored state (409)
  kUnavailable,          // transient: storage busy, shutting down; retrying may succeed (503)
  kInsufficientStorage,  // the disk is full (507)
  kInternal,             // a bug or an unexpected environment failure (500)
};

// Returns a stable snake_case name for `code`, used in logs and JSON error bodies.
constexpr const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kUnprocessable:
      return "unprocessable";
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kInsufficientStorage:
      return "insufficient_storage";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

// An expected failure. `message` names the offending input, e.g.
// "row 17: timestamp '2026-02-30T00:00:00Z' is not a valid date".
struct Error {
  Error() = default;
  Error(ErrorCode error_code, std::string error_message,
        std::vector<std::string> error_details = {})
      : code(error_code), message(std::move(error_message)), details(std::move(error_details)) {}

  ErrorCode code = ErrorCode::kInternal;
  std::string message;
  std::vector<std::string>
      details;  // optional specifics, e.g. the first offending rows of an upload

  friend bool operator==(const Error&, const Error&) = default;
};

inline Error InvalidArgument(std::string message) {
  return {ErrorCode::kInvalidArgument, std::move(message)};
}
inline Error Unprocessable(std::string message) {
  return {ErrorCode::kUnprocessable, std::move(message)};
}
inline Error NotFound(std::string message) { return {ErrorCode::kNotFound, std::move(message)}; }
inline Error Conflict(std::string message) { return {ErrorCode::kConflict, std::move(message)}; }
inline Error Unavailable(std::string message) {
  return {ErrorCode::kUnavailable, std::move(message)};
}
inline Error InsufficientStorage(std::string message) {
  return {ErrorCode::kInsufficientStorage, std::move(message)};
}
inline Error Internal(std::string message) { return {ErrorCode::kInternal, std::move(message)}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value)
      : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { return std::get<0>(Checked(true)); }
  const T& value() const& { return std::get<0>(Checked(true)); }
  T&& value() && { return std::get<0>(std::move(Checked(true))); }

  const Error& error() const& { return std::get<1>(Checked(false)); }
  Error&& error() && { return std::get<1>(std::move(Checked(false))); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  // Returns the value, or `fallback` when this holds an error.
  T value_or(T fallback) const& { return has_value() ? std::get<0>(state_) : std::move(fallback); }

 private:
  std::variant<T, Error>& Checked(bool want_value) {
    if (has_value() != want_value) throw std::logic_error(Misuse(want_value));
    return state_;
  }
  const std::variant<T, Error>& Checked(bool want_value) const {
    if (has_value() != want_value) throw std::logic_error(Misuse(want_value));
    return state_;
  }
  std::string Misuse(bool want_value) const {
    return want_value ? "Result::value() called on an error: " + std::get<1>(state_).message
                      : "Result::error() called on a value";
  }

  std::variant<T, Error> state_;
};

// Result<void>: success carries no value.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT: implicit by design

  bool has_value() const noexcept { return !failed_; }
  explicit operator bool() const noexcept { return has_value(); }
  void value() const {
    if (failed_) throw std::logic_error("Result::value() called on an error: " + error_.message);
  }
  const Error& error() const& {
    if (!failed_) throw std::logic_error("Result::error() called on a value");
    return error_;
  }

 private:
  Error error_;
  bool failed_ = false;
};

using Status = Result<void>;

}  // namespace patchcast
