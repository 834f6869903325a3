// The logging facade every layer uses: log::Info("ended {} sessions", n).
// Messages are formatted with fmt (no heap allocation for short ones) only
// when their level is enabled, then handed to the process's log, which the
// composition root sets up (app/logging.h: sink, line format, level). A
// change of the log format or destination touches that one place.
// Thread-safe: any thread may log at any time.
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

}  // namespace workbind::log
