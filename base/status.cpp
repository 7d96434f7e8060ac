#include "base/status.h"

#include <cassert>
#include <cstdio>
#include <cstdlib>

namespace botify {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid argument";
    case StatusCode::kNotFound:
      return "not found";
    case StatusCode::kAlreadyExists:
      return "already exists";
    case StatusCode::kFailedPrecondition:
      return "failed precondition";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kResourceExhausted:
      return "resource exhausted";
    case StatusCode::kIoError:
      return "I/O error";
    case StatusCode::kCorruption:
      return "corruption";
    case StatusCode::kInternal:
      return "internal error";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(StatusCodeName(code_)) + ": " + message_;
}

Status Status::WithContext(const std::string& context) const {
  if (ok()) return *this;
  return Status(code_, context + ": " + message_);
}

namespace internal {

void DieOnMissingValue(const Status& status) {
  std::fprintf(stderr, "botify: fatal: Result::value() called on an error: %s\n",
               status.ToString().c_str());
  std::abort();
}

Status ErrorForOkStatusInResult() {
  assert(false && "a Result was built from an OK status");
  return Status::Internal("a Result was built from an OK status (a bug: no value, no error)");
}

}  // namespace internal

}  // namespace botify
