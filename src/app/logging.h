// The process's log: spdlog's default logger on a buffered sink, so that a
// request thread appends its access-log line to memory and many lines go out
// with one write(2).
#pragma once

#include <spdlog/formatter.h>
#include <spdlog/sinks/sink.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "app/log_format.h"

namespace spdlog {
class logger;
}  // namespace spdlog

namespace workbind::app {

// A spdlog sink that formats lines into memory and writes them to file
// descriptor `fd` (not owned) in large chunks: on flush(), when more than
// `max_buffered` bytes wait (by the thread that logged past that mark), and
// when it is destroyed. Thread-safe. A write happens outside the buffer's
// lock, so other threads go on logging meanwhile; concurrent flushes write
// one after the other, in the order of the lines. A failed write drops what
// it held (the log must never stop the server).
class BufferedFdSink : public spdlog::sinks::sink {
 public:
  explicit BufferedFdSink(int fd, size_t max_buffered = 64 * 1024);
  ~BufferedFdSink() override;

  void log(const spdlog::details::log_msg& msg) override;
  void flush() override;
  void set_pattern(const std::string& pattern) override;
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override;

 private:
  const int fd_;
  const size_t max_buffered_;
  std::mutex write_mutex_;  // taken before mutex_; one write at a time
  std::string writing_;     // guarded by write_mutex_
  std::mutex mutex_;
  std::unique_ptr<spdlog::formatter> formatter_;  // guarded by mutex_
  spdlog::memory_buf_t line_;                     // guarded by mutex_
  std::string pending_;                           // guarded by mutex_
};

// The line format of log.format (app/log_format.h): "text" is spdlog's
// default line, then " req=<id>" when the line was logged for a request;
// "json" one JSON object per line. Either reads the request id (and an
// access line's fields) from the logging thread's log::Context, so the
// logger using it must be synchronous.
std::unique_ptr<spdlog::formatter> MakeLineFormatter(
    const LogSettings& settings);

// Installs, for its lifetime, spdlog's default logger on a BufferedFdSink
// over `fd` (not owned; standard output in the server), with the line format
// and level of `settings`. While starting, every line is written at once (tests
// and scripts wait for startup lines); after Started(), warnings and errors are
// written at once (with the lines before them) and other lines at least once
// every `flush_interval` (spdlog's periodic flusher thread) or when 64 KiB
// wait. The destructor writes out every line and leaves the logger writing each
// line at once. Construct once in main before other threads log; destroy
// after every thread that logs ended.
class BufferedLogging {
 public:
  explicit BufferedLogging(
      int fd, const LogSettings& settings = {},
      std::chrono::seconds flush_interval = std::chrono::seconds(1));
  ~BufferedLogging();
  BufferedLogging(const BufferedLogging&) = delete;
  BufferedLogging& operator=(const BufferedLogging&) = delete;

  // Startup is over: from now on lines below warning are buffered.
  void Started();

 private:
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace workbind::app
