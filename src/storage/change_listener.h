// The cross-node events of a backend that several nodes share (PostgreSQL:
// LISTEN/NOTIFY), as the rest of the server sees them. A backend that serves
// one node (SQLite) has none. app/open_store.h opens the listener of the
// configured backend.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace workbind::storage {

// What a node is told of changes committed by any node (itself included).
// Called on the listener's own thread, one at a time.
struct ChangeEvents {
  // Notification `seq` of `user_id` was stored (its row can be read).
  std::function<void(const std::string& user_id, int64_t seq)> notification;
  // An HTTP session ended.
  std::function<void(const std::string& session_id)> session_ended;
  // The listener (re)connected: events committed while it was away were not
  // received and must be found in the store.
  std::function<void()> connected;
};

class ChangeListener {
 public:
  virtual ~ChangeListener() = default;
  // Starts listening in the background (reconnecting when the connection is
  // lost). Stop returns once no callback runs any more. Both idempotent.
  virtual void Start() = 0;
  virtual void Stop() = 0;
  // Connections established so far (1 + reconnections), for metrics.
  virtual int connections() const = 0;
};

}  // namespace workbind::storage
