// Counter: a monotonic count, cheap to bump from any thread (one relaxed
// atomic add). Owned by whoever reports it; read when metrics are rendered.
#pragma once

#include <atomic>
#include <cstdint>

namespace workbind::metrics {

class Counter {
 public:
  void Add(uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> value_{0};
};

}  // namespace workbind::metrics
