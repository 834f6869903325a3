// The process's log: spdlog's default logger made asynchronous, so that a
// request thread formats its access-log line into a queue and one background
// thread writes many lines with one write(2).
#pragma once

#include <spdlog/sinks/base_sink.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

namespace spdlog {
class logger;
namespace details {
class thread_pool;
}  // namespace details
}  // namespace spdlog

namespace workbind::app {

// A spdlog sink that formats lines into memory and writes them to file
// descriptor `fd` (not owned) in large chunks: on flush(), when more than
// `max_buffered` bytes wait, and when it is destroyed. Thread-safe (the
// base_sink mutex). A failed write drops what it held (the log must never
// stop the server).
class BufferedFdSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit BufferedFdSink(int fd, size_t max_buffered = 64 * 1024);
  ~BufferedFdSink() override;

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;

 private:
  void WriteOut();  // caller holds the mutex

  const int fd_;
  const size_t max_buffered_;
  spdlog::memory_buf_t buffer_;
};

// Installs, for its lifetime, an asynchronous default logger writing to a
// file descriptor in spdlog's default format: a bounded queue and one
// background thread; a full queue blocks the caller, nothing is dropped.
// While starting, every line is written at once (tests and scripts wait for
// startup lines); after Started(), warnings and errors are written at once
// and other lines at least once every `flush_interval`. The destructor
// writes out every queued line, stops the background threads and leaves a
// synchronous default logger behind. Construct once in main, before
// anything logs from another thread; destroy after every such thread ended.
class AsyncLogging {
 public:
  // Writes to `fd` (not owned; standard output in the server).
  explicit AsyncLogging(
      int fd, std::chrono::seconds flush_interval = std::chrono::seconds(1),
      size_t queue_size = 4096);
  ~AsyncLogging();
  AsyncLogging(const AsyncLogging&) = delete;
  AsyncLogging& operator=(const AsyncLogging&) = delete;

  // Startup is over: from now on lines below warning are buffered.
  void Started();

 private:
  std::shared_ptr<spdlog::sinks::sink> sink_;
  std::shared_ptr<spdlog::details::thread_pool> pool_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace workbind::app
