#include "common/suspend.h"

#include <condition_variable>
#include <mutex>

#include "common/log.h"

namespace workbind {
namespace {

// The only thread-local of the execution model: which fiber (if any) the
// thread is running. Read through an out-of-line function so that no caller
// caches its address across a suspension.
thread_local Suspender* current_fiber = nullptr;

}  // namespace

Suspender* Suspender::Current() { return current_fiber; }

Suspender* Suspender::Exchange(Suspender* fiber) {
  Suspender* previous = current_fiber;
  current_fiber = fiber;
  return previous;
}

void AwaitCompletion(const std::function<void(std::function<void()>)>& start) {
  if (Suspender* fiber = Suspender::Current()) {
    // `start` itself, not a wrapper that refers to it: the fiber runner runs
    // a copy, because the fiber (whose stack holds `start`) may go on, on
    // another thread, before the copy returns.
    fiber->Suspend(start);
    return;
  }
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  start([&] {
    std::lock_guard<std::mutex> lock(mu);
    done = true;
    cv.notify_one();
  });
  std::unique_lock<std::mutex> lock(mu);
  cv.wait(lock, [&] { return done; });
}

void RunOn(Executor* executor, const std::function<void()>& fn) {
  if (executor == nullptr || Suspender::Current() == nullptr) {
    fn();
    return;
  }
  // The fiber's logging context goes with the work: its lines name the
  // request too. The views stay valid: the fiber waits for `done`.
  const log::Context context = log::CurrentContext();
  AwaitCompletion([&](std::function<void()> done) {
    executor->Post([&fn, context, done = std::move(done)] {
      {
        log::ContextScope scope(context);
        fn();
      }
      done();
    });
  });
}

}  // namespace workbind
