#include "app/logging.h"

#include <errno.h>
#include <spdlog/async.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>

namespace workbind::app {

BufferedFdSink::BufferedFdSink(int fd, size_t max_buffered)
    : fd_(fd), max_buffered_(max_buffered) {}

BufferedFdSink::~BufferedFdSink() {
  std::lock_guard<std::mutex> lock(mutex_);
  WriteOut();
}

void BufferedFdSink::sink_it_(const spdlog::details::log_msg& msg) {
  formatter_->format(msg, buffer_);
  if (buffer_.size() >= max_buffered_) WriteOut();
}

void BufferedFdSink::flush_() { WriteOut(); }

void BufferedFdSink::WriteOut() {
  const char* p = buffer_.data();
  size_t left = buffer_.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // EPIPE, full disk, ...: drop the rest
    p += n;
    left -= static_cast<size_t>(n);
  }
  buffer_.clear();
}

AsyncLogging::AsyncLogging(int fd, std::chrono::seconds flush_interval,
                           size_t queue_size) {
  // A terminal gets spdlog's colored console sink (a write per line is fine
  // for a person watching); pipes and files get the buffered sink. Both
  // print spdlog's default pattern, like the default logger they replace.
  if (fd == STDOUT_FILENO && ::isatty(fd))
    sink_ = std::make_shared<spdlog::sinks::stdout_color_sink_mt>();
  else
    sink_ = std::make_shared<BufferedFdSink>(fd);
  pool_ = std::make_shared<spdlog::details::thread_pool>(queue_size, 1);
  auto logger = std::make_shared<spdlog::async_logger>(
      "", sink_, pool_, spdlog::async_overflow_policy::block);
  logger->set_level(spdlog::default_logger_raw()->level());
  logger->flush_on(spdlog::level::trace);  // startup: every line at once
  logger_ = logger;
  spdlog::set_default_logger(logger_);
  spdlog::flush_every(std::max(flush_interval, std::chrono::seconds(1)));
}

void AsyncLogging::Started() { logger_->flush_on(spdlog::level::warn); }

AsyncLogging::~AsyncLogging() {
  // A synchronous logger on the same sink takes over; then the queue ends
  // with a flush and the pool's destructor drains it and joins its thread.
  spdlog::flush_every(std::chrono::seconds(0));  // stops the flusher
  auto sync = std::make_shared<spdlog::logger>("", sink_);
  sync->set_level(logger_->level());
  sync->flush_on(spdlog::level::trace);
  logger_->flush();
  spdlog::set_default_logger(sync);
  logger_.reset();
  pool_.reset();
}

}  // namespace workbind::app
