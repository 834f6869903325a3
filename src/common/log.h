// The logging facade every layer uses: log::Info("ended {} sessions", n).
// Messages are formatted with fmt (no heap allocation for short ones) only
// when their level is enabled, then handed to the process's log, which the
// composition root sets up (app/logging.h: sink, line format, level). A
// change of the log format or destination touches that one place.
// Thread-safe: any thread may log at any time.
//
// A line may carry the id of the request it was logged for: the request id
// of the calling thread's Context (RequestScope), which the line format
// writes (" req=<id>" in text, "requestId" in JSON). Request fibers carry
// their Context with them from thread to thread (app/request_fibers.h), and
// RunOn (common/suspend.h) lends it to the thread that runs the work.
#pragma once

#include <fmt/format.h>

#include <iterator>
#include <string_view>
#include <utility>

namespace workbind::log {

enum class Level { kDebug, kInfo, kWarn, kError, kCritical };

// Whether a message of `level` would be written.
bool Enabled(Level level);
// Writes one formatted message (no trailing newline).
void Write(Level level, std::string_view message);

// What a line is logged for. Views: the storage belongs to whoever set the
// Context (a RequestScope) and outlives it.
struct Context {
  std::string_view request_id;  // empty: no request
};

// The Context of the calling thread (empty on a thread handling no request).
Context CurrentContext();
// Sets the Context of the calling thread; returns the previous one. For
// scopes and fiber runners, which put back what they replaced.
Context ExchangeContext(Context context);

// Sets the calling thread's Context for its lifetime, then puts the previous
// one back. `context`'s views must outlive the scope. Not copyable; create
// and destroy on one thread (or one fiber).
class ContextScope {
 public:
  explicit ContextScope(Context context)
      : previous_(ExchangeContext(context)) {}
  ~ContextScope() { ExchangeContext(previous_); }
  ContextScope(const ContextScope&) = delete;
  ContextScope& operator=(const ContextScope&) = delete;

 private:
  Context previous_;
};

// The fields of an access line (one per REST request). Views, valid while
// the line is written.
struct AccessFields {
  std::string_view method;
  std::string_view target;  // path and query as sent (the format scrubs it)
  int http_status = 0;
  int status_code = 0;  // the reply's GWS statusCode (0: none or success)
  bool has_status_code = false;
  double duration_ms = 0;
  std::string_view user;    // empty: none
  std::string_view remote;  // the client's address
};

// The fields of the access line being written on this thread, for the line
// format (app/logging.cc) while it formats that line; null otherwise. The
// logger formats on the logging thread (it is synchronous).
const AccessFields* CurrentAccessFields();

// Writes an info line for an access: `format` is its text (the message of
// either format), `fields` what the JSON format writes as its own keys.
template <typename... Args>
void Access(const AccessFields& fields, fmt::format_string<Args...> format,
            Args&&... args);

template <typename... Args>
void At(Level level, fmt::format_string<Args...> format, Args&&... args) {
  if (!Enabled(level)) return;
  fmt::memory_buffer line;
  fmt::format_to(std::back_inserter(line), format, std::forward<Args>(args)...);
  Write(level, std::string_view(line.data(), line.size()));
}

template <typename... Args>
void Debug(fmt::format_string<Args...> format, Args&&... args) {
  At(Level::kDebug, format, std::forward<Args>(args)...);
}
template <typename... Args>
void Info(fmt::format_string<Args...> format, Args&&... args) {
  At(Level::kInfo, format, std::forward<Args>(args)...);
}
template <typename... Args>
void Warn(fmt::format_string<Args...> format, Args&&... args) {
  At(Level::kWarn, format, std::forward<Args>(args)...);
}
template <typename... Args>
void Error(fmt::format_string<Args...> format, Args&&... args) {
  At(Level::kError, format, std::forward<Args>(args)...);
}
template <typename... Args>
void Critical(fmt::format_string<Args...> format, Args&&... args) {
  At(Level::kCritical, format, std::forward<Args>(args)...);
}

namespace internal {
// Sets the fields CurrentAccessFields returns; returns the previous ones.
const AccessFields* ExchangeAccessFields(const AccessFields* fields);
}  // namespace internal

template <typename... Args>
void Access(const AccessFields& fields, fmt::format_string<Args...> format,
            Args&&... args) {
  if (!Enabled(Level::kInfo)) return;
  fmt::memory_buffer line;
  fmt::format_to(std::back_inserter(line), format, std::forward<Args>(args)...);
  const AccessFields* previous = internal::ExchangeAccessFields(&fields);
  Write(Level::kInfo, std::string_view(line.data(), line.size()));
  internal::ExchangeAccessFields(previous);
}

}  // namespace workbind::log
