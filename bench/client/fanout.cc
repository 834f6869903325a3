#include "fanout.h"

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>

#include "bayeux_client.h"
#include "latency_recorder.h"
#include "process_stats.h"
#include "run_until.h"

namespace workbind::bench {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using std::chrono::duration;

// Handshakes (and subscriptions) in flight at once while opening clients.
constexpr int kOpenWindow = 64;
constexpr const char* kRoomPrefix = "/bench/room/";

struct Step {
  int rate = 0;  // published messages/s asked for
  int64_t published = 0;
  int64_t expected = 0;  // deliveries the published messages should cause
  int64_t delivered = 0;
  LatencyRecorder latency;
  LatencyRecorder publish_latency;  // HTTP round trip of each batch
  Clock::time_point start, last_delivery;
  double cpu_seconds = 0, wall_seconds = 0;
  double server_cpu_seconds = -1;  // -1: not measured
  double msgs_per_s = 0;
  bool sustained = false;
  bool within_goal = false;
};

class FanoutRun {
 public:
  explicit FanoutRun(const FanoutOptions& o)
      : o_(o), rng_(o.seed), base_(Clock::now()) {}

  int Run() {
    std::printf(
        "fanout %s: %d %s clients, %d rooms, %d rooms per client, %d "
        "publishers, batches of %d messages of %d bytes, steps of %.0f s, "
        "%d source address(es)\n",
        o_.label.c_str(), o_.clients, TransportName(), o_.rooms,
        o_.rooms_per_client, o_.publishers, o_.batch, o_.message_bytes,
        o_.step_seconds, o_.sources);
    std::printf("machine: %s\n", MachineLine().c_str());
    subscribers_.assign(o_.rooms, 0);
    const auto t0 = Clock::now();
    if (!Open()) return 1;
    std::printf("opened %d subscribers and %d publishers in %.1f s\n",
                o_.clients, o_.publishers,
                duration<double>(Clock::now() - t0).count());
    RunFor(&loop_, duration<double>(0.5));  // second connects get held
    for (size_t i = 0; i < o_.rates.size(); ++i) {
      steps_.push_back(std::make_unique<Step>());
      RunStep(static_cast<int>(i), o_.rates[i]);
      Report(*steps_.back());
      if (!steps_.back()->sustained) break;
    }
    Summarize();
    for (auto& c : clients_) c->Stop();
    for (auto& p : publishers_) p->Stop();
    return 0;
  }

 private:
  const char* TransportName() const {
    return o_.transport == BayeuxTransport::kWebSocket ? "websocket"
                                                       : "long-polling";
  }

  Endpoint EndpointFor(int i) const {
    Endpoint e = o_.endpoint;
    if (o_.sources > 1)
      e.bind_address = "127.0.0." + std::to_string(1 + i % o_.sources);
    return e;
  }

  std::unique_ptr<BayeuxClient> NewClient(int i) {
    BayeuxConfig config;
    config.endpoint = EndpointFor(i);
    config.path = o_.path;
    config.authorization = o_.authorization;
    config.transport = o_.transport;
    return std::make_unique<BayeuxClient>(&loop_, config);
  }

  // Handshakes and subscribes every client, then the publishers.
  bool Open() {
    int next = 0, done = 0, failed = 0;
    std::string first_error;
    std::uniform_int_distribution<int> room(0, o_.rooms - 1);
    std::function<void()> open_one = [&] {
      if (next >= o_.clients) return;
      const int i = next++;
      clients_.push_back(NewClient(i));
      BayeuxClient* c = clients_.back().get();
      std::vector<std::string> channels;
      while (static_cast<int>(channels.size()) <
             std::min(o_.rooms_per_client, o_.rooms)) {
        std::string ch = kRoomPrefix + std::to_string(room(rng_));
        if (std::find(channels.begin(), channels.end(), ch) == channels.end())
          channels.push_back(ch);
      }
      auto finish = [&, c](bool ok, const std::string& error) {
        ++done;
        if (!ok && failed++ == 0) first_error = error;
        if (ok)
          c->StartPolling([this](std::string_view channel,
                                 const json::value& data) { OnEvent(data); });
        open_one();
      };
      c->Handshake([&, c, channels, finish](bool ok, const std::string& e) {
        if (!ok) return finish(false, e);
        c->Subscribe(channels, [&, channels, finish](bool ok,
                                                     const std::string& e) {
          if (ok)
            for (const auto& ch : channels)
              ++subscribers_[std::stoi(ch.substr(std::strlen(kRoomPrefix)))];
          finish(ok, e);
        });
      });
    };
    for (int w = 0; w < kOpenWindow; ++w) open_one();
    RunUntil(
        &loop_, [&] { return done == o_.clients; }, duration<double>(300));
    if (failed || done < o_.clients) {
      std::fprintf(stderr, "fanout: %d of %d clients failed to open: %s\n",
                   failed + o_.clients - done, o_.clients, first_error.c_str());
      return false;
    }
    int ready = 0;
    for (int p = 0; p < o_.publishers; ++p) {
      publishers_.push_back(NewClient(o_.clients + p));
      BayeuxClient* c = publishers_.back().get();
      c->Handshake([&, c](bool ok, const std::string& e) {
        if (!ok && failed++ == 0) first_error = e;
        if (ok) c->StartPolling(nullptr);
        ++ready;
      });
    }
    RunUntil(
        &loop_, [&] { return ready == o_.publishers; }, duration<double>(60));
    if (failed || ready < o_.publishers) {
      std::fprintf(stderr, "fanout: publishers failed to open: %s\n",
                   first_error.c_str());
      return false;
    }
    return true;
  }

  int64_t NowMicros() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() -
                                                                 base_)
        .count();
  }

  void OnEvent(const json::value& data) {
    const auto* o = data.if_object();
    if (!o) return;
    const auto* t = o->if_contains("t");
    const auto* s = o->if_contains("s");
    if (!t || !s || !t->is_int64() || !s->is_int64()) return;
    const int64_t step = s->as_int64();
    if (step < 0 || step >= static_cast<int64_t>(steps_.size())) return;
    Step& st = *steps_[step];
    ++st.delivered;
    st.latency.Add(NowMicros() - t->as_int64());
    st.last_delivery = Clock::now();
  }

  // One message's data: send time, step, and padding to message_bytes.
  json::value Message(int step) {
    json::object data{{"t", NowMicros()}, {"s", step}, {"p", ""}};
    const size_t size = json::serialize(data).size();
    if (size < static_cast<size_t>(o_.message_bytes))
      data["p"] = std::string(o_.message_bytes - size, 'x');
    return data;
  }

  void RunStep(int index, int rate) {
    Step& st = *steps_[index];
    st.rate = rate;
    st.start = st.last_delivery = Clock::now();
    const double cpu0 = CpuSeconds();
    ServerMeter server(o_.server_pid);
    server.Start();
    const auto interval =
        duration<double>(static_cast<double>(o_.batch) * o_.publishers / rate);
    const auto end = st.start + std::chrono::duration_cast<Clock::duration>(
                                    duration<double>(o_.step_seconds));
    std::uniform_int_distribution<int> room(0, o_.rooms - 1);
    const int64_t failures_before = publish_failures_;
    for (int p = 0; p < o_.publishers; ++p) {
      auto first = st.start + std::chrono::duration_cast<Clock::duration>(
                                  interval * p / o_.publishers);
      auto fire = std::make_shared<std::function<void(Clock::time_point)>>();
      *fire = [&, p, interval, end, index, room,
               weak = std::weak_ptr(fire)](Clock::time_point at) mutable {
        std::vector<std::pair<std::string, json::value>> batch;
        for (int m = 0; m < o_.batch; ++m) {
          const int r = room(rng_);
          batch.emplace_back(kRoomPrefix + std::to_string(r), Message(index));
          st.expected += subscribers_[r];
          ++st.published;
        }
        const int64_t sent_at = NowMicros();
        publishers_[p]->Publish(
            batch, [this, &st, sent_at](bool ok, const auto& error) {
              if (!ok && publish_failures_++ == 0) first_publish_error_ = error;
              st.publish_latency.Add(NowMicros() - sent_at);
            });
        auto next = at + std::chrono::duration_cast<Clock::duration>(interval);
        if (next < end)
          loop_.At(next, [weak, next] {
            if (auto f = weak.lock()) (*f)(next);
          });
      };
      fires_.push_back(fire);
      loop_.At(first, [weak = std::weak_ptr(fire), first] {
        if (auto f = weak.lock()) (*f)(first);
      });
    }
    RunUntil(
        &loop_, [] { return false; }, end - Clock::now());
    RunUntil(
        &loop_, [&] { return st.delivered >= st.expected; },
        duration<double>(o_.drain_seconds));
    fires_.clear();
    if (publish_failures_ > failures_before)
      std::printf("  %lld publish requests failed (first: %.200s)\n",
                  static_cast<long long>(publish_failures_ - failures_before),
                  first_publish_error_.c_str());
    st.wall_seconds = duration<double>(Clock::now() - st.start).count();
    st.cpu_seconds = CpuSeconds() - cpu0;
    if (server.enabled()) st.server_cpu_seconds = server.Stop().cpu_us / 1e6;
    const double span = std::max(
        o_.step_seconds, duration<double>(st.last_delivery - st.start).count());
    st.msgs_per_s = st.delivered / span;
    const double share =
        st.expected ? static_cast<double>(st.delivered) / st.expected : 0;
    const double p99 = st.latency.PercentileMs(0.99);
    st.sustained = share >= o_.min_delivered && p99 <= o_.saturation_p99_ms;
    st.within_goal = st.sustained && p99 <= o_.goal_p99_ms;
  }

  // ", server CPU N%" when the server's pid is known, else "".
  static std::string ServerCpu(const Step& st) {
    if (st.server_cpu_seconds < 0) return {};
    return ", server CPU " +
           std::to_string(static_cast<int>(100 * st.server_cpu_seconds /
                                           st.wall_seconds)) +
           "%";
  }

  void Report(Step& st) {
    std::printf(
        "  rate %6d msg/s published: delivered %9lld of %9lld (%5.1f%%), "
        "%9.0f msg/s, latency p50 %7.2f ms p99 %7.2f ms max %7.1f ms, "
        "publish p99 %6.2f ms, client CPU %3.0f%%%s%s\n",
        st.rate, static_cast<long long>(st.delivered),
        static_cast<long long>(st.expected),
        st.expected ? 100.0 * st.delivered / st.expected : 0.0, st.msgs_per_s,
        st.latency.PercentileMs(0.5), st.latency.PercentileMs(0.99),
        st.latency.MaxMs(), st.publish_latency.PercentileMs(0.99),
        100 * st.cpu_seconds / st.wall_seconds, ServerCpu(st).c_str(),
        st.within_goal ? ""
        : st.sustained ? "  (p99 over the goal)"
                       : "  (not sustained)");
    std::printf(
        "STEP fanout-%s rate=%d msgs_per_s=%.0f p50_ms=%.2f p99_ms=%.2f "
        "sustained=%s server_cpu_us_per_msg=%.2f\n",
        o_.label.c_str(), st.rate, st.msgs_per_s, st.latency.PercentileMs(0.5),
        st.latency.PercentileMs(0.99), st.sustained ? "yes" : "no",
        st.server_cpu_seconds >= 0 && st.delivered > 0
            ? 1e6 * st.server_cpu_seconds / st.delivered
            : 0.0);
    std::fflush(stdout);
  }

  void Summarize() {
    Step* best = nullptr;
    Step* goal = nullptr;
    for (auto& s : steps_) {
      if (s->sustained && (!best || s->msgs_per_s > best->msgs_per_s))
        best = s.get();
      if (s->within_goal && (!goal || s->msgs_per_s > goal->msgs_per_s))
        goal = s.get();
    }
    const bool sustained = best != nullptr;
    if (!best) best = steps_.front().get();
    const int64_t rss = o_.server_pid ? RssKiB(o_.server_pid) : -1;
    const int64_t hwm = o_.server_pid ? StatusKiB(o_.server_pid, "VmHWM") : -1;
    if (rss >= 0)
      std::printf("server VmRSS %lld kB, VmHWM (peak) %lld kB\n",
                  static_cast<long long>(rss), static_cast<long long>(hwm));
    std::printf(
        "best %s step: %d msg/s published, %.0f msg/s delivered, p50 %.2f ms "
        "p99 %.2f ms max %.1f ms, client CPU %.0f%%%s\n",
        sustained ? "sustained" : "(none sustained; first)", best->rate,
        best->msgs_per_s, best->latency.PercentileMs(0.5),
        best->latency.PercentileMs(0.99), best->latency.MaxMs(),
        100 * best->cpu_seconds / best->wall_seconds, ServerCpu(*best).c_str());
    std::printf(
        "RESULT fanout-%s msgs_per_s=%.0f p50_ms=%.2f p99_ms=%.2f "
        "max_ms=%.1f rate=%d sustained=%s client_cpu_pct=%.0f "
        "goal_msgs_per_s=%.0f goal_p99_ms=%.2f server_cpu_us_per_msg=%.2f "
        "clients=%d rooms=%d transport=%s server_rss_kib=%lld "
        "server_hwm_kib=%lld\n",
        o_.label.c_str(), best->msgs_per_s, best->latency.PercentileMs(0.5),
        best->latency.PercentileMs(0.99), best->latency.MaxMs(), best->rate,
        sustained ? "yes" : "no", 100 * best->cpu_seconds / best->wall_seconds,
        goal ? goal->msgs_per_s : 0.0,
        goal ? goal->latency.PercentileMs(0.99) : 0.0,
        best->server_cpu_seconds >= 0 && best->delivered > 0
            ? 1e6 * best->server_cpu_seconds / best->delivered
            : 0.0,
        o_.clients, o_.rooms, TransportName(), static_cast<long long>(rss),
        static_cast<long long>(hwm));
    std::fflush(stdout);
  }

  const FanoutOptions& o_;
  EventLoop loop_;
  std::mt19937 rng_;
  const Clock::time_point base_;
  std::vector<std::unique_ptr<BayeuxClient>> clients_;
  std::vector<std::unique_ptr<BayeuxClient>> publishers_;
  std::vector<int> subscribers_;  // per room
  int64_t publish_failures_ = 0;
  std::string first_publish_error_;
  std::vector<std::unique_ptr<Step>> steps_;
  std::vector<std::shared_ptr<std::function<void(Clock::time_point)>>> fires_;
};

}  // namespace

int RunFanout(const FanoutOptions& options) { return FanoutRun(options).Run(); }

}  // namespace workbind::bench
