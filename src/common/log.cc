#include "common/log.h"

#include <spdlog/spdlog.h>

namespace workbind::log {
namespace {

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

bool Enabled(Level level) {
  return spdlog::default_logger_raw()->should_log(ToSpdlog(level));
}

void Write(Level level, std::string_view message) {
  spdlog::default_logger_raw()->log(ToSpdlog(level), message);
}

}  // namespace workbind::log
