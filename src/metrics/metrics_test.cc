#include <gtest/gtest.h>

#include <thread>

#include "metrics/counter.h"
#include "metrics/histogram.h"
#include "metrics/labeled.h"
#include "metrics/text_format.h"

namespace workbind::metrics {
namespace {

TEST(Histogram, BucketsAreLessOrEqualAndCumulative) {
  Histogram h({1, 2, 5});
  for (double v : {0.5, 1.0, 1.5, 2.0, 7.0}) h.Observe(v);
  HistogramSnapshot s = h.Snapshot();
  EXPECT_EQ(s.cumulative, (std::vector<uint64_t>{2, 4, 4, 5}));
  EXPECT_EQ(s.count, 5u);
  EXPECT_DOUBLE_EQ(s.sum, 12.0);
}

TEST(Histogram, ConcurrentObserversLoseNothing) {
  Histogram h(LatencyBuckets());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) h.Observe(0.001 * (i % 7));
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(h.Snapshot().count, 40000u);
}

TEST(Labeled, OneChildPerValues) {
  Labeled<Counter> f({"a"}, [] { return std::make_unique<Counter>(); });
  f.With({"x"}).Add();
  f.With({"x"}).Add(2);
  f.With({"y"}).Add();
  std::vector<std::pair<std::string, uint64_t>> seen;
  f.ForEach([&](const auto& v, const Counter& c) {
    seen.emplace_back(v[0], c.Value());
  });
  EXPECT_EQ(seen, (std::vector<std::pair<std::string, uint64_t>>{{"x", 3},
                                                                 {"y", 1}}));
}

TEST(TextWriter, RendersFamiliesSamplesAndHistograms) {
  TextWriter w;
  w.Family("t_total", "counter", "Things.");
  w.Sample("t_total", {{"path", "/a\"b\\c\nd"}}, 3);
  Histogram h({0.5});
  h.Observe(0.25);
  h.Observe(2);
  w.Family("d_seconds", "histogram", "Time.");
  w.Histogram("d_seconds", {{"route", "/x"}}, h.Snapshot());
  EXPECT_EQ(w.text(),
            "# HELP t_total Things.\n"
            "# TYPE t_total counter\n"
            "t_total{path=\"/a\\\"b\\\\c\\nd\"} 3\n"
            "# HELP d_seconds Time.\n"
            "# TYPE d_seconds histogram\n"
            "d_seconds_bucket{route=\"/x\",le=\"0.5\"} 1\n"
            "d_seconds_bucket{route=\"/x\",le=\"+Inf\"} 2\n"
            "d_seconds_sum{route=\"/x\"} 2.25\n"
            "d_seconds_count{route=\"/x\"} 2\n");
}

TEST(TextWriter, FormatsValues) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(0.0025), "0.0025");
  EXPECT_EQ(FormatValue(1.0 / 0.0), "+Inf");
}

}  // namespace
}  // namespace workbind::metrics
