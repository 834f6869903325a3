// The statuses of failed storage steps, the same for every backend: the
// client message of each storage code ("Unable to update resource").
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "common/status.h"

namespace workbind::storage::codec {

// The message of a step named by `code`: kStorageCreate, kStorageDelete,
// kStorageUpdate, kStorageAssign, kStorageUnassign; "Unable to retrieve
// resource" for any other code (kStorageRead).
std::string StorageMessage(Code code);

// A failure of the step `code` with its message; `unavailable`: the
// database could not be reached.
Status StorageError(Code code, bool unavailable);

}  // namespace workbind::storage::codec
