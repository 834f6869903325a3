// Histogram: observations counted into fixed buckets (upper bounds, strictly
// increasing; +Inf is implicit), with their sum. Observe is lock-free (two
// relaxed atomic adds) and may be called from any thread; Snapshot reads a
// view whose cumulative counts never decrease and whose +Inf bucket equals
// its count, even while other threads observe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace workbind::metrics {

struct HistogramSnapshot {
  std::vector<double> bounds;        // upper bounds, without +Inf
  std::vector<uint64_t> cumulative;  // bounds.size() + 1 entries (+Inf last)
  uint64_t count = 0;                // == cumulative.back()
  double sum = 0;
};

class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);

  void Observe(double value);
  HistogramSnapshot Snapshot() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;  // per bucket, +Inf last
  std::atomic<double> sum_{0};
};

// Bucket bounds for latencies in seconds: 0.5 ms to 10 s.
std::vector<double> LatencyBuckets();

}  // namespace workbind::metrics
