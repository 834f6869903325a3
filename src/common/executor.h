// Executor: somewhere to run blocking work off the I/O threads. ThreadPool is
// a fixed-size pool with an unbounded FIFO queue. Thread-safe.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace workbind {

class Executor {
 public:
  virtual ~Executor() = default;
  // Runs `task` later on some thread of the executor.
  virtual void Post(std::function<void()> task) = 0;
};

class ThreadPool final : public Executor {
 public:
  explicit ThreadPool(int threads);
  ~ThreadPool() override;  // runs the tasks already queued, then joins
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void Post(std::function<void()> task) override;
  // Stops taking tasks, finishes the queued ones and joins. Idempotent.
  void Shutdown();
  size_t queued() const;

 private:
  void Run();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace workbind
