// PgListener: the receiving end of cross-node change announcements. It keeps
// one dedicated connection (outside the store's pool) that LISTENs on one
// channel, and calls `on_wake` from its own thread:
// - with the payload of every NOTIFY on the channel (writers send the id of
//   the row they committed, never the data: payloads stay under 8000 bytes);
// - with std::nullopt right after each (re)connection, because PostgreSQL
//   does not keep notifications for a listener that was away: the consumer
//   then reads every row after the last id it processed (catch-up).
// A lost connection is reopened with exponential back-off (100 ms .. 5 s).
// `on_wake` must not block for long; it runs on the listener thread.
// Thread-safe: Start and Stop may be called from any thread.
//
// The server listens on kEventChannel (pg_events.h) and hands what it hears
// to domain::NotificationFeed.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace workbind::storage::postgres {

class PgListener {
 public:
  using Wake = std::function<void(const std::optional<std::string>& payload)>;

  // `channel` must be a plain SQL identifier (letters, digits, _). The
  // connection shows `application_name` (if not empty) in pg_stat_activity,
  // so that an operator (or a test) can find this node's listener.
  PgListener(std::string dsn, std::string channel, Wake on_wake,
             std::string application_name = "");
  ~PgListener();
  PgListener(const PgListener&) = delete;
  PgListener& operator=(const PgListener&) = delete;

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
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> backend_pid_{0};
  std::mutex mu_;  // guards thread_
  std::thread thread_;
};

}  // namespace workbind::storage::postgres
