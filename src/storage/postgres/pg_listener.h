// PgListener: the receiving end of cross-node change announcements. It keeps
// one dedicated connection (outside the store's pool) that LISTENs on one
// channel, and calls `on_wake` from its own thread:
// - with the payload of every NOTIFY on the channel (writers send the id of
//   the row they committed, never the data: payloads stay under 8000 bytes);
// - with std::nullopt right after each (re)connection, because PostgreSQL
//   does not keep notifications for a listener that was away: the consumer
//   then reads every row after the last id it processed (catch-up).
// A lost connection is reopened with exponential back-off (100 ms .. 5 s).
// An optional Check (SetCheck) runs on the same thread and connection after
// every wait for notifications, so that the consumer can read what the
// notifications announced, and also when none came (polling: a lost
// announcement then costs latency, not data).
// An optional Disconnected hook (SetDisconnected) runs on the same thread
// when a connection that had been established ends (lost, or Stop).
// `on_wake`, the check and the hook must not block for long; they run on
// the listener thread.
// Thread-safe: Start and Stop may be called from any thread.
//
// The server listens on kEventChannel (pg_events.h) and hands what it hears
// to domain::NotificationFeed.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace pqxx {
class connection_base;
}

namespace workbind::storage::postgres {

class PgListener {
 public:
  using Wake = std::function<void(const std::optional<std::string>& payload)>;
  // `c` is the listener's connection (usable for queries outside any
  // transaction); `due` is true when `every` passed since the last due
  // call. An exception ends the connection (reconnection with back-off).
  using Check = std::function<void(pqxx::connection_base& c, bool due)>;

  // `channel` must be a plain SQL identifier (letters, digits, _). The
  // connection shows `application_name` (if not empty) in pg_stat_activity,
  // so that an operator (or a test) can find this node's listener.
  PgListener(std::string dsn, std::string channel, Wake on_wake,
             std::string application_name = "");
  ~PgListener();
  PgListener(const PgListener&) = delete;
  PgListener& operator=(const PgListener&) = delete;

  // Sets the check run after each wait for notifications (at most
  // kPollInterval apart, 200 ms) with `due` set every `every`. Call before
  // Start.
  void SetCheck(Check check, std::chrono::milliseconds every) {
    check_ = std::move(check);
    check_every_ = every;
  }

  // Sets the hook run when an established connection ends. Call before
  // Start.
  void SetDisconnected(std::function<void()> hook) {
    disconnected_ = std::move(hook);
  }

  // Starts the listener thread; it connects in the background.
  void Start();
  // Stops the thread and closes the connection; returns within about
  // kPollInterval. Idempotent.
  void Stop();

  // Number of connections established so far (1 after the first, +1 per
  // reconnection). For tests and metrics.
  int connections() const { return connections_.load(); }
  // The server process id of the current connection, 0 when disconnected.
  int backend_pid() const { return backend_pid_.load(); }

 private:
  void Run();
  // Connects, LISTENs and waits for notifications until the connection
  // fails or Stop is called. Returns true when it had connected.
  bool Session();

  const std::string dsn_;
  const std::string channel_;
  const Wake on_wake_;
  const std::string application_name_;
  Check check_;
  std::function<void()> disconnected_;
  std::chrono::milliseconds check_every_{250};
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> backend_pid_{0};
  std::mutex mu_;  // guards thread_
  std::thread thread_;
};

}  // namespace workbind::storage::postgres
