// Waiting without holding a thread.
//
// A REST request runs on a fiber (app/request_fibers.h) that starts on the
// I/O thread that received it. When the request must wait for something done
// elsewhere (the storage writer's group commit, a PostgreSQL round trip, an
// Argon2 verification on the worker pool), the fiber is switched out and its
// thread goes back to serving other connections; the fiber continues, on
// some I/O thread, once the awaited work calls its completion. Code below
// the fiber (domain, storage) keeps its synchronous shape: it calls
// AwaitCompletion or RunOn, which suspend a fiber and block a plain thread.
//
// Contract for code that may run on a fiber: hold no mutex across a call
// that may suspend (Store::Read/Write, AwaitCompletion, RunOn), and keep no
// pointer to thread-local state across it (the fiber may continue on another
// thread).
#pragma once

#include <functional>

#include "common/executor.h"

namespace workbind {

// The fiber running on the calling thread. Implemented by the fiber runner.
class Suspender {
 public:
  // Called exactly once, from any thread, to let the suspended fiber go on.
  using Resume = std::function<void()>;

  virtual ~Suspender() = default;

  // Switches out of the fiber, then runs a copy of `start` with the resume
  // callback on the thread that ran it (so `resume` can never run before the
  // switch is complete). Returns inside the fiber, maybe on another thread,
  // after resume(). Once `start` has handed `resume` on, the fiber may run
  // again at any moment: `start` must not touch the fiber's stack after that
  // (its own captured values, held in the copy, are safe).
  virtual void Suspend(const std::function<void(Resume)>& start) = 0;

  // The fiber running on this thread; null on a plain thread.
  static Suspender* Current();

 protected:
  // Marks `fiber` as running on this thread (null: none); returns the
  // previous one. For the fiber runner only.
  static Suspender* Exchange(Suspender* fiber);
};

// Calls start(done) and returns once `done` has been called (exactly once,
// from any thread): a fiber is suspended meanwhile, a plain thread blocks.
void AwaitCompletion(const std::function<void(std::function<void()>)>& start);

// Runs `fn` on `executor` and returns once it ran, when called on a fiber
// (which yields its thread meanwhile), under the fiber's logging context
// (log::Context: its lines carry the request id). On a plain thread, or with a
// null executor, runs `fn` inline. `executor` must run every task it is given.
void RunOn(Executor* executor, const std::function<void()>& fn);

}  // namespace workbind
