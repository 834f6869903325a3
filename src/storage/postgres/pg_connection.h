// PgConnection: one libpqxx connection with its prepared statements.
// ConnectionPool: a bounded set of them shared by the threads that call the
// store. A connection is used by one thread at a time (the holder of its
// Lease); the pool itself is thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <pqxx/connection>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace workbind::storage::postgres {

class PgConnection {
 public:
  // Connects to `dsn` (a libpq connection string). Unavailable storage error
  // (kStorageRead) when the server cannot be reached or refuses us.
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& dsn);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  pqxx::connection& raw() { return *conn_; }

  // The name of the prepared statement for `sql`, which must be a string
  // literal (its address is the cache key). Registered with the connection
  // on first use; libpqxx prepares it on the server when first executed.
  const std::string& Statement(const char* sql);

  // Set when a driver call showed the connection is gone or in an unknown
  // state; the pool then closes it instead of reusing it.
  void MarkBroken() { broken_ = true; }
  bool broken() const { return broken_; }

 private:
  explicit PgConnection(std::unique_ptr<pqxx::connection> conn);

  std::unique_ptr<pqxx::connection> conn_;
  std::unordered_map<const char*, std::string> statements_;
  bool broken_ = false;
};

class ConnectionPool;

// Exclusive use of one pooled connection; gives it back on destruction.
class Lease {
 public:
  Lease(ConnectionPool* pool, std::unique_ptr<PgConnection> conn)
      : pool_(pool), conn_(std::move(conn)) {}
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&&) = delete;
  ~Lease();

  PgConnection* operator->() { return conn_.get(); }
  PgConnection& operator*() { return *conn_; }

 private:
  ConnectionPool* pool_;
  std::unique_ptr<PgConnection> conn_;
};

// At most `size` connections to one database, opened on demand. A broken
// connection is closed when given back, and a later Acquire opens a new one,
// so the pool recovers from a restarted server or a terminated backend.
class ConnectionPool {
 public:
  ConnectionPool(std::string dsn, int size);
  ~ConnectionPool();

  // Returns a free connection, opening one when the pool has room; waits up
  // to `wait` for one to be given back. Unavailable storage error
  // (kStorageRead) when no connection can be opened, none came back in
  // time, or the pool is closed.
  Result<Lease> Acquire(std::chrono::milliseconds wait);

  // Closes the idle connections and refuses further Acquire calls;
  // connections still leased are closed when given back.
  void Close();

 private:
  friend class Lease;
  void Release(std::unique_ptr<PgConnection> conn);

  const std::string dsn_;
  const int size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;
  int open_ = 0;  // idle + leased + being opened
  bool closed_ = false;
};

}  // namespace workbind::storage::postgres
