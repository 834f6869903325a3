#include "storage/postgres/pg_store.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <pqxx/pqxx>
#include <random>
#include <thread>

#include "common/executor.h"
#include "common/log.h"
#include "common/suspend.h"
#include "storage/codec/storage_status.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_errors.h"
#include "storage/postgres/pg_migrations.h"
#include "storage/postgres/pg_tx.h"

namespace workbind::storage::postgres {
namespace {

// Runs of one transaction before giving up with an unavailable error (503):
// enough for heavy contention on one row, bounded so a caller never spins.
constexpr int kMaxAttempts = 30;
// How long a caller waits for a free pooled connection.
constexpr auto kPoolWait = std::chrono::seconds(30);
// pg_advisory_xact_lock key that orders the migrations of nodes starting
// together ("workbind" in ASCII).
constexpr int64_t kMigrationLock = 0x776f726b62696e64;
// The write gate: every write transaction holds this advisory lock, shared
// while it relies on row locks, alone when it runs exclusive (pg_tx.h;
// "workgate" in ASCII).
constexpr int64_t kWriteGate = 0x776f726b67617465;

// Sleeps a random time below 2^attempt ms (at most 64 ms), so that the
// losers of a conflict do not collide again in step.
void Backoff(int attempt) {
  thread_local std::mt19937 rng{std::random_device{}()};
  const int cap_us = 1000 << std::min(attempt, 6);
  std::uniform_int_distribution<int> pick(cap_us / 4, cap_us);
  std::this_thread::sleep_for(std::chrono::microseconds(pick(rng)));
}

Status Migrate(PgConnection& c) {
  try {
    pqxx::work w(c.raw());
    w.exec("SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLock) +
           ")");
    w.exec(
        "CREATE TABLE IF NOT EXISTS workbind_schema (version INTEGER PRIMARY "
        "KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
    pqxx::result r =
        w.exec("SELECT coalesce(max(version), 0) FROM workbind_schema");
    const int current = r[0][0].as<int>();
    // A database a newer workbind migrated further (a node of a newer
    // version shares it): not touched.
    if (current > Migrations().back().version)
      return Status(Code::kInternal,
                    "postgres: the database has schema version " +
                        std::to_string(current) +
                        ", newer than this workbind's " +
                        std::to_string(Migrations().back().version) +
                        ": run the workbind version that wrote it");
    for (const Migration& m : Migrations()) {
      if (m.version <= current) continue;
      w.exec(m.sql);
      w.exec_params("INSERT INTO workbind_schema (version) VALUES ($1)",
                    m.version);
      log::Info("postgres: applied migration {}", m.version);
    }
    w.commit();
    return Status::Ok();
  } catch (const std::exception& e) {
    log::Error("postgres: migration failed: {}", e.what());
    return codec::StorageError(Code::kStorageUpdate, true);
  }
}

// The result of one run of a transaction.
struct Outcome {
  Status status;
  bool again = false;     // run it again (on a healthy connection)
  bool broken = false;    // drop the connection
  int announcements = 0;  // pg_notify calls of this run
  bool escalate = false;  // run it again alone among writers
};

template <typename Fn, typename Tx>
Status CallBack(const Fn& fn, Tx& tx) {
  try {
    return fn(tx);
  } catch (const std::exception& e) {
    log::Error("store: transaction callback failed: {}", e.what());
    return Internal("Internal error");
  }
}

// Ends `t` without keeping anything; a failure here only matters for the
// connection, which the caller learns through the return value.
template <typename T>
bool AbortQuietly(T& t) {
  try {
    t.abort();
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

Outcome ReadOnce(PgConnection& c, const std::function<Status(ReadTx&)>& fn) {
  try {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> t(c.raw());
    PgTx tx(&c, &t);
    Status st = CallBack(fn, tx);
    const bool healthy = AbortQuietly(t);  // read-only: nothing to commit
    if (tx.broken() || !healthy) return {st, tx.broken(), true};
    if (tx.retry()) return {st, true, false};
    return {st, false, false};
  } catch (const std::exception& e) {
    DriverError d = Classify(e, Code::kStorageRead);
    return {d.status, d.retry || d.broken, d.broken};
  }
}

// Runs `fn` once, READ COMMITTED, holding the write gate: shared with row
// locks (pg_tx.h), or alone when `exclusive`; what it has to announce is
// sent signed with `node_id` just before the commit.
Outcome WriteOnce(PgConnection& c, const std::function<Status(WriteTx&)>& fn,
                  const std::string& node_id, bool exclusive) {
  bool committing = false;
  int announced = 0;
  try {
    pqxx::transaction<pqxx::read_committed> t(c.raw());
    t.exec(exclusive ? "SELECT pg_advisory_xact_lock(" +
                           std::to_string(kWriteGate) + ")"
                     : "SELECT pg_advisory_xact_lock_shared(" +
                           std::to_string(kWriteGate) + ")");
    PgTx tx(&c, &t, exclusive ? PgTx::Mode::kPlain : PgTx::Mode::kRowLocks);
    Status st = CallBack(fn, tx);
    if (st.ok() && tx.failure().ok() && !tx.retry() && !tx.broken())
      st = tx.Announce(node_id);
    announced = tx.announcements();
    if (tx.retry() || tx.broken()) {
      const bool healthy = AbortQuietly(t);
      Outcome o{codec::StorageError(Code::kStorageUpdate, true), true,
                tx.broken() || !healthy, announced};
      o.escalate = tx.escalate();
      return o;
    }
    if (st.ok() && !tx.failure().ok()) st = tx.failure();
    if (!st.ok()) {
      const bool healthy = AbortQuietly(t);
      return {st, false, !healthy, announced};
    }
    committing = true;
    t.commit();
    return {Status::Ok(), false, false, announced};
  } catch (const std::exception& e) {
    DriverError d = Classify(e, Code::kStorageUpdate);
    // Lost while committing: the outcome is unknown, so it is reported
    // (unavailable) and never run a second time.
    if (committing && d.broken) return {d.status, false, true, announced};
    return {d.status, d.retry || d.broken, d.broken, announced};
  }
}

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(const StoreOptions& options)
      : node_id_(options.node_id),
        pool_(options.postgres_dsn, options.postgres_pool_size),
        runners_(std::max(1, options.postgres_pool_size)) {}
  ~PostgresStore() override { Close(); }

  Status Init() {
    auto lease = pool_.Acquire(kPoolWait);
    if (!lease.ok()) return lease.status();
    Lease l = std::move(lease).value();
    return Migrate(*l);
  }

  // libpq waits on the network: on a request fiber the transaction runs on
  // one of the store's own threads (one per pooled connection) while the
  // fiber yields its I/O thread; a plain thread runs it itself.
  Status Read(const std::function<Status(ReadTx&)>& fn) override {
    Status st;
    RunOn(&runners_, [&] {
      st = Run(Code::kStorageRead,
               [&](PgConnection& c) { return ReadOnce(c, fn); });
    });
    return st;
  }

  // Starts row-locking; a run that escalates is run again at once, alone
  // (counted as a re-run and an escalation).
  Status Write(const std::function<Status(WriteTx&)>& fn) override {
    Status st;
    bool exclusive = false;
    RunOn(&runners_, [&] {
      st = Run(Code::kStorageUpdate, [&](PgConnection& c) {
        Outcome o = WriteOnce(c, fn, node_id_, exclusive);
        if (o.escalate && !exclusive) {
          exclusive = true;
          write_escalations_.fetch_add(1, std::memory_order_relaxed);
        }
        // NOTIFY is transactional: a run that did not commit sent nothing.
        if (o.status.ok() && !o.again)
          announcements_.fetch_add(o.announcements, std::memory_order_relaxed);
        if (o.again && !o.broken)
          write_reruns_.fetch_add(1, std::memory_order_relaxed);
        return o;
      });
    });
    if (st.ok()) write_commits_.fetch_add(1, std::memory_order_relaxed);
    return st;
  }

  StoreCounters Counters() const override {
    StoreCounters c;
    c.write_commits = write_commits_.load(std::memory_order_relaxed);
    c.write_reruns = write_reruns_.load(std::memory_order_relaxed);
    c.write_escalations = write_escalations_.load(std::memory_order_relaxed);
    c.announcements = announcements_.load(std::memory_order_relaxed);
    return c;
  }

  Status Ping() override {
    return Read([](ReadTx& tx) {
      auto r = tx.DirectoryVersion("");
      return r.ok() || r.status().code() == Code::kNotFound ? Status::Ok()
                                                            : r.status();
    });
  }

  void Close() override {
    closed_ = true;
    runners_.Shutdown();
    pool_.Close();
  }

 private:
  template <typename Once>
  Status Run(Code code, const Once& once) {
    for (int attempt = 1;; ++attempt) {
      if (closed_) return Internal("Store is closed");
      auto lease = pool_.Acquire(kPoolWait);
      if (!lease.ok()) return codec::StorageError(code, true);
      Lease l = std::move(lease).value();
      Outcome o = once(*l);
      if (o.broken) l->MarkBroken();
      if (!o.again) return o.status;
      if (attempt >= kMaxAttempts) {
        log::Warn("postgres: transaction gave up after {} attempts", attempt);
        return o.status;
      }
      if (!o.escalate) Backoff(attempt);
    }
  }

  const std::string node_id_;
  ConnectionPool pool_;
  ThreadPool runners_;
  std::atomic<bool> closed_{false};
  std::atomic<int64_t> write_commits_{0};
  std::atomic<int64_t> write_reruns_{0};
  std::atomic<int64_t> write_escalations_{0};
  std::atomic<int64_t> announcements_{0};
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const StoreOptions& options) {
  if (options.postgres_dsn.empty()) {
    log::Error("postgres: no connection string (storage.postgres.dsn)");
    return codec::StorageError(Code::kStorageRead, true);
  }
  auto store = std::make_unique<PostgresStore>(options);
  WB_RETURN_IF_ERROR(store->Init());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace workbind::storage::postgres
