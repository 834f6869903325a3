// RequestFibers: runs each REST request on its own fiber (Boost.Context), so
// that the request is handled on the I/O thread that received it and yet
// never holds that thread while it waits (common/suspend.h).
//
// Run starts the fiber at once on the calling thread. Reads run to
// completion there; a wait (the storage writer's commit, a PostgreSQL round
// trip, an Argon2 verification) switches the fiber out and the thread
// returns to its other connections; the fiber continues on `resume_on` (the
// I/O threads) when the awaited work is done.
//
// Each fiber keeps its own logging context (log::Context, the request id its
// lines carry): what the fiber sets holds on every thread it continues on,
// and never leaks to the thread's other work while the fiber is switched
// out.
//
// Stacks come from a pool shared by all threads, each with a guard page.
// Thread-safe. Every fiber must have finished before destruction
// (WaitIdle).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

#include "common/executor.h"

namespace workbind::app {

class RequestFibers {
 public:
  // `resume_on` runs the continuation of suspended fibers; it must run
  // every task it is given until WaitIdle has returned true.
  explicit RequestFibers(Executor* resume_on, size_t stack_bytes = 256 * 1024);
  ~RequestFibers();
  RequestFibers(const RequestFibers&) = delete;
  RequestFibers& operator=(const RequestFibers&) = delete;

  // Runs `fn` on a new fiber, on the calling thread until it finishes or
  // first suspends. `fn` must not throw (an escaping exception is logged).
  void Run(std::function<void()> fn);

  // Waits until no fiber is alive, for at most `limit`. False on time-out.
  bool WaitIdle(std::chrono::milliseconds limit);

  // Fibers started and not finished (suspended ones included).
  size_t live() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace workbind::app
