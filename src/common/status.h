// Status and Result<T>: errors as values at the domain and storage boundary.
// A Status is either OK or carries one Code from a small closed set plus a
// message meant for the client (never internal detail such as SQL text).
// http/error_mapping turns each Code into the HTTP status and GWS statusCode.
// Value types; thread-compatible.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace workbind {

enum class Code {
  kOk = 0,
  kMissingParameter,  // a required field or parameter is absent
  kInvalidState,      // operation not valid now (unknown operationName, not in
                      // capabilities)
  kForbidden,         // operation forbidden (CSRF)
  kMethodNotAllowed,  // route exists, method does not
  kInternal,          // unexpected failure
  kPermissionDenied,  // caller lacks the role or cannot see the resource
  kNotFound,          // unknown id/name/route, other tenant
  kInvalidArgument,   // malformed or out-of-range input
  kPayloadTooLarge,   // request body above the limit
  kReadOnly,          // attempt to change a read-only property
  kStorageRead,       // storage failed while reading
  kStorageCreate,     // storage failed while inserting
  kStorageDelete,     // storage failed while deleting
  kStorageUpdate,     // storage failed while updating
  kStorageAssign,     // storage failed while adding members
  kStorageUnassign,   // storage failed while removing members
  kAlreadyExists,     // duplicate name or id
  kInUse,             // resource already in use / lost a race
  kUnauthenticated,   // no or bad credentials
  kTooManyAttempts,   // sign-in refused after repeated failures; see
                      // Status::retry_after_seconds()
  kUnsupportedMediaType,  // a request body not declared as JSON
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message, bool unavailable = false)
      : code_(code), message_(std::move(message)), unavailable_(unavailable) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // True when a dependency (the database) is down: the reply becomes 503.
  bool unavailable() const { return unavailable_; }
  // Seconds the client should wait before retrying (0: no advice).
  int retry_after_seconds() const { return retry_after_seconds_; }
  Status& set_retry_after_seconds(int seconds) {
    retry_after_seconds_ = seconds;
    return *this;
  }

 private:
  Code code_ = Code::kOk;
  std::string message_;
  bool unavailable_ = false;
  int retry_after_seconds_ = 0;
};

inline Status NotFound(std::string m) {
  return Status(Code::kNotFound, std::move(m));
}
inline Status InvalidArgument(std::string m) {
  return Status(Code::kInvalidArgument, std::move(m));
}
inline Status MissingParameter(std::string m) {
  return Status(Code::kMissingParameter, std::move(m));
}
inline Status InvalidState(std::string m) {
  return Status(Code::kInvalidState, std::move(m));
}
inline Status PermissionDenied(std::string m) {
  return Status(Code::kPermissionDenied, std::move(m));
}
inline Status AlreadyExists(std::string m) {
  return Status(Code::kAlreadyExists, std::move(m));
}
inline Status InUse(std::string m) {
  return Status(Code::kInUse, std::move(m));
}
inline Status ReadOnly(std::string m) {
  return Status(Code::kReadOnly, std::move(m));
}
inline Status Internal(std::string m) {
  return Status(Code::kInternal, std::move(m));
}
inline Status Unauthenticated() {
  return Status(Code::kUnauthenticated, "Access denied");
}
// Sign-in refused for `seconds` more after too many failures.
inline Status TooManyAttempts(int seconds) {
  Status st(Code::kTooManyAttempts,
            "Too many failed sign-in attempts; retry in " +
                std::to_string(seconds) + " s");
  st.set_retry_after_seconds(seconds);
  return st;
}

// Result<T>: a T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(v_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace workbind

// Returns early from the enclosing function when `expr` yields a non-OK Status.
#define WB_RETURN_IF_ERROR(expr)               \
  do {                                         \
    ::workbind::Status wb_status__ = (expr);   \
    if (!wb_status__.ok()) return wb_status__; \
  } while (0)

#define WB_CONCAT_INNER(a, b) a##b
#define WB_CONCAT(a, b) WB_CONCAT_INNER(a, b)
// Declares `lhs` from a Result<T> expression or returns its Status.
#define WB_ASSIGN_OR_RETURN(lhs, expr)                \
  auto WB_CONCAT(wb_result__, __LINE__) = (expr);     \
  if (!WB_CONCAT(wb_result__, __LINE__).ok())         \
    return WB_CONCAT(wb_result__, __LINE__).status(); \
  lhs = std::move(WB_CONCAT(wb_result__, __LINE__)).value()
