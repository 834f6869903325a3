// OpenStore: creates the backend named by the options, runs its migrations
// and returns it. Errors: kInvalidArgument for an unknown backend; a storage
// error (unavailable) when the database cannot be opened or migrated.
//
// OpenChangeListener: the cross-node events of a backend that several nodes
// share (PostgreSQL: LISTEN/NOTIFY, storage/postgres/pg_events.h); nullptr
// for a backend that serves one node (SQLite).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "storage/store.h"

namespace workbind::storage {

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

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

// `application_name` names the listener's database connection (visible to
// the database's operators).
Result<std::unique_ptr<ChangeListener>> OpenChangeListener(
    const StoreOptions& options, ChangeEvents events,
    const std::string& application_name);

}  // namespace workbind::storage
