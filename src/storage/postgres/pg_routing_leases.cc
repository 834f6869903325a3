#include "storage/postgres/pg_routing_leases.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <pqxx/pqxx>
#include <set>
#include <vector>

#include "common/log.h"
#include "storage/postgres/pg_listener.h"

namespace workbind::storage::postgres {
namespace {

class PgRoutingLeases final : public RoutingLeases {
 public:
  PgRoutingLeases(const StoreOptions& options, LeaseEvents events,
                  const std::string& application_name)
      : events_(std::move(events)),
        lease_seconds_(std::max(1, options.postgres_routing_lease_seconds)),
        listener_(
            options.postgres_dsn, std::string(kRoutingChannel),
            [this](const std::optional<std::string>& payload) {
              OnWake(payload);
            },
            application_name) {
    listener_.SetCheck(
        [this](pqxx::connection_base& c, bool due) { Check(c, due); },
        std::chrono::seconds(lease_seconds_));
    listener_.SetDisconnected(
        [this] { LoseAll("connection to the database lost"); });
  }
  ~PgRoutingLeases() override { Stop(); }

  bool Held(const std::string& cc) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (held_.count(cc)) return true;
    if (wanted_.insert(cc).second) untried_.insert(cc);
    return false;
  }

  void WakeHolder(const std::string& cc) override {
    std::lock_guard<std::mutex> lock(mu_);
    wakes_.insert(cc);
  }

  int held_count() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(held_.size());
  }

  void Start() override { listener_.Start(); }
  // Closing the connection releases the locks.
  void Stop() override {
    listener_.Stop();
    LoseAll("stopping");
  }

 private:
  // On the listener thread.
  void OnWake(const std::optional<std::string>& payload) {
    if (!payload) {
      // A new session holds no lock: try every wanted lease at once.
      std::lock_guard<std::mutex> lock(mu_);
      fresh_ = true;
      untried_ = wanted_;
      return;
    }
    if (events_.woken && !payload->empty()) events_.woken(*payload);
  }

  // On the listener thread, at most 200 ms apart; `due` every lease period.
  // An exception ends the connection (and LoseAll follows).
  void Check(pqxx::connection_base& c, bool due) {
    std::vector<std::string> wakes, attempts, held;
    bool fresh = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      wakes.assign(wakes_.begin(), wakes_.end());
      wakes_.clear();
      if (due) {
        for (const auto& cc : wanted_)
          if (!held_.count(cc)) attempts.push_back(cc);
        held.assign(held_.begin(), held_.end());
      } else {
        attempts.assign(untried_.begin(), untried_.end());
      }
      untried_.clear();
      fresh = fresh_;
      fresh_ = false;
    }
    pqxx::nontransaction q(c);
    if (fresh) {
      // The server ends this session (and so releases its leases) about a
      // lease period after the network to this node died, rather than
      // after the operating system's two hours of silence.
      const std::string idle = std::to_string(lease_seconds_);
      q.exec("SET tcp_keepalives_idle = " + idle);
      q.exec("SET tcp_keepalives_interval = 1");
      q.exec("SET tcp_keepalives_count = 3");
    }
    for (const auto& cc : attempts) {
      const pqxx::result r =
          q.exec_params("SELECT pg_try_advisory_lock($1, hashtext($2))",
                        kRoutingLeaseClass, cc);
      if (!r[0][0].as<bool>()) continue;
      {
        std::lock_guard<std::mutex> lock(mu_);
        held_.insert(cc);
      }
      log::Info(
          "routing: this node now routes contact center {} (lease "
          "gained)",
          cc);
      if (events_.gained) events_.gained(cc);
    }
    // After the attempts: a wake sent in the same check finds this node's
    // lease settled.
    for (const auto& cc : wakes)
      q.exec_params("SELECT pg_notify($1, $2)", std::string(kRoutingChannel),
                    cc);
    // Every lease period the holder runs a pass of its own accord, so that a
    // wake lost with a standby's connection costs at most one period (a pass
    // with nothing to do is one read).
    if (events_.woken)
      for (const auto& cc : held) events_.woken(cc);
  }

  void LoseAll(const char* why) {
    std::set<std::string> lost;
    {
      std::lock_guard<std::mutex> lock(mu_);
      lost.swap(held_);
    }
    for (const auto& cc : lost)
      log::Info(
          "routing: this node stops routing contact center {} (lease "
          "lost: {})",
          cc, why);
  }

  const LeaseEvents events_;
  const int lease_seconds_;
  mutable std::mutex mu_;  // guards the sets and fresh_
  std::set<std::string> wanted_;
  std::set<std::string> untried_;
  std::set<std::string> held_;
  std::set<std::string> wakes_;
  bool fresh_ = false;
  PgListener listener_;  // last: its thread uses the members above
};

}  // namespace

std::unique_ptr<RoutingLeases> OpenPgRoutingLeases(
    const StoreOptions& options, LeaseEvents events,
    const std::string& application_name) {
  return std::make_unique<PgRoutingLeases>(options, std::move(events),
                                           application_name);
}

}  // namespace workbind::storage::postgres
