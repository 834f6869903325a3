// Turns libpqxx exceptions into storage Status values, with the same codes
// and messages as the SQLite backend (storage/codec/storage_status.h), and
// says what the caller should do next.
// Pure functions; thread-safe.
#pragma once

#include <exception>
#include <string>

#include "common/status.h"

namespace workbind::storage::postgres {

// What a driver failure means for the transaction that saw it.
struct DriverError {
  Status status;
  // Serialization failure or deadlock: run the whole transaction again.
  bool retry = false;
  // The connection is gone or in an unknown state: drop it from the pool.
  bool broken = false;
};

// Classifies `e`, thrown by a statement of a step named by `code`
// (kStorageRead, kStorageCreate, ...):
// - unique violation: kAlreadyExists;
// - serialization failure, deadlock: `code`, retry;
// - lost connection, shutdown, commit outcome unknown: `code` with
//   unavailable() set, broken;
// - out of disk, memory or connections: `code` with unavailable() set;
// - anything else: `code`.
DriverError Classify(const std::exception& e, Code code);

}  // namespace workbind::storage::postgres
