#include "rest_ops.h"

#include <boost/json.hpp>
#include <cstdio>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

#include "basic_auth.h"
#include "bayeux_client.h"
#include "latency_recorder.h"
#include "process_stats.h"
#include "run_until.h"

namespace workbind::bench {
namespace {

namespace json = boost::json;
using Clock = std::chrono::steady_clock;
using std::chrono::duration;

int64_t Micros(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

// One operation's figures within a phase.
struct OpStats {
  int64_t ok = 0, failed = 0;
  LatencyRecorder latency;
  std::string first_error;
};

struct Agent {
  int index = 0;
  std::string name;
  std::unique_ptr<HttpConnection> conn;
  std::shared_ptr<CookieJar> jar = std::make_shared<CookieJar>();
  std::string csrf;
  std::string workbin;
  std::vector<std::string> items;  // items[0] is the one that cycles
  bool cycling_in_workbin = false;
  std::unique_ptr<BayeuxClient> bayeux;
  // notify phase: referenceId -> when its reply / notification arrived
  std::unordered_map<int64_t, Clock::time_point> replied, notified;
};

class RestRun {
 public:
  explicit RestRun(const RestOptions& o) : o_(o) {}

  int Run() {
    std::printf(
        "rest: %d agents (one keep-alive connection each), %d items per "
        "workbin, phases of %.0f s\n",
        o_.agents, o_.items, o_.seconds);
    std::printf("machine: %s\n", MachineLine().c_str());
    const auto t0 = Clock::now();
    if (!Setup()) return 1;
    std::printf("setup (login, %d workitems created per agent) in %.1f s\n",
                o_.items, duration<double>(Clock::now() - t0).count());

    // 1. cycle
    std::map<std::string, OpStats> cycle;
    double cycle_cpu = -1, content_cpu = -1, ceiling_cpu = -1;
    double cycle_s = ClosedLoop(&cycle_cpu, [&](Agent& a, Next next) {
      Add(a, &cycle["Add"], [&, &a = a, next] {
        GetContent(a, &cycle["GetWorkbinContent"],
                   [&, &a = a, next] { Pull(a, &cycle["Pull"], next); });
      });
    });
    std::printf("cycle Add -> GetWorkbinContent (%d items) -> Pull:\n",
                o_.items);
    for (const char* op : {"Add", "GetWorkbinContent", "Pull"})
      Print(op, cycle[op], cycle_s);
    const double add_pull = (cycle["Add"].ok + cycle["Pull"].ok) / cycle_s;
    std::printf("  durable Add+Pull: %.0f ops/s\n", add_pull);

    // 2. content only, with the cycling item in (items in the workbin)
    for (auto& a : agents_) Add(a.get(), nullptr, [] {});
    RunUntil(
        &loop_, [&] { return Idle(); }, duration<double>(60));
    std::map<std::string, OpStats> content;
    double content_s = ClosedLoop(&content_cpu, [&](Agent& a, Next next) {
      GetContent(a, &content["GetWorkbinContent"], next);
    });
    std::printf("GetWorkbinContent (%d items) alone:\n", o_.items);
    Print("GetWorkbinContent", content["GetWorkbinContent"], content_s);

    // 3. ceiling
    std::map<std::string, OpStats> ceiling;
    double ceiling_s = ClosedLoop(&ceiling_cpu, [&](Agent& a, Next next) {
      Version(a, &ceiling["version"], next);
    });
    std::printf("GET /api/v2/diagnostics/version (ceiling):\n");
    Print("version", ceiling["version"], ceiling_s);
    const double content_ops = content["GetWorkbinContent"].ok / content_s;
    const double ceiling_ops = ceiling["version"].ok / ceiling_s;
    const double ratio = ceiling_ops > 0 ? content_ops / ceiling_ops : 0;
    std::printf("  GetWorkbinContent / ceiling: %.1f%%\n", 100 * ratio);
    std::printf(
        "RESULT rest agents=%d add_pull_ops_per_s=%.0f add_p99_ms=%.2f "
        "pull_p99_ms=%.2f content_ops_per_s=%.0f content_p99_ms=%.2f "
        "ceiling_ops_per_s=%.0f content_ratio=%.3f\n",
        o_.agents, add_pull, cycle["Add"].latency.PercentileMs(0.99),
        cycle["Pull"].latency.PercentileMs(0.99), content_ops,
        content["GetWorkbinContent"].latency.PercentileMs(0.99), ceiling_ops,
        ratio);
    if (o_.server_pid > 0)
      std::printf(
          "RESULT rest_cpu cycle_cpu_us_per_req=%.1f "
          "content_cpu_us_per_req=%.1f ceiling_cpu_us_per_req=%.1f\n",
          cycle_cpu, content_cpu, ceiling_cpu);
    std::fflush(stdout);

    if (o_.notify_rate > 0) NotifyPhase();
    for (auto& a : agents_) {
      if (a->bayeux) a->bayeux->Stop();
      a->conn->Close();
    }
    return 0;
  }

 private:
  using Next = std::function<void()>;
  using Handler = std::function<void(const HttpReply&, const json::value&)>;

  // Sends one request of agent `a` with its cookies and CSRF token; parses
  // the JSON reply. `stats` (may be null) gets the latency and outcome,
  // when recording_ is on. A reply is ok when HTTP 200 and statusCode 0.
  void Call(Agent& a, const char* method, std::string target, std::string body,
            OpStats* stats, Handler done, bool authenticated = true) {
    HttpCall call;
    call.method = method;
    call.target = std::move(target);
    call.body = std::move(body);
    if (authenticated) {
      a.jar->Apply(&call);
      if (!a.csrf.empty()) call.headers.push_back({"X-CSRF-TOKEN", a.csrf});
    }
    const auto start = Clock::now();
    ++in_flight_;
    a.conn->Send(std::move(call), [this, &a, start, stats, authenticated,
                                   done = std::move(done)](HttpReply r) {
      --in_flight_;
      ++replies_;
      if (authenticated) a.jar->Absorb(r);
      json::value v;
      boost::system::error_code ec;
      if (r.ok()) v = json::parse(r.body, ec);
      const auto* o = v.if_object();
      const auto* code = o ? o->if_contains("statusCode") : nullptr;
      const bool ok = r.ok() && r.status == 200 &&
                      (!code || (code->is_int64() && code->as_int64() == 0));
      if (stats && recording_) {
        if (ok) {
          ++stats->ok;
          stats->latency.Add(Micros(Clock::now() - start));
        } else if (stats->failed++ == 0) {
          stats->first_error =
              r.ok() ? "HTTP " + std::to_string(r.status) + " " + r.body
                     : r.error;
        }
      }
      if (!ok && setup_error_.empty())
        setup_error_ = a.name + ": " + (r.ok() ? r.body : r.error);
      done(r, ok ? v : json::value());
    });
  }

  std::string WorkbinPath(const Agent& a) const {
    return "/api/v2/me/workbins/" + a.workbin;
  }

  void Add(Agent& a, OpStats* stats, Next next) {
    Add(&a, stats, std::move(next));
  }
  void Add(Agent* a, OpStats* stats, Next next) {
    a->cycling_in_workbin = true;
    Call(*a, "POST", WorkbinPath(*a),
         json::serialize(json::object{{"operationName", "AddWorkitem"},
                                      {"id", a->items[0]}}),
         stats, [next](const HttpReply&, const json::value&) { next(); });
  }

  void Pull(Agent& a, OpStats* stats, Next next) {
    a.cycling_in_workbin = false;
    Call(a, "POST", WorkbinPath(a),
         json::serialize(json::object{{"operationName", "PullWorkitem"},
                                      {"id", a.items[0]}}),
         stats, [next](const HttpReply&, const json::value&) { next(); });
  }

  void GetContent(Agent& a, OpStats* stats, Next next) {
    Call(a, "GET", WorkbinPath(a) + "/workitems?fields=*", "", stats,
         [next](const HttpReply&, const json::value&) { next(); });
  }

  void Version(Agent& a, OpStats* stats, Next next) {
    Call(
        a, "GET", "/api/v2/diagnostics/version", "", stats,
        [next](const HttpReply&, const json::value&) { next(); }, false);
  }

  bool Idle() const { return in_flight_ == 0; }

  // Runs `step` for every agent in a closed loop for o_.seconds (each agent
  // starts its next step when the previous one finished); returns the
  // measured seconds. Steps that finish after the window are not counted.
  // With o_.server_pid, *cpu_us_per_req gets the server's CPU time over the
  // whole phase (the drain after the window included) divided by the
  // replies of that time.
  double ClosedLoop(double* cpu_us_per_req,
                    std::function<void(Agent&, Next)> step) {
    bool running = true;
    const double cpu0 =
        o_.server_pid > 0 ? ProcessCpuSeconds(o_.server_pid) : -1;
    const int64_t replies0 = replies_;
    const auto start = Clock::now();
    recording_ = true;
    for (auto& a : agents_) {
      auto loop_one = std::make_shared<Next>();
      *loop_one = [&, agent = a.get(), weak = std::weak_ptr(loop_one)] {
        if (!running) return;
        step(*agent, [weak] {
          if (auto f = weak.lock()) (*f)();
        });
      };
      loops_.push_back(loop_one);
      (*loop_one)();
    }
    RunFor(&loop_, duration<double>(o_.seconds));
    recording_ = false;
    const double seconds = duration<double>(Clock::now() - start).count();
    running = false;
    RunUntil(
        &loop_, [&] { return Idle(); }, duration<double>(60));
    loops_.clear();
    if (cpu0 >= 0 && replies_ > replies0)
      *cpu_us_per_req = 1e6 * (ProcessCpuSeconds(o_.server_pid) - cpu0) /
                        (replies_ - replies0);
    return seconds;
  }

  void Print(const char* op, OpStats& s, double seconds) {
    std::printf(
        "  %-18s %8.0f ops/s  p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max "
        "%7.1f ms",
        op, s.ok / seconds, s.latency.PercentileMs(0.5),
        s.latency.PercentileMs(0.9), s.latency.PercentileMs(0.99),
        s.latency.MaxMs());
    if (s.failed)
      std::printf("  (%lld failed: %.200s)", static_cast<long long>(s.failed),
                  s.first_error.c_str());
    std::printf("\n");
  }

  // The node agent `i` talks to (REST and CometD).
  const Endpoint& EndpointOf(int i) const {
    const size_t n = 1 + o_.more_endpoints.size();
    const size_t k = static_cast<size_t>(i) % n;
    return k == 0 ? o_.endpoint : o_.more_endpoints[k - 1];
  }

  // Logs every agent in, finds its workbin and the queue, creates `items`
  // workitems and adds all but the first (the cycling one) to the workbin.
  bool Setup() {
    int ready = 0;
    for (int i = 0; i < o_.agents; ++i) {
      auto a = std::make_unique<Agent>();
      a->index = i;
      a->name = o_.agent_prefix + std::to_string(i + 1);
      a->conn = std::make_unique<HttpConnection>(&loop_, EndpointOf(i));
      agents_.push_back(std::move(a));
    }
    for (auto& ptr : agents_) {
      Agent& a = *ptr;
      HttpCall login;
      login.target = "/api/v2/me";
      login.headers.push_back(
          {"Authorization", BasicAuthorization(a.name, o_.agent_password)});
      a.conn->Send(login, [&](HttpReply r) {
        if (!r.ok() || r.status != 200) {
          setup_error_ = a.name + " login: " + r.error + r.body;
          return;
        }
        a.jar->Absorb(r);
        a.csrf = std::string(r.Header("X-CSRF-TOKEN"));
        FindWorkbinAndQueue(a, [&] { CreateItems(a, [&] { ++ready; }); });
      });
    }
    RunUntil(
        &loop_, [&] { return ready == o_.agents || !setup_error_.empty(); },
        duration<double>(600));
    if (ready < o_.agents) {
      std::fprintf(stderr, "rest: setup failed: %.400s\n",
                   setup_error_.c_str());
      return false;
    }
    return true;
  }

  void FindWorkbinAndQueue(Agent& a, Next next) {
    Call(a, "GET", "/api/v2/me/workbins?fields=*", "", nullptr,
         [this, &a, next](const HttpReply&, const json::value& v) {
           if (v.is_null()) return;
           try {
             for (const auto& wb : v.at("workbins").as_array())
               if (wb.at("name").as_string() == o_.workbin)
                 a.workbin = std::string(wb.at("id").as_string());
           } catch (const std::exception& e) {
             setup_error_ = a.name + " workbins: " + e.what();
             return;
           }
           if (a.workbin.empty()) {
             setup_error_ = a.name + " has no workbin " + o_.workbin;
             return;
           }
           if (!queue_id_.empty()) return next();
           Call(a, "GET", "/api/v2/queues?fields=*", "", nullptr,
                [this, &a, next](const HttpReply&, const json::value& v) {
                  if (v.is_null()) return;
                  try {
                    for (const auto& q : v.at("queues").as_array())
                      if (q.at("name").as_string() == o_.queue)
                        queue_id_ = std::string(q.at("id").as_string());
                  } catch (const std::exception& e) {
                    setup_error_ = std::string("queues: ") + e.what();
                    return;
                  }
                  if (queue_id_.empty()) {
                    setup_error_ = "no queue " + o_.queue;
                    return;
                  }
                  next();
                });
         });
  }

  void CreateItems(Agent& a, Next done) {
    if (static_cast<int>(a.items.size()) == o_.items) return done();
    Call(a, "POST", "/api/v2/me/workitems",
         json::serialize(json::object{{"operationName", "Create"},
                                      {"queueUri", "/queues/" + queue_id_}}),
         nullptr, [this, &a, done](const HttpReply&, const json::value& v) {
           const auto* id_value =
               v.is_object() ? v.as_object().if_contains("id") : nullptr;
           if (!id_value || !id_value->is_string()) {
             setup_error_ = a.name + ": Create gave no id";
             return;
           }
           const std::string id(id_value->as_string());
           a.items.push_back(id);
           if (a.items.size() == 1) return CreateItems(a, done);
           Call(a, "POST", WorkbinPath(a),
                json::serialize(
                    json::object{{"operationName", "AddWorkitem"}, {"id", id}}),
                nullptr,
                [this, &a, done](const HttpReply&, const json::value& v) {
                  if (!v.is_null()) CreateItems(a, done);
                });
         });
  }

  // Phase 4: paced Add/Pull with a CometD session per agent.
  void NotifyPhase() {
    int subscribed = 0;
    for (auto& ptr : agents_) {
      Agent& a = *ptr;
      BayeuxConfig config;
      config.endpoint = EndpointOf(a.index);
      config.cookies = a.jar;
      a.bayeux = std::make_unique<BayeuxClient>(&loop_, config);
      a.bayeux->Handshake([&](bool ok, const std::string& e) {
        if (!ok) {
          setup_error_ = e;
          return;
        }
        a.bayeux->Subscribe(
            {"/v2/me/workbins"}, [&](bool ok, const std::string& e) {
              if (!ok) setup_error_ = e;
              if (!ok) return;
              ++subscribed;
              a.bayeux->StartPolling(
                  [this, &a](std::string_view, const json::value& data) {
                    OnNotification(a, data);
                  });
            });
      });
    }
    if (!RunUntil(
            &loop_, [&] { return subscribed == o_.agents; },
            duration<double>(120))) {
      std::fprintf(stderr, "notify: CometD setup failed: %s\n",
                   setup_error_.c_str());
      return;
    }
    RunFor(&loop_, duration<double>(0.5));
    notify_latency_.Clear();
    early_ = 0;
    int64_t sent = 0;
    const auto start = Clock::now();
    const auto end = start + std::chrono::duration_cast<Clock::duration>(
                                 duration<double>(o_.notify_seconds));
    const auto interval =
        duration<double>(static_cast<double>(o_.agents) / o_.notify_rate);
    std::vector<std::shared_ptr<std::function<void(Clock::time_point)>>> fires;
    OpStats ops;
    recording_ = true;
    for (auto& ptr : agents_) {
      Agent& a = *ptr;
      auto fire = std::make_shared<std::function<void(Clock::time_point)>>();
      *fire = [&, weak = std::weak_ptr(fire)](Clock::time_point at) {
        ++sent;
        Handler on_reply = [this, &a](const HttpReply&, const json::value& v) {
          if (v.is_null()) return;
          const auto* ref = v.as_object().if_contains("referenceId");
          if (ref && ref->is_int64()) Matched(a, ref->as_int64(), true);
        };
        const char* op = a.cycling_in_workbin ? "PullWorkitem" : "AddWorkitem";
        a.cycling_in_workbin = !a.cycling_in_workbin;
        Call(a, "POST", WorkbinPath(a),
             json::serialize(
                 json::object{{"operationName", op}, {"id", a.items[0]}}),
             &ops, on_reply);
        auto next = at + std::chrono::duration_cast<Clock::duration>(interval);
        if (next < end)
          loop_.At(next, [weak, next] {
            if (auto f = weak.lock()) (*f)(next);
          });
      };
      fires.push_back(fire);
      const auto first = start + std::chrono::duration_cast<Clock::duration>(
                                     interval * a.index / o_.agents);
      loop_.At(first, [weak = std::weak_ptr(fire), first] {
        if (auto f = weak.lock()) (*f)(first);
      });
    }
    RunUntil(
        &loop_, [] { return false; }, end - Clock::now());
    RunUntil(
        &loop_, [&] { return Idle(); }, duration<double>(30));
    RunFor(&loop_, duration<double>(0.5));  // last notifications
    recording_ = false;
    fires.clear();
    const double seconds = duration<double>(Clock::now() - start).count();
    std::printf(
        "notification latency, Add/Pull paced at %d ops/s for %.0f s "
        "(%lld sent, %lld ok, %.0f ops/s):\n",
        o_.notify_rate, o_.notify_seconds, static_cast<long long>(sent),
        static_cast<long long>(ops.ok), ops.ok / o_.notify_seconds);
    std::printf(
        "  HTTP reply -> WorkbinContentChanged: %zu matched, p50 %.2f ms, p99 "
        "%.2f ms, max %.1f ms (%lld arrived before the reply, counted as 0)\n",
        notify_latency_.count(), notify_latency_.PercentileMs(0.5),
        notify_latency_.PercentileMs(0.99), notify_latency_.MaxMs(),
        static_cast<long long>(early_));
    std::printf("  HTTP Add/Pull latency: p50 %.2f ms, p99 %.2f ms\n",
                ops.latency.PercentileMs(0.5), ops.latency.PercentileMs(0.99));
    if (ops.failed)
      std::printf("  %lld failed: %.200s\n", static_cast<long long>(ops.failed),
                  ops.first_error.c_str());
    std::printf(
        "RESULT notify rate=%d ops=%lld matched=%zu p50_ms=%.2f p99_ms=%.2f "
        "max_ms=%.1f early=%lld\n",
        o_.notify_rate, static_cast<long long>(ops.ok), notify_latency_.count(),
        notify_latency_.PercentileMs(0.5), notify_latency_.PercentileMs(0.99),
        notify_latency_.MaxMs(), static_cast<long long>(early_));
    (void)seconds;
    std::fflush(stdout);
  }

  void OnNotification(Agent& a, const json::value& data) {
    const auto* o = data.if_object();
    if (!o) return;
    const auto* type = o->if_contains("messageType");
    const auto* ref = o->if_contains("referenceId");
    if (!type || !ref || !ref->is_int64() ||
        type->as_string() != "WorkbinContentChanged")
      return;
    Matched(a, ref->as_int64(), false);
  }

  // Pairs a reply and a notification of one referenceId of agent `a`.
  void Matched(Agent& a, int64_t ref, bool is_reply) {
    const auto now = Clock::now();
    auto& mine = is_reply ? a.replied : a.notified;
    auto& other = is_reply ? a.notified : a.replied;
    auto it = other.find(ref);
    if (it == other.end()) {
      mine[ref] = now;
      return;
    }
    if (!recording_) return other.erase(it), void();
    if (is_reply) {  // the notification came first
      ++early_;
      notify_latency_.Add(0);
    } else {
      notify_latency_.Add(Micros(now - it->second));
    }
    other.erase(it);
  }

  const RestOptions& o_;
  EventLoop loop_;
  std::vector<std::unique_ptr<Agent>> agents_;
  std::vector<std::shared_ptr<Next>> loops_;
  std::string queue_id_;
  std::string setup_error_;
  int64_t in_flight_ = 0;
  int64_t replies_ = 0;  // every reply, recorded or not
  bool recording_ = false;
  LatencyRecorder notify_latency_;
  int64_t early_ = 0;
};

}  // namespace

int RunRest(const RestOptions& options) { return RestRun(options).Run(); }

}  // namespace workbind::bench
