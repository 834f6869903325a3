#include "app/open_store.h"

#include "storage/postgres/pg_events.h"
#include "storage/postgres/pg_routing_leases.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace workbind::storage {

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  if (options.backend == "sqlite") return sqlite::OpenSqliteStore(options);
  if (options.backend == "postgres")
    return postgres::OpenPostgresStore(options);
  return InvalidArgument("Unknown storage backend '" + options.backend + "'");
}

Result<std::unique_ptr<ChangeListener>> OpenChangeListener(
    const StoreOptions& options, ChangeEvents events,
    const std::string& application_name) {
  if (options.backend == "sqlite") return std::unique_ptr<ChangeListener>();
  if (options.backend == "postgres")
    return postgres::OpenPgChangeListener(options, std::move(events),
                                          application_name);
  return InvalidArgument("Unknown storage backend '" + options.backend + "'");
}

Result<std::unique_ptr<RoutingLeases>> OpenRoutingLeases(
    const StoreOptions& options, LeaseEvents events,
    const std::string& application_name) {
  if (options.backend == "sqlite")
    return std::unique_ptr<RoutingLeases>(
        std::make_unique<AlwaysHeldRoutingLeases>());
  if (options.backend == "postgres")
    return postgres::OpenPgRoutingLeases(options, std::move(events),
                                         application_name);
  return InvalidArgument("Unknown storage backend '" + options.backend + "'");
}

}  // namespace workbind::storage
