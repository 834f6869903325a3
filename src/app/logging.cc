#include "app/logging.h"

#include <errno.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

namespace workbind::app {

BufferedFdSink::BufferedFdSink(int fd, size_t max_buffered)
    : fd_(fd),
      max_buffered_(max_buffered),
      formatter_(std::make_unique<spdlog::pattern_formatter>()) {}

BufferedFdSink::~BufferedFdSink() { flush(); }

void BufferedFdSink::log(const spdlog::details::log_msg& msg) {
  bool full;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    formatter_->format(msg, line_);
    pending_.append(line_.data(), line_.size());
    line_.clear();
    full = pending_.size() >= max_buffered_;
  }
  if (full) flush();
}

void BufferedFdSink::flush() {
  std::lock_guard<std::mutex> write_lock(write_mutex_);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    writing_.swap(pending_);  // both keep their capacity
  }
  const char* p = writing_.data();
  size_t left = writing_.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EPIPE, full disk, ...: drop the rest
    p += n;
    left -= static_cast<size_t>(n);
  }
  writing_.clear();
}

void BufferedFdSink::set_pattern(const std::string& pattern) {
  set_formatter(std::make_unique<spdlog::pattern_formatter>(pattern));
}

void BufferedFdSink::set_formatter(
    std::unique_ptr<spdlog::formatter> formatter) {
  std::lock_guard<std::mutex> lock(mutex_);
  formatter_ = std::move(formatter);
}

BufferedLogging::BufferedLogging(int fd, std::chrono::seconds flush_interval) {
  // A terminal gets spdlog's coloured console sink (a write per line is fine
  // for a person watching); pipes and files get the buffered sink. Both
  // print spdlog's default pattern, like the default logger they replace.
  std::shared_ptr<spdlog::sinks::sink> sink;
  if (fd == STDOUT_FILENO && ::isatty(fd))
    sink = std::make_shared<spdlog::sinks::stdout_color_sink_mt>();
  else
    sink = std::make_shared<BufferedFdSink>(fd);
  logger_ = std::make_shared<spdlog::logger>("", std::move(sink));
  logger_->set_level(spdlog::default_logger_raw()->level());
  logger_->flush_on(spdlog::level::trace);  // startup: every line at once
  spdlog::set_default_logger(logger_);
  spdlog::flush_every(std::max(flush_interval, std::chrono::seconds(1)));
}

void BufferedLogging::Started() { logger_->flush_on(spdlog::level::warn); }

BufferedLogging::~BufferedLogging() {
  spdlog::flush_every(std::chrono::seconds(0));  // stops the flusher thread
  logger_->flush_on(spdlog::level::trace);
  logger_->flush();
}

}  // namespace workbind::app
