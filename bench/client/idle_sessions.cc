#include "idle_sessions.h"

#include <cstdio>
#include <memory>
#include <vector>

#include "bayeux_client.h"
#include "process_stats.h"
#include "run_until.h"

namespace workbind::bench {
namespace {

using std::chrono::duration;
constexpr int kOpenWindow = 100;
constexpr const char* kSubscription = "/v2/me/*";

class IdleRun {
 public:
  explicit IdleRun(const IdleOptions& o)
      : o_(o), jar_(std::make_shared<CookieJar>()) {}

  int Run() {
    std::printf("idle: %d %s sessions from %d source address(es)\n",
                o_.sessions, TransportName(), o_.sources);
    std::printf("machine: %s\n", MachineLine().c_str());
    if (!Login()) return 1;
    // Warm-up: one session through every code path, so that first-use
    // allocations are not counted per session.
    if (Open(1, 0) != 1) return 1;
    RunFor(&loop_, duration<double>(0.5));
    const int64_t before = RssKiB(o_.server_pid);
    const int opened = Open(o_.sessions, 1);
    if (opened < o_.sessions) {
      std::fprintf(stderr, "idle: only %d of %d sessions opened: %s\n", opened,
                   o_.sessions, first_error_.c_str());
      return 1;
    }
    RunFor(&loop_, duration<double>(o_.settle_seconds));
    const int64_t after = RssKiB(o_.server_pid);
    const double per = (after - before) * 1024.0 / o_.sessions;
    std::printf("VmRSS before: %lld kB, after: %lld kB, difference: %lld kB\n",
                static_cast<long long>(before), static_cast<long long>(after),
                static_cast<long long>(after - before));
    std::printf("per idle session: %.1f KiB (%.0f bytes)\n", per / 1024, per);
    std::printf(
        "RESULT idle sessions=%d rss_before_kib=%lld rss_after_kib=%lld "
        "bytes_per_session=%.0f transport=%s\n",
        o_.sessions, static_cast<long long>(before),
        static_cast<long long>(after), per, TransportName());
    for (auto& c : clients_) c->Stop();
    return 0;
  }

 private:
  const char* TransportName() const {
    return o_.transport == BayeuxTransport::kWebSocket ? "websocket"
                                                       : "long-polling";
  }

  // One REST login with Basic credentials: its JSESSIONID goes in the jar
  // every session uses.
  bool Login() {
    HttpConnection conn(&loop_, o_.endpoint);
    HttpCall call;
    call.target = "/api/v2/me";
    call.headers.push_back({"Authorization", o_.authorization});
    bool done = false, ok = false;
    conn.Send(call, [&](HttpReply r) {
      done = true;
      ok = r.ok() && r.status == 200;
      if (ok) jar_->Absorb(r);
      if (!ok) first_error_ = r.error + " HTTP " + std::to_string(r.status);
    });
    RunUntil(
        &loop_, [&] { return done; }, duration<double>(30));
    if (!ok)
      std::fprintf(stderr, "idle: login failed: %s\n", first_error_.c_str());
    return ok;
  }

  // Opens `count` sessions, numbered from `first` (for source addresses);
  // returns how many opened.
  int Open(int count, int first) {
    int next = 0, done = 0, ok_count = 0;
    std::function<void()> open_one = [&] {
      if (next >= count) return;
      const int i = first + next++;
      BayeuxConfig config;
      config.endpoint = o_.endpoint;
      if (o_.sources > 1)
        config.endpoint.bind_address =
            "127.0.0." + std::to_string(1 + i % o_.sources);
      config.cookies = jar_;
      config.transport = o_.transport;
      clients_.push_back(std::make_unique<BayeuxClient>(&loop_, config));
      BayeuxClient* c = clients_.back().get();
      auto finish = [&, c](bool ok, const std::string& e) {
        ++done;
        if (ok) {
          ++ok_count;
          c->StartPolling(nullptr);
        } else if (first_error_.empty()) {
          first_error_ = e;
        }
        open_one();
      };
      c->Handshake([c, finish](bool ok, const std::string& e) {
        if (!ok) return finish(false, e);
        c->Subscribe({kSubscription}, finish);
      });
    };
    for (int w = 0; w < kOpenWindow; ++w) open_one();
    RunUntil(
        &loop_, [&] { return done == count; }, duration<double>(600));
    return ok_count;
  }

  const IdleOptions& o_;
  EventLoop loop_;
  std::shared_ptr<CookieJar> jar_;
  std::vector<std::unique_ptr<BayeuxClient>> clients_;
  std::string first_error_;
};

}  // namespace

int RunIdle(const IdleOptions& options) { return IdleRun(options).Run(); }

}  // namespace workbind::bench
