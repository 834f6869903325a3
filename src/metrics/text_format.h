// TextWriter: renders metrics in the Prometheus text exposition format 0.0.4
// (one "# HELP" and "# TYPE" line per family, then its samples). Not
// thread-safe; one writer per rendering.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics/histogram.h"

namespace workbind::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

// The Content-Type of the format.
inline constexpr std::string_view kTextContentType =
    "text/plain; version=0.0.4; charset=utf-8";

class TextWriter {
 public:
  // Starts a family: `type` is "counter", "gauge" or "histogram".
  void Family(std::string_view name, std::string_view type,
              std::string_view help);
  // One sample line `name{labels} value`.
  void Sample(std::string_view name, const Labels& labels, double value);
  // The _bucket (with le, +Inf last), _sum and _count lines of `name`.
  void Histogram(std::string_view name, const Labels& labels,
                 const HistogramSnapshot& h);

  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

// A label value escaped for the format (backslash, double quote, newline).
std::string EscapeLabelValue(std::string_view v);
// A sample value: integers without a fraction, +Inf/-Inf/NaN by name.
std::string FormatValue(double v);

}  // namespace workbind::metrics
