// PostgresStore: the backend for one or several workbind nodes sharing a
// PostgreSQL database. Each Read runs in a REPEATABLE READ read-only
// transaction and each Write in a SERIALIZABLE transaction, on a connection
// of a small pool, in the calling (worker) thread; PostgreSQL's own
// group commit makes concurrent commits share WAL flushes. Because every
// Write is serializable, the domain's read-then-write rules (a conditional
// pull, a capacity check, a name taken in another table) hold across
// connections and across nodes as they do with SQLite's single writer.
// A Write that meets a serialization failure or deadlock, or loses its
// connection before committing, is run again (its callback included) up to
// a bounded number of times. Thread-safe.
#pragma once

#include <memory>

#include "storage/store.h"

namespace workbind::storage::postgres {

// Connects to options.postgres_dsn with up to options.postgres_pool_size
// connections and applies the migrations the database lacks (several nodes
// may start at once: an advisory lock orders them). Unavailable storage
// error when the server cannot be reached or the migrations fail.
Result<std::unique_ptr<Store>> OpenPostgresStore(const StoreOptions& options);

}  // namespace workbind::storage::postgres
