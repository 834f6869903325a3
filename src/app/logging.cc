#include "app/logging.h"

#include <errno.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include "common/log.h"

namespace workbind::app {
namespace {

std::string_view LevelName(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
      return "trace";
    case spdlog::level::debug:
      return "debug";
    case spdlog::level::info:
      return "info";
    case spdlog::level::warn:
      return "warn";
    case spdlog::level::err:
      return "error";
    case spdlog::level::critical:
      return "critical";
    default:
      return "off";
  }
}

spdlog::level::level_enum LevelOf(const std::string& name) {
  if (name == "trace") return spdlog::level::trace;
  if (name == "debug") return spdlog::level::debug;
  if (name == "warn") return spdlog::level::warn;
  if (name == "error") return spdlog::level::err;
  if (name == "critical") return spdlog::level::critical;
  if (name == "off") return spdlog::level::off;
  return spdlog::level::info;
}

// The text format's %* flag: " req=<id>" on a request's lines, else nothing.
class RequestIdFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const std::string_view id = log::CurrentContext().request_id;
    if (id.empty()) return;
    dest.append(std::string_view(" req="));
    dest.append(id);
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<RequestIdFlag>();
  }
};

class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg,
              spdlog::memory_buf_t& dest) override {
    line_.clear();
    AppendJsonLine(
        {.time = msg.time,
         .level = LevelName(msg.level),
         .message = std::string_view(msg.payload.data(), msg.payload.size()),
         .request_id = log::CurrentContext().request_id,
         .access = log::CurrentAccessFields()},
        &line_);
    line_.push_back('\n');
    dest.append(line_);
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<JsonFormatter>();
  }

 private:
  std::string line_;  // reused: the sink calls one format at a time
};

}  // namespace

std::unique_ptr<spdlog::formatter> MakeLineFormatter(
    const LogSettings& settings) {
  if (settings.format == "json") return std::make_unique<JsonFormatter>();
  auto text = std::make_unique<spdlog::pattern_formatter>();
  text->add_flag<RequestIdFlag>('*').set_pattern("%+%*");
  return text;
}

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

BufferedLogging::BufferedLogging(int fd, const LogSettings& settings,
                                 std::chrono::seconds flush_interval) {
  // A terminal gets spdlog's coloured console sink (a write per line is fine
  // for a person watching); pipes and files get the buffered sink. Both
  // write the lines of log.format.
  std::shared_ptr<spdlog::sinks::sink> sink;
  if (fd == STDOUT_FILENO && ::isatty(fd))
    sink = std::make_shared<spdlog::sinks::stdout_color_sink_mt>();
  else
    sink = std::make_shared<BufferedFdSink>(fd);
  logger_ = std::make_shared<spdlog::logger>("", std::move(sink));
  logger_->set_formatter(MakeLineFormatter(settings));
  logger_->set_level(LevelOf(settings.level));
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
