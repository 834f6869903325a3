#include "storage/postgres/pg_listener.h"

#include <algorithm>
#include <chrono>
#include <pqxx/pqxx>

#include "common/log.h"

namespace workbind::storage::postgres {
namespace {

// How often a waiting listener checks whether it was asked to stop.
constexpr long kPollMicros = 200'000;
constexpr auto kMinBackoff = std::chrono::milliseconds(100);
constexpr auto kMaxBackoff = std::chrono::milliseconds(5000);

class Receiver final : public pqxx::notification_receiver {
 public:
  Receiver(pqxx::connection& c, const std::string& channel,
           const PgListener::Wake& wake)
      : pqxx::notification_receiver(c, channel), wake_(wake) {}
  void operator()(const std::string& payload, int) override { wake_(payload); }

 private:
  const PgListener::Wake& wake_;
};

}  // namespace

PgListener::PgListener(std::string dsn, std::string channel, Wake on_wake,
                       std::string application_name)
    : dsn_(std::move(dsn)),
      channel_(std::move(channel)),
      on_wake_(std::move(on_wake)),
      application_name_(std::move(application_name)) {}

PgListener::~PgListener() { Stop(); }

void PgListener::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void PgListener::Stop() {
  std::thread t;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    t.swap(thread_);
  }
  if (t.joinable()) t.join();
}

void PgListener::Run() {
  auto backoff = kMinBackoff;
  while (!stop_) {
    if (Session()) backoff = kMinBackoff;
    if (stop_) break;
    // Sleep in small steps so that Stop is not delayed by the back-off.
    const auto until = std::chrono::steady_clock::now() + backoff;
    while (!stop_ && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    backoff = std::min(backoff * 2, kMaxBackoff);
  }
}

bool PgListener::Session() {
  bool connected = false;
  try {
    pqxx::connection c(dsn_);
    if (!application_name_.empty()) {
      pqxx::nontransaction set(c);
      set.exec_params("SELECT set_config('application_name', $1, false)",
                      application_name_);
    }
    Receiver receiver(c, channel_, on_wake_);
    // The receiver's LISTEN is in effect from here on, so the catch-up below
    // cannot miss a row: what commits later is announced.
    const int pid = c.backendpid();
    backend_pid_ = pid;
    connected = true;
    ++connections_;
    log::Info("postgres: listening on '{}' (backend {})", channel_, pid);
    on_wake_(std::nullopt);  // catch up with what happened while away
    auto due = std::chrono::steady_clock::now();  // a first check at once
    while (!stop_) {
      auto now = std::chrono::steady_clock::now();
      long wait = kPollMicros;
      if (check_)
        wait = std::clamp<long>(
            std::chrono::duration_cast<std::chrono::microseconds>(due - now)
                .count(),
            0, kPollMicros);
      c.await_notification(wait / 1'000'000, wait % 1'000'000);
      // libpqxx may reconnect behind our back; a new backend means a gap.
      if (!c.is_open() || c.backendpid() != pid) break;
      if (!check_) continue;
      now = std::chrono::steady_clock::now();
      const bool is_due = now >= due;
      if (is_due) due = now + check_every_;
      check_(c, is_due);
    }
  } catch (const std::exception& e) {
    if (!stop_) log::Warn("postgres: listener on '{}': {}", channel_, e.what());
  }
  backend_pid_ = 0;
  if (connected && disconnected_) disconnected_();
  return connected;
}

}  // namespace workbind::storage::postgres
