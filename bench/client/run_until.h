// RunUntil: runs the event loop until `condition` holds or `timeout`
// passes, checking every few milliseconds. Lets a benchmark driver be
// written as a sequence of phases over one single-threaded loop.
#pragma once

#include <chrono>
#include <functional>
#include <memory>

#include "http_client.h"

namespace workbind::bench {

// Returns true when `condition` became true, false on timeout.
inline bool RunUntil(EventLoop* loop, std::function<bool()> condition,
                     std::chrono::duration<double> timeout) {
  using namespace std::chrono;
  const auto deadline =
      steady_clock::now() + duration_cast<steady_clock::duration>(timeout);
  bool met = false, finished = false;
  auto check = std::make_shared<std::function<void()>>();
  *check = [&, check_weak = std::weak_ptr<std::function<void()>>(check)] {
    if (condition()) {
      met = finished = true;
      return loop->Stop();
    }
    if (steady_clock::now() >= deadline) {
      finished = true;
      return loop->Stop();
    }
    loop->After(milliseconds(5), [check_weak] {
      if (auto c = check_weak.lock()) (*c)();
    });
  };
  loop->After(nanoseconds(0), [check_weak = std::weak_ptr(check)] {
    if (auto c = check_weak.lock()) (*c)();
  });
  // Run() may also return for a Stop() left over from an earlier phase.
  while (!finished) loop->Run();
  return met;
}

// Runs the loop for `d`, whatever happens.
inline void RunFor(EventLoop* loop, std::chrono::duration<double> d) {
  RunUntil(
      loop, [] { return false; }, d);
}

}  // namespace workbind::bench
