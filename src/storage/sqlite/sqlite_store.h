// SqliteStore: the embedded backend. One writer thread owns the write
// connection and commits concurrent Write() calls together (group commit:
// BEGIN, one SAVEPOINT per call, COMMIT, then every caller is released), so a
// returned OK means the change is on disk (synchronous=FULL) while many
// callers share one fsync. Reads use a small pool of WAL reader connections.
// Thread-safe.
#pragma once

#include <memory>

#include "storage/store.h"

namespace workbind::storage::sqlite {

// Opens (creating) <data_dir>/workbind.db and migrates it. The store holds
// the data folder's DataDirLock shared until it is destroyed (data_dir_lock.h);
// it fails to open (storage error, unavailable) while a restore holds it.
Result<std::unique_ptr<Store>> OpenSqliteStore(const StoreOptions& options);

}  // namespace workbind::storage::sqlite
