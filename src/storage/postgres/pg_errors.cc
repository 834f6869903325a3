#include "storage/postgres/pg_errors.h"

#include <pqxx/pqxx>

#include "common/log.h"
#include "storage/codec/storage_status.h"

namespace workbind::storage::postgres {
namespace {

// SQLSTATE classes and codes that mean the server or the connection is gone
// or cannot take more work now.
bool ServerUnavailable(const std::string& state) {
  return state.rfind("08", 0) == 0 ||  // connection exception
         state == "57P01" ||           // admin_shutdown (pg_terminate_backend)
         state == "57P02" ||           // crash_shutdown
         state == "57P03";             // cannot_connect_now
}

bool OutOfResources(const std::string& state) {
  return state.rfind("53", 0) == 0;  // disk full, out of memory, too many
}

}  // namespace

DriverError Classify(const std::exception& e, Code code) {
  DriverError d;
  if (dynamic_cast<const pqxx::unique_violation*>(&e)) {
    d.status = Status(Code::kAlreadyExists, "Resource already exists");
    return d;
  }
  if (dynamic_cast<const pqxx::transaction_rollback*>(&e) &&
      !dynamic_cast<const pqxx::statement_completion_unknown*>(&e)) {
    // serialization_failure, deadlock_detected and other 40xxx.
    d.status = codec::StorageError(code, true);
    d.retry = true;
    return d;
  }
  if (dynamic_cast<const pqxx::broken_connection*>(&e) ||
      dynamic_cast<const pqxx::in_doubt_error*>(&e) ||
      dynamic_cast<const pqxx::statement_completion_unknown*>(&e)) {
    log::Warn("postgres: connection lost: {}", e.what());
    d.status = codec::StorageError(code, true);
    d.broken = true;
    return d;
  }
  if (const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string state = sql->sqlstate();
    if (state.rfind("40", 0) == 0) {
      d.status = codec::StorageError(code, true);
      d.retry = true;
      return d;
    }
    if (ServerUnavailable(state)) {
      log::Warn("postgres: server unavailable ({}): {}", state, e.what());
      d.status = codec::StorageError(code, true);
      d.broken = true;
      return d;
    }
    log::Error("postgres: error {}: {} in: {}", state, e.what(), sql->query());
    d.status = codec::StorageError(code, OutOfResources(state));
    return d;
  }
  log::Error("postgres: {}", e.what());
  d.status = codec::StorageError(code, false);
  return d;
}

}  // namespace workbind::storage::postgres
