#include "storage/open_store.h"

#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace workbind::storage {

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  if (options.backend == "sqlite") return sqlite::OpenSqliteStore(options);
  if (options.backend == "postgres")
    return postgres::OpenPostgresStore(options);
  return InvalidArgument("Unknown storage backend '" + options.backend + "'");
}

}  // namespace workbind::storage
