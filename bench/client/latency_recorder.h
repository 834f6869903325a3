// LatencyRecorder: collects latency samples (microseconds) and reports
// count, percentiles and maximum. Not thread-safe; one per figure.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace workbind::bench {

class LatencyRecorder {
 public:
  void Add(int64_t micros) { samples_.push_back(micros); }
  void Clear() { samples_.clear(); }
  size_t count() const { return samples_.size(); }

  // The q-quantile (0 <= q <= 1) in milliseconds; 0 without samples.
  // Sorts the samples on first use after an Add.
  double PercentileMs(double q) {
    if (samples_.empty()) return 0;
    if (!sorted_ || sorted_size_ != samples_.size()) {
      std::sort(samples_.begin(), samples_.end());
      sorted_ = true;
      sorted_size_ = samples_.size();
    }
    size_t i = static_cast<size_t>(std::ceil(q * samples_.size()));
    i = std::clamp<size_t>(i, 1, samples_.size()) - 1;
    return samples_[i] / 1000.0;
  }
  double MaxMs() { return PercentileMs(1.0); }

 private:
  std::vector<int64_t> samples_;
  bool sorted_ = false;
  size_t sorted_size_ = 0;
};

}  // namespace workbind::bench
