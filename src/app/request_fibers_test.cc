#include "app/request_fibers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "common/log.h"
#include "common/suspend.h"

namespace workbind::app {
namespace {

using std::chrono::seconds;

// Runs each task on one of its threads; counts what it ran.
class CountingPool : public Executor {
 public:
  explicit CountingPool(int threads) : pool_(threads) {}
  void Post(std::function<void()> task) override {
    posted_.fetch_add(1);
    pool_.Post(std::move(task));
  }
  int posted() const { return posted_.load(); }

 private:
  std::atomic<int> posted_{0};
  ThreadPool pool_;
};

TEST(RequestFibersTest, ARequestThatDoesNotWaitEndsOnTheCallingThread) {
  CountingPool resume(1);
  RequestFibers fibers(&resume);
  const auto caller = std::this_thread::get_id();
  std::thread::id ran_on;
  bool on_fiber = false;
  fibers.Run([&] {
    ran_on = std::this_thread::get_id();
    on_fiber = Suspender::Current() != nullptr;
  });
  // Finished before Run returned, with no hand-off.
  EXPECT_EQ(fibers.live(), 0u);
  EXPECT_EQ(ran_on, caller);
  EXPECT_TRUE(on_fiber);
  EXPECT_EQ(Suspender::Current(), nullptr);
  EXPECT_EQ(resume.posted(), 0);
}

// A fiber's logging context (its request id) holds on every thread it runs
// on, goes with RunOn's work, and is not seen by the threads' other work.
TEST(RequestFibersTest, TheLoggingContextFollowsTheFiber) {
  CountingPool resume(1);
  ThreadPool elsewhere(1);
  RequestFibers fibers(&resume);
  std::mutex mu;
  std::condition_variable cv;
  std::function<void()> resume_it;
  std::string before, in_run_on, after, on_pool_meanwhile = "unset";
  fibers.Run([&] {
    log::ContextScope scope(log::Context{"req-1"});
    before = std::string(log::CurrentContext().request_id);
    RunOn(&elsewhere,
          [&] { in_run_on = std::string(log::CurrentContext().request_id); });
    AwaitCompletion([&](std::function<void()> done) {
      std::lock_guard<std::mutex> lock(mu);
      resume_it = std::move(done);
      cv.notify_all();
    });
    after = std::string(log::CurrentContext().request_id);
  });
  // Switched out (waiting in RunOn or AwaitCompletion): this thread has its
  // own, empty context.
  EXPECT_TRUE(log::CurrentContext().request_id.empty());
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, seconds(10), [&] { return !!resume_it; }));
  }
  // The resume pool's thread, between two runs of the fiber, has none.
  resume.Post([&] {
    std::lock_guard<std::mutex> lock(mu);
    on_pool_meanwhile = std::string(log::CurrentContext().request_id);
    cv.notify_all();
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, seconds(10),
                            [&] { return on_pool_meanwhile != "unset"; }));
  }
  resume_it();
  ASSERT_TRUE(fibers.WaitIdle(seconds(10)));
  EXPECT_EQ(before, "req-1");
  EXPECT_EQ(in_run_on, "req-1");
  EXPECT_EQ(after, "req-1");
  EXPECT_EQ(on_pool_meanwhile, "");
  // It continued on the resume pool's thread (after RunOn, after resume_it),
  // besides the one probe posted above.
  EXPECT_EQ(resume.posted(), 3);
}

TEST(RequestFibersTest, AWaitReleasesTheThreadAndResumesOnTheExecutor) {
  CountingPool resume(2);
  ThreadPool elsewhere(1);
  RequestFibers fibers(&resume);
  std::atomic<int> value{0};
  std::atomic<bool> after_wait{false};
  fibers.Run([&] {
    RunOn(&elsewhere, [&] { value = 42; });
    after_wait = value.load() == 42;
  });
  // Run returned while the fiber waited (or it already came back).
  ASSERT_TRUE(fibers.WaitIdle(std::chrono::seconds(10)));
  EXPECT_TRUE(after_wait);
  EXPECT_EQ(resume.posted(), 1);
}

TEST(RequestFibersTest, ManyFibersWaitAtOnceWithoutAThreadEach) {
  CountingPool resume(2);
  RequestFibers fibers(&resume);
  // Completions are held until every fiber is waiting: were each fiber
  // to hold a thread, the single caller thread could never start them all.
  std::mutex mu;
  std::vector<std::function<void()>> waiting;
  std::atomic<int> done{0};
  constexpr int kFibers = 200;
  for (int i = 0; i < kFibers; ++i) {
    fibers.Run([&] {
      AwaitCompletion([&](std::function<void()> resume_it) {
        std::lock_guard<std::mutex> lock(mu);
        waiting.push_back(std::move(resume_it));
      });
      done.fetch_add(1);
    });
  }
  EXPECT_EQ(fibers.live(), static_cast<size_t>(kFibers));
  EXPECT_EQ(done.load(), 0);
  std::vector<std::function<void()>> all;
  {
    std::lock_guard<std::mutex> lock(mu);
    all.swap(waiting);
  }
  ASSERT_EQ(all.size(), static_cast<size_t>(kFibers));
  std::thread completer([&] {
    for (auto& r : all) r();
  });
  ASSERT_TRUE(fibers.WaitIdle(std::chrono::seconds(30)));
  completer.join();
  EXPECT_EQ(done.load(), kFibers);
}

TEST(RequestFibersTest, AnEscapingExceptionEndsOnlyItsFiber) {
  CountingPool resume(1);
  RequestFibers fibers(&resume);
  fibers.Run([] { throw std::runtime_error("boom"); });
  bool second = false;
  fibers.Run([&] { second = true; });
  EXPECT_TRUE(second);
  EXPECT_EQ(fibers.live(), 0u);
}

TEST(SuspendTest, OnAPlainThreadWaitsBlockAndRunOnIsInline) {
  EXPECT_EQ(Suspender::Current(), nullptr);
  ThreadPool elsewhere(1);
  const auto me = std::this_thread::get_id();
  std::thread::id ran_on;
  RunOn(&elsewhere, [&] { ran_on = std::this_thread::get_id(); });
  EXPECT_EQ(ran_on, me);
  std::atomic<bool> completed{false};
  AwaitCompletion([&](std::function<void()> done) {
    elsewhere.Post([&completed, done] {
      completed = true;
      done();
    });
  });
  EXPECT_TRUE(completed);
}

}  // namespace
}  // namespace workbind::app
