// OpenStore: creates the backend named by the options, runs its migrations
// and returns it. Errors: kInvalidArgument for an unknown backend; a storage
// error (unavailable) when the database cannot be opened or migrated.
#pragma once

#include <memory>

#include "storage/store.h"

namespace workbind::storage {

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options);

}  // namespace workbind::storage
