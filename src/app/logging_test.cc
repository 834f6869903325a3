// BufferedFdSink: lines wait in memory until a flush, a full buffer or the
// end of the sink, and concurrent writers lose nothing. BufferedLogging:
// lines logged while starting and warnings are written at once, other
// lines by the periodic flush or at the end, in spdlog's default format.
#include "app/logging.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace workbind::app {
namespace {
namespace fs = std::filesystem;

class LoggingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::temp_directory_path() /
            ("workbind-logging-test-" + std::to_string(::getpid()));
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ASSERT_GE(fd_, 0);
    previous_ = spdlog::default_logger();
  }
  void TearDown() override {
    // BufferedLogging leaves its logger on fd_ behind: nothing may write to
    // the descriptor number once it is closed and reused.
    spdlog::set_default_logger(previous_);
    ::close(fd_);
    fs::remove(path_);
  }
  std::string Contents() const {
    std::ifstream in(path_, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static size_t Count(const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos;
         at = text.find(what, at + what.size()))
      ++n;
    return n;
  }

  fs::path path_;
  int fd_ = -1;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST_F(LoggingTest, SinkWritesOnFlushOnly) {
  auto sink = std::make_shared<BufferedFdSink>(fd_);
  spdlog::logger logger("", sink);
  logger.info("first {}", 1);
  logger.warn("second");
  EXPECT_EQ(Contents(), "");
  logger.flush();
  const std::string text = Contents();
  EXPECT_EQ(Count(text, "\n"), 2u) << text;
  EXPECT_NE(text.find("] [info] first 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("] [warning] second\n"), std::string::npos) << text;
  EXPECT_EQ(text.front(), '[');  // spdlog's default pattern, no logger name
}

TEST_F(LoggingTest, SinkWritesWhenItsBufferIsFull) {
  auto sink = std::make_shared<BufferedFdSink>(fd_, 200);
  spdlog::logger logger("", sink);
  // About 42 bytes a line: the buffer is written once past 200 bytes, and
  // the last lines wait.
  for (int i = 0; i < 9; ++i) logger.info("line {:03}", i);
  const std::string text = Contents();
  EXPECT_GE(Count(text, "\n"), 4u) << text;
  EXPECT_LT(Count(text, "\n"), 9u) << text;
}

TEST_F(LoggingTest, SinkWritesTheRestWhenDestroyed) {
  {
    auto sink = std::make_shared<BufferedFdSink>(fd_);
    spdlog::logger logger("", sink);
    logger.info("last words");
  }
  EXPECT_NE(Contents().find("[info] last words\n"), std::string::npos);
}

TEST_F(LoggingTest, ConcurrentWritersLoseNothingAndKeepTheirOrder) {
  constexpr int kThreads = 4, kLines = 5000;
  {
    // A small buffer: writers flush often, while others log.
    auto sink = std::make_shared<BufferedFdSink>(fd_, 4096);
    spdlog::logger logger("", sink);
    std::vector<std::thread> writers;
    for (int t = 0; t < kThreads; ++t)
      writers.emplace_back([t, &logger] {
        for (int i = 0; i < kLines; ++i)
          logger.info("GET /api/v2/x 200 0 0.01ms user=u{} n={:05}", t, i);
      });
    for (auto& w : writers) w.join();
  }
  const std::string text = Contents();
  EXPECT_EQ(Count(text, "[info] GET /api/v2/x 200 0 0.01ms user=u"),
            size_t{kThreads * kLines});
  for (int t = 0; t < kThreads; ++t) {
    std::string last;
    for (int i = 0; i < kLines; i += 999) {
      char probe[64];
      std::snprintf(probe, sizeof probe, "user=u%d n=%05d\n", t, i);
      const size_t at = text.find(probe);
      ASSERT_NE(at, std::string::npos) << probe;
      if (!last.empty()) {
        EXPECT_LT(text.find(last), at) << probe;
      }
      last = probe;
    }
  }
}

// Waits (bounded) until the file holds `what`.
bool Eventually(const std::function<std::string()>& read,
                const std::string& what) {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (read().find(what) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

TEST_F(LoggingTest, StartupLinesAndWarningsAreNotHeldBack) {
  // No periodic flush within the test: only the flush levels write.
  BufferedLogging logging(fd_, {}, std::chrono::seconds(3600));
  spdlog::info("applied migration 7");
  EXPECT_NE(Contents().find("[info] applied migration 7\n"), std::string::npos);
  logging.Started();
  spdlog::info("an access-log line");
  EXPECT_EQ(Contents().find("an access-log line"), std::string::npos);
  spdlog::warn("something is wrong");
  // The warning is written at once, with the line before it, in order.
  const std::string text = Contents();
  ASSERT_NE(text.find("[warning] something is wrong\n"), std::string::npos);
  EXPECT_LT(text.find("[info] an access-log line\n"),
            text.find("something is wrong"));
}

TEST_F(LoggingTest, InfoLinesGoOutWithThePeriodicFlush) {
  BufferedLogging logging(fd_, {}, std::chrono::seconds(1));
  logging.Started();
  spdlog::info("buffered line");
  EXPECT_TRUE(Eventually([this] { return Contents(); }, "buffered line\n"));
}

TEST_F(LoggingTest, EverythingIsWrittenWhenItEnds) {
  {
    BufferedLogging logging(fd_, {}, std::chrono::seconds(3600));
    logging.Started();
    for (int i = 0; i < 1000; ++i) spdlog::info("request {}", i);
  }
  const std::string text = Contents();
  EXPECT_EQ(Count(text, "[info] request "), 1000u);
  EXPECT_NE(text.find("[info] request 999\n"), std::string::npos);
  // What is logged afterwards goes to the same place, at once.
  spdlog::info("after the end");
  EXPECT_NE(Contents().find("[info] after the end\n"), std::string::npos);
}

}  // namespace
}  // namespace workbind::app
