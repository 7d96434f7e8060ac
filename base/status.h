// Status and Result<T>: how every layer reports failure across its boundary.
// Exceptions never cross a layer; a failing call returns a Status with a canonical
// code and a message that says what was wrong and where (file, line, field, value).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace botify {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the caller's input is wrong (bad file line, bad field, bad flag)
  kNotFound,         // a named thing does not exist (track, index, file)
  kAlreadyExists,
  kFailedPrecondition,
  kUnavailable,        // try later: shutting down, peer not reachable
  kResourceExhausted,  // not enough of something to do it: disk space, memory, a quota
  kIoError,            // the disk or the network failed
  kCorruption,         // persisted data is not what we wrote
  kInternal,
};

// Human-readable name of a code ("invalid argument").
const char* StatusCodeName(StatusCode code);

// Thread-compatible value type.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) {
    return {StatusCode::kInvalidArgument, std::move(m)};
  }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status FailedPrecondition(std::string m) {
    return {StatusCode::kFailedPrecondition, std::move(m)};
  }
  static Status Unavailable(std::string m) { return {StatusCode::kUnavailable, std::move(m)}; }
  static Status ResourceExhausted(std::string m) {
    return {StatusCode::kResourceExhausted, std::move(m)};
  }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "invalid argument: tracks.json:12: field 'artist' is missing"
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context` ("loading index ub: ...").
  Status WithContext(const std::string& context) const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

namespace internal {
// Prints "Result::value() called on an error: <status>" and aborts (in every build: a
// value that is not there must not be read as garbage).
[[noreturn]] void DieOnMissingValue(const Status& status);
// The status a Result keeps when it is built from an OK status (a bug in the caller):
// kInternal, so that ok() and status().code() agree. Asserts in debug builds.
Status ErrorForOkStatusInResult();
}  // namespace internal

// Either a value or a non-OK Status. Thread-compatible.
// Invariant: ok() == value is present == !status().ok(). Reading the value of an error
// aborts with the error's message.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status)                          // NOLINT: implicit by design
      : status_(status.ok() ? internal::ErrorForOkStatusInResult() : std::move(status)) {}

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & { return Checked(); }
  const T& value() const& { return Checked(); }
  T&& value() && { return std::move(Checked()); }
  T* operator->() { return &Checked(); }
  const T* operator->() const { return &Checked(); }
  T& operator*() & { return Checked(); }
  const T& operator*() const& { return Checked(); }
  T&& operator*() && { return std::move(Checked()); }

 private:
  T& Checked() {
    if (!value_.has_value()) [[unlikely]]
      internal::DieOnMissingValue(status_);
    return *value_;
  }
  const T& Checked() const {
    if (!value_.has_value()) [[unlikely]]
      internal::DieOnMissingValue(status_);
    return *value_;
  }

  std::optional<T> value_;
  Status status_;
};

}  // namespace botify

// Returns early from the enclosing function if `expr` yields a non-OK Status.
#define BOTIFY_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::botify::Status botify_status_ = (expr);        \
    if (!botify_status_.ok()) return botify_status_; \
  } while (0)
