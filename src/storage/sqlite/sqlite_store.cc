#include "storage/sqlite/sqlite_store.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "common/log.h"
#include "common/suspend.h"
#include "storage/codec/storage_status.h"
#include "storage/sqlite/data_dir_lock.h"
#include "storage/sqlite/migrations.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/sqlite/sqlite_tx.h"

namespace workbind::storage::sqlite {
namespace {

// Most write calls one commit may carry; bounds the latency of the first.
constexpr size_t kMaxBatch = 256;

Status Migrate(Connection* c) {
  auto s = c->Prepare("PRAGMA user_version");
  int64_t current = s.Step() ? s.Int(0) : 0;
  WB_RETURN_IF_ERROR(s.status());
  // A database a newer workbind migrated further: its tables may mean what
  // this binary does not know, so it is not touched.
  if (current > Migrations().back().version)
    return Status(Code::kInternal,
                  "sqlite: the database has schema version " +
                      std::to_string(current) +
                      ", newer than this workbind's " +
                      std::to_string(Migrations().back().version) +
                      ": start the workbind that wrote it, or restore a "
                      "backup of this version");
  for (const Migration& m : Migrations()) {
    if (m.version <= current) continue;
    std::string script = "BEGIN IMMEDIATE;\n";
    script += m.sql;
    script +=
        "\nPRAGMA user_version = " + std::to_string(m.version) + ";\nCOMMIT;";
    Status st = c->ExecScript(script, Code::kStorageUpdate);
    if (!st.ok()) {
      (void)c->ExecScript("ROLLBACK;", Code::kStorageUpdate);
      log::Error("sqlite: migration {} failed", m.version);
      return st;
    }
    log::Info("sqlite: applied migration {}", m.version);
  }
  return Status::Ok();
}

class SqliteStore final : public Store {
 public:
  SqliteStore(DataDirLock lock, std::unique_ptr<Connection> writer,
              std::vector<std::unique_ptr<Connection>> readers)
      : lock_(std::move(lock)), writer_conn_(std::move(writer)) {
    for (auto& r : readers) free_readers_.push_back(r.release());
    writer_ = std::thread([this] { WriterLoop(); });
  }

  ~SqliteStore() override { Close(); }

  Status Read(const std::function<Status(ReadTx&)>& fn) override {
    Connection* c = AcquireReader();
    if (!c) return codec::StorageError(Code::kStorageRead, true);
    Status st = c->ExecScript("BEGIN", Code::kStorageRead);
    if (st.ok()) {
      SqliteTx tx(c);
      try {
        st = fn(tx);
      } catch (const std::exception& e) {
        log::Error("store: read failed: {}", e.what());
        st = Internal("Internal error");
      }
      (void)c->ExecScript("COMMIT", Code::kStorageRead);
    }
    ReleaseReader(c);
    return st;
  }

  // On a request fiber the fiber yields its thread until the commit; a
  // plain thread blocks. Either way no thread is held by the writer.
  Status Write(const std::function<Status(WriteTx&)>& fn) override {
    Status result;
    Job job{&fn, {}};
    AwaitCompletion([this, &job, &result](std::function<void()> resume) {
      job.done = [&result, resume = std::move(resume)](Status st) {
        result = std::move(st);
        resume();
      };
      std::lock_guard<std::mutex> lock(mu_);
      if (closed_) {
        // Still on the waiting side: nothing has been handed off yet.
        auto done = std::move(job.done);
        done(codec::StorageError(Code::kStorageUpdate, true));
        return;
      }
      jobs_.push_back(&job);
      // Under the lock: the writer cannot take the job (and resume the
      // waiter) before this call has stopped touching it.
      cv_.notify_one();
    });
    return result;
  }

  void SetCommitObserver(CommitObserver* observer) override {
    observer_.store(observer, std::memory_order_release);
  }

  Status Ping() override {
    return Read([](ReadTx& tx) {
      auto r = tx.DirectoryVersion("");
      return r.ok() || r.status().code() == Code::kNotFound ? Status::Ok()
                                                            : r.status();
    });
  }

  void Close() override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (closed_) return;
      closed_ = true;
    }
    cv_.notify_all();
    if (writer_.joinable()) writer_.join();
    std::lock_guard<std::mutex> lock(readers_mu_);
    for (Connection* c : free_readers_) delete c;
    free_readers_.clear();
    writer_conn_.reset();
  }

 private:
  // Lives on the waiting caller's stack (or fiber stack) until `done` ran.
  struct Job {
    const std::function<Status(WriteTx&)>* fn;
    // Called once by the writer after the commit; the job may be gone as
    // soon as it is called, so the writer moves it out first.
    std::function<void(Status)> done;
  };

  static void Finish(Job* job, Status st) {
    auto done = std::move(job->done);
    done(std::move(st));
  }

  Connection* AcquireReader() {
    std::unique_lock<std::mutex> lock(readers_mu_);
    readers_cv_.wait(
        lock, [this] { return !free_readers_.empty() || reader_closed_; });
    if (free_readers_.empty()) return nullptr;
    Connection* c = free_readers_.back();
    free_readers_.pop_back();
    return c;
  }

  void ReleaseReader(Connection* c) {
    {
      std::lock_guard<std::mutex> lock(readers_mu_);
      free_readers_.push_back(c);
    }
    readers_cv_.notify_one();
  }

  void WriterLoop() {
    std::vector<Job*> batch;
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return closed_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // closed and drained
        while (!jobs_.empty() && batch.size() < kMaxBatch) {
          batch.push_back(jobs_.front());
          jobs_.pop_front();
        }
      }
      RunBatch(batch);
      batch.clear();
    }
  }

  // One transaction for the whole batch; one savepoint per job so that a
  // failing job undoes only its own changes.
  void RunBatch(const std::vector<Job*>& batch) {
    Connection* c = writer_conn_.get();
    std::vector<Status> results(batch.size());
    const auto started = std::chrono::steady_clock::now();
    Status begin = c->ExecScript("BEGIN IMMEDIATE", Code::kStorageUpdate);
    if (!begin.ok()) {
      for (Job* j : batch) Finish(j, begin);
      return;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      Status sp = c->ExecScript("SAVEPOINT job", Code::kStorageUpdate);
      if (!sp.ok()) {
        results[i] = sp;
        continue;
      }
      SqliteTx tx(c);
      try {
        results[i] = (*batch[i]->fn)(tx);
      } catch (const std::exception& e) {
        log::Error("store: write failed: {}", e.what());
        results[i] = Internal("Internal error");
      }
      if (!results[i].ok())
        (void)c->ExecScript("ROLLBACK TO job", Code::kStorageUpdate);
      (void)c->ExecScript("RELEASE job", Code::kStorageUpdate);
    }
    Status commit = c->ExecScript("COMMIT", Code::kStorageUpdate);
    if (!commit.ok()) {
      (void)c->ExecScript("ROLLBACK", Code::kStorageUpdate);
      for (auto& r : results)
        if (r.ok()) r = codec::StorageError(Code::kStorageUpdate, true);
    } else if (CommitObserver* o = observer_.load(std::memory_order_acquire)) {
      o->Committed(std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - started)
                       .count(),
                   batch.size());
    }
    for (size_t i = 0; i < batch.size(); ++i) Finish(batch[i], results[i]);
  }

  // Held shared for the store's life: a restore refuses to run meanwhile.
  DataDirLock lock_;
  std::unique_ptr<Connection> writer_conn_;
  std::atomic<CommitObserver*> observer_{nullptr};
  std::thread writer_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job*> jobs_;
  bool closed_ = false;

  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<Connection*> free_readers_;
  bool reader_closed_ = false;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const StoreOptions& options) {
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) {
    log::Error("sqlite: cannot create data dir {}: {}", options.data_dir,
               ec.message());
    return codec::StorageError(Code::kStorageRead, true);
  }
  auto lock = DataDirLock::Shared(options.data_dir);
  if (!lock.ok()) {
    log::Error("sqlite: {}", lock.status().message());
    return codec::StorageError(Code::kStorageRead, true);
  }
  const std::string path =
      (std::filesystem::path(options.data_dir) / "workbind.db").string();
  WB_ASSIGN_OR_RETURN(
      auto writer,
      Connection::Open(path, true, options.sqlite_synchronous_full));
  WB_RETURN_IF_ERROR(Migrate(writer.get()));
  std::vector<std::unique_ptr<Connection>> readers;
  int n = options.read_connections < 1 ? 1 : options.read_connections;
  for (int i = 0; i < n; ++i) {
    WB_ASSIGN_OR_RETURN(
        auto r, Connection::Open(path, false, options.sqlite_synchronous_full));
    readers.push_back(std::move(r));
  }
  return std::unique_ptr<Store>(new SqliteStore(
      std::move(lock).value(), std::move(writer), std::move(readers)));
}

}  // namespace workbind::storage::sqlite
