// Internal to net/. The state shared by the server and its connections:
// the registry of live connections (for counting, max_connections and
// shutdown), the gate that makes posting to the I/O context safe from any
// thread, and the SessionContext that bundles them with the limits, the
// transport's own replies and the request handler. No Beast or Asio here. All
// classes are thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "net/server_limits.h"
#include "net/transport_replies.h"

namespace workbind::net {

class RequestHandler;

// A live connection as the registry sees it. Both methods may be called from
// any thread; implementations post the work to the connection's executor.
class Session {
 public:
  virtual ~Session() = default;
  // Stop taking new requests; close once the replies in progress are written.
  virtual void Drain() = 0;
  // Close the socket now, abandoning anything in progress.
  virtual void ForceClose() = 0;
};

// Counts and tracks the open connections. One entry per socket: an HTTP
// connection upgraded to WebSocket keeps its entry (Replace). Holds weak
// references only; sessions are owned by their pending I/O operations.
class ConnectionRegistry {
 public:
  using Id = uint64_t;

  // Registers a new connection. Returns its id, or 0 once DrainAll has been
  // called (the caller must then close the socket).
  Id Add(std::weak_ptr<Session> session);
  // Points an existing entry at another session object (HTTP -> WebSocket).
  void Replace(Id id, std::weak_ptr<Session> session);
  // Removes an entry (called when a session object is destroyed). Unknown ids
  // and 0 are ignored.
  void Remove(Id id);
  // Open connections.
  size_t size() const;
  // Refuses further Add calls and asks every connection to drain.
  void DrainAll();
  // Asks every connection to close at once.
  void ForceCloseAll();
  // Blocks until no connection is left or `deadline` passes. Returns true
  // when the registry is empty.
  bool WaitEmpty(std::chrono::steady_clock::time_point deadline);

 private:
  std::vector<std::shared_ptr<Session>> Snapshot() const;

  mutable std::mutex mu_;
  std::condition_variable empty_cv_;
  std::unordered_map<Id, std::weak_ptr<Session>> sessions_;
  Id next_id_ = 1;
  bool draining_ = false;
};

// Guards posting to the I/O context from threads outside it (Responders,
// WebSocketConnection::Send). The server closes the gate before destroying
// the io_context; code inside Run holds the gate open, so any strong reference
// to a session taken inside Run is released before the context goes away.
class IoGate {
 public:
  // Runs `fn` while the I/O context is alive; returns false (without running
  // it) once the gate is closed.
  template <typename Fn>
  bool Run(Fn&& fn) {
    std::shared_lock lock(mu_);
    if (!open_) return false;
    fn();
    return true;
  }
  // Closes the gate for good; waits for the calls inside Run to finish.
  void Close() {
    std::unique_lock lock(mu_);
    open_ = false;
  }

 private:
  std::shared_mutex mu_;
  bool open_ = true;
};

// Shared by the server, every session and every Responder. Outlives the
// io_context (sessions hold it by shared_ptr). `handler` is owned by the
// caller of HttpServer and must outlive HttpServer::Stop.
struct SessionContext {
  SessionContext(ServerLimits l, TransportReplies r, RequestHandler* h)
      : limits(l), replies(std::move(r)), handler(h) {}

  const ServerLimits limits;
  const TransportReplies replies;
  RequestHandler* const handler;
  ConnectionRegistry registry;
  IoGate gate;
};

}  // namespace workbind::net
