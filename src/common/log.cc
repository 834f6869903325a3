#include "common/log.h"

#include <spdlog/spdlog.h>

namespace workbind::log {
namespace {

// The logging context of each thread: what a line is logged for. Set by
// scopes and fiber runners only, read by the line format. Reached only
// through the out-of-line functions below, so that no caller caches a
// thread's copy across a fiber switch.
thread_local Context t_context;
thread_local const AccessFields* t_access = nullptr;

spdlog::level::level_enum ToSpdlog(Level level) {
  switch (level) {
    case Level::kDebug:
      return spdlog::level::debug;
    case Level::kInfo:
      return spdlog::level::info;
    case Level::kWarn:
      return spdlog::level::warn;
    case Level::kError:
      return spdlog::level::err;
    case Level::kCritical:
      return spdlog::level::critical;
  }
  return spdlog::level::info;
}

}  // namespace

Context CurrentContext() { return t_context; }

Context ExchangeContext(Context context) {
  Context previous = t_context;
  t_context = context;
  return previous;
}

const AccessFields* CurrentAccessFields() { return t_access; }

namespace internal {
const AccessFields* ExchangeAccessFields(const AccessFields* fields) {
  const AccessFields* previous = t_access;
  t_access = fields;
  return previous;
}
}  // namespace internal

bool Enabled(Level level) {
  return spdlog::default_logger_raw()->should_log(ToSpdlog(level));
}

void Write(Level level, std::string_view message) {
  spdlog::default_logger_raw()->log(ToSpdlog(level), message);
}

}  // namespace workbind::log
