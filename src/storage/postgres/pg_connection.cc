#include "storage/postgres/pg_connection.h"

#include <pqxx/pqxx>

#include "common/log.h"
#include "storage/codec/storage_status.h"
#include "storage/postgres/pg_errors.h"

namespace workbind::storage::postgres {

Result<std::unique_ptr<PgConnection>> PgConnection::Open(
    const std::string& dsn) {
  try {
    auto conn = std::make_unique<pqxx::connection>(dsn);
    return std::unique_ptr<PgConnection>(new PgConnection(std::move(conn)));
  } catch (const std::exception& e) {
    // The message may quote the DSN but never a password: libpq leaves it out.
    log::Error("postgres: cannot connect: {}", e.what());
    return codec::StorageError(Code::kStorageRead, true);
  }
}

PgConnection::PgConnection(std::unique_ptr<pqxx::connection> conn)
    : conn_(std::move(conn)) {}

PgConnection::~PgConnection() {
  try {
    conn_.reset();
  } catch (...) {
    // Closing never matters more than finishing the destructor.
  }
}

const std::string& PgConnection::Statement(const char* sql) {
  auto it = statements_.find(sql);
  if (it != statements_.end()) return it->second;
  std::string name = "wb" + std::to_string(statements_.size() + 1);
  conn_->prepare(name, sql);
  return statements_.emplace(sql, std::move(name)).first->second;
}

Lease::~Lease() {
  if (pool_ && conn_) pool_->Release(std::move(conn_));
}

ConnectionPool::ConnectionPool(std::string dsn, int size)
    : dsn_(std::move(dsn)), size_(size < 1 ? 1 : size) {}

ConnectionPool::~ConnectionPool() { Close(); }

Result<Lease> ConnectionPool::Acquire(std::chrono::milliseconds wait) {
  {
    std::unique_lock<std::mutex> lock(mu_);
    const bool ready = cv_.wait_for(lock, wait, [this] {
      return closed_ || !idle_.empty() || open_ < size_;
    });
    if (closed_ || !ready) {
      if (!closed_) log::Warn("postgres: no free connection");
      return codec::StorageError(Code::kStorageRead, true);
    }
    if (!idle_.empty()) {
      std::unique_ptr<PgConnection> c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(this, std::move(c));
    }
    ++open_;  // reserve the slot; connect outside the lock
  }
  auto conn = PgConnection::Open(dsn_);
  if (!conn.ok()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      --open_;
    }
    cv_.notify_one();
    return conn.status();
  }
  return Lease(this, std::move(conn).value());
}

void ConnectionPool::Release(std::unique_ptr<PgConnection> conn) {
  std::unique_ptr<PgConnection> drop;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed_ || conn->broken()) {
      drop = std::move(conn);
      --open_;
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  cv_.notify_one();
  // `drop` closes its socket here, outside the lock.
}

void ConnectionPool::Close() {
  std::vector<std::unique_ptr<PgConnection>> drop;
  {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    open_ -= static_cast<int>(idle_.size());
    drop.swap(idle_);
  }
  cv_.notify_all();
}

}  // namespace workbind::storage::postgres
