// The backend factory of the composition root: the only code that knows
// every storage backend. Declared in the storage namespace, beside the
// interface it opens.
//
// OpenStore: creates the backend named by the options, runs its migrations
// and returns it. Errors: kInvalidArgument for an unknown backend; a storage
// error (unavailable) when the database cannot be opened or migrated.
//
// OpenChangeListener: the cross-node events of a backend that several nodes
// share (PostgreSQL: LISTEN/NOTIFY, storage/postgres/pg_events.h); nullptr
// for a backend that serves one node (SQLite).
#pragma once

#include <memory>
#include <string>

#include "storage/change_listener.h"
#include "storage/routing_leases.h"
#include "storage/store.h"

namespace workbind::storage {

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

// `application_name` names the listener's database connection (visible to
// the database's operators).
Result<std::unique_ptr<ChangeListener>> OpenChangeListener(
    const StoreOptions& options, ChangeEvents events,
    const std::string& application_name);

// The routing leases of the backend (storage/routing_leases.h): on SQLite
// every lease is this node's; on PostgreSQL the nodes compete for them on a
// dedicated connection named `application_name`.
Result<std::unique_ptr<RoutingLeases>> OpenRoutingLeases(
    const StoreOptions& options, LeaseEvents events,
    const std::string& application_name);

}  // namespace workbind::storage
