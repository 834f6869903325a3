#include "storage/sqlite/sqlite_db.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "common/log.h"
#include "storage/codec/storage_status.h"

namespace workbind::storage::sqlite {

Stmt::~Stmt() {
  if (stmt_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
}

Stmt& Stmt::Bind(int i, std::string_view v) {
  if (stmt_)
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()),
                      SQLITE_TRANSIENT);
  return *this;
}

Stmt& Stmt::Bind(int i, int64_t v) {
  if (stmt_) sqlite3_bind_int64(stmt_, i, v);
  return *this;
}

Stmt& Stmt::Bind(int i, const std::optional<std::string>& v) {
  return v ? Bind(i, std::string_view(*v)) : BindNull(i);
}

Stmt& Stmt::BindNull(int i) {
  if (stmt_) sqlite3_bind_null(stmt_, i);
  return *this;
}

bool Stmt::Step() {
  if (!stmt_) {
    if (status_.ok()) status_ = codec::StorageError(Code::kStorageRead, false);
    return false;
  }
  // sqlite3_step after SQLITE_DONE would reset and run the statement again.
  if (done_) return false;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  done_ = true;
  if (rc == SQLITE_DONE) return false;
  status_ = conn_->ErrorStatus(rc, Code::kStorageRead);
  return false;
}

Status Stmt::Exec(Code code) {
  if (!stmt_) return codec::StorageError(code, false);
  if (done_) return status_;
  done_ = true;
  int rc;
  while ((rc = sqlite3_step(stmt_)) == SQLITE_ROW) {
  }
  if (rc != SQLITE_DONE) return conn_->ErrorStatus(rc, code);
  return Status::Ok();
}

std::string Stmt::Text(int col) const {
  const unsigned char* t = sqlite3_column_text(stmt_, col);
  if (!t) return {};
  return std::string(reinterpret_cast<const char*>(t),
                     sqlite3_column_bytes(stmt_, col));
}

std::optional<std::string> Stmt::OptText(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Text(col);
}

int64_t Stmt::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

bool Stmt::IsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                     bool create,
                                                     bool synchronous_full) {
  // Before SQLite initialises (first open): no allocation statistics, which
  // took a process-wide mutex on every sqlite3_malloc/free. Fails harmlessly
  // (SQLITE_MISUSE) when SQLite was initialised already.
  static std::once_flag configured;
  std::call_once(configured,
                 [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
              (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    log::Error("sqlite: cannot open {}: {}", path,
               db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    if (db) sqlite3_close(db);
    return codec::StorageError(Code::kStorageRead, /*unavailable=*/true);
  }
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_busy_timeout(db, 5000);
  sqlite3_extended_result_codes(db, 1);
  std::string pragmas =
      "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=";
  pragmas += synchronous_full ? "FULL;" : "NORMAL;";
  // - temp_store=MEMORY: the savepoint of each job in a batch keeps the
  //   prior content of every page it changes in a statement journal; on a
  //   file that was one 4 KiB write(2) per changed page and job, more page
  //   writes than the WAL itself.
  // - Page caches big enough for the working set (with the default 2 MiB
  //   the writer re-read pages with pread(2) on every batch), and reads of
  //   the database file through a shared mapping.
  // - The writer checkpoints every 8,000 WAL pages (32 MiB) instead of
  //   1,000: a page changed by many batches is copied back once. (The
  //   checkpoint stays on the writer: on a thread of its own it could never
  //   catch up with a busy writer, and the WAL grew without bound.)
  pragmas += " PRAGMA temp_store=MEMORY; PRAGMA mmap_size=1073741824;";
  pragmas += create
                 ? " PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=8000;"
                 : " PRAGMA cache_size=-16384;";
  WB_RETURN_IF_ERROR(conn->ExecScript(pragmas, Code::kStorageRead));
  conn->StartTrace(create);
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  for (auto& [sql, stmt] : script_cache_) sqlite3_finalize(stmt);
  for (auto& [sql, stmt] : text_cache_) sqlite3_finalize(stmt);
  sqlite3_close_v2(db_);
  if (trace_fd_ >= 0) ::close(trace_fd_);
}

void Connection::StartTrace(bool writer) {
  const char* path = std::getenv("WORKBIND_SQL_TRACE");
  if (!path || !*path) return;
  trace_fd_ = ::open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (trace_fd_ < 0) {
    log::Warn("sqlite: cannot open trace file {}: {}", path,
              std::strerror(errno));
    return;
  }
  char tag[32];
  std::snprintf(
      tag, sizeof tag, "%c%lx", writer ? 'w' : 'r',
      static_cast<unsigned long>(reinterpret_cast<uintptr_t>(this) & 0xffffff));
  trace_tag_ = tag;
  sqlite3_trace_v2(db_, SQLITE_TRACE_STMT, &Connection::OnTrace, this);
}

int Connection::OnTrace(unsigned type, void* ctx, void* p, void* x) {
  if (type != SQLITE_TRACE_STMT) return 0;
  auto* self = static_cast<Connection*>(ctx);
  auto* stmt = static_cast<sqlite3_stmt*>(p);
  const char* text = static_cast<const char*>(x);
  const bool control = std::strncmp(text, "BEGIN", 5) == 0 ||
                       std::strncmp(text, "COMMIT", 6) == 0 ||
                       std::strncmp(text, "SAVEPOINT", 9) == 0 ||
                       std::strncmp(text, "RELEASE", 7) == 0 ||
                       std::strncmp(text, "ROLLBACK", 8) == 0;
  char kind = 'W';
  if (std::strncmp(text, "--", 2) == 0)
    kind = '-';
  else if (control)
    kind = 'T';
  else if (sqlite3_stmt_readonly(stmt))
    kind = 'R';
  std::string line = self->trace_tag_;
  line += ' ';
  line += kind;
  line += ' ';
  for (const char* c = text; *c; ++c) line += (*c == '\n' ? ' ' : *c);
  line += '\n';
  // One write per line: lines of several connections do not interleave.
  (void)!::write(self->trace_fd_, line.data(), line.size());
  return 0;
}

Stmt Connection::Prepare(const char* sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end()) return Stmt(this, it->second);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt,
                              nullptr);
  if (rc != SQLITE_OK) {
    log::Error("sqlite: prepare failed: {} in: {}", sqlite3_errmsg(db_), sql);
    return Stmt(this, nullptr);
  }
  cache_.emplace(sql, stmt);
  return Stmt(this, stmt);
}

Stmt Connection::PrepareText(const std::string& sql) {
  auto it = text_cache_.find(sql);
  if (it != text_cache_.end()) return Stmt(this, it->second);
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT,
                              &stmt, nullptr);
  if (rc != SQLITE_OK) {
    log::Error("sqlite: prepare failed: {} in: {}", sqlite3_errmsg(db_), sql);
    sqlite3_finalize(stmt);
    return Stmt(this, nullptr);
  }
  text_cache_.emplace(sql, stmt);
  return Stmt(this, stmt);
}

Status Connection::ExecScript(const std::string& sql, Code code) {
  if (sql.find(';') == std::string::npos) {
    auto it = script_cache_.find(sql);
    if (it == script_cache_.end()) {
      sqlite3_stmt* stmt = nullptr;
      int rc = sqlite3_prepare_v3(db_, sql.c_str(), -1,
                                  SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK) {
        log::Error("sqlite: {} in: {}", sqlite3_errmsg(db_), sql);
        sqlite3_finalize(stmt);
        return ErrorStatus(rc, code);
      }
      it = script_cache_.emplace(sql, stmt).first;
    }
    int rc;
    while ((rc = sqlite3_step(it->second)) == SQLITE_ROW) {
    }
    Status st = rc == SQLITE_DONE ? Status::Ok() : ErrorStatus(rc, code);
    sqlite3_reset(it->second);
    return st;
  }
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    log::Error("sqlite: {}", err ? err : sqlite3_errstr(rc));
    sqlite3_free(err);
    return ErrorStatus(rc, code);
  }
  return Status::Ok();
}

Status Connection::ErrorStatus(int rc, Code code) const {
  int primary = rc & 0xFF;
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Status(Code::kAlreadyExists, "Resource already exists");
  }
  bool unavailable = primary == SQLITE_IOERR || primary == SQLITE_FULL ||
                     primary == SQLITE_READONLY || primary == SQLITE_BUSY ||
                     primary == SQLITE_LOCKED || primary == SQLITE_CANTOPEN ||
                     primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
  log::Error("sqlite: error {} ({})", sqlite3_errstr(rc), sqlite3_errmsg(db_));
  return codec::StorageError(code, unavailable);
}

}  // namespace workbind::storage::sqlite
