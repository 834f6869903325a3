// Thin RAII helpers over the sqlite3 C API: one Connection with a cache of
// prepared statements, and Stmt, a bound statement that resets on
// destruction. Not thread-safe: a Connection is used by one thread at a time.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"

namespace workbind::storage::sqlite {

class Connection;

// A prepared statement borrowed from a Connection's cache. Bind parameters
// are 1-based. Step() returns true while a row is available.
class Stmt {
 public:
  Stmt(Connection* conn, sqlite3_stmt* stmt) : conn_(conn), stmt_(stmt) {}
  ~Stmt();
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& Bind(int i, std::string_view v);
  Stmt& Bind(int i, const std::string& v) {
    return Bind(i, std::string_view(v));
  }
  Stmt& Bind(int i, const char* v) { return Bind(i, std::string_view(v)); }
  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Stmt& Bind(int i, bool v) { return Bind(i, static_cast<int64_t>(v ? 1 : 0)); }
  Stmt& Bind(int i, const std::optional<std::string>& v);
  Stmt& BindNull(int i);

  // Executes one step. Returns true for a row, false when done. A failure is
  // reported through status() (and returns false). Once it returned false it
  // keeps returning false: the statement is not run again.
  bool Step();
  // Runs the statement to completion; returns the first error as `code`.
  Status Exec(Code code);
  const Status& status() const { return status_; }

  std::string Text(int col) const;
  std::optional<std::string> OptText(int col) const;
  int64_t Int(int col) const;
  bool IsNull(int col) const;

 private:
  Connection* conn_;
  sqlite3_stmt* stmt_;
  Status status_;
  bool done_ = false;
};

class Connection {
 public:
  // Opens `path` (creating it when `create`), sets WAL and busy timeout.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path,
                                                  bool create,
                                                  bool synchronous_full);
  ~Connection();

  // Prepares (once, cached) and returns the statement for `sql`.
  // On failure the returned Stmt reports the error on first use.
  Stmt Prepare(const char* sql);
  // As Prepare, for SQL built at run time (cached by its text): keep the
  // number of distinct texts small (e.g. multi-row statements of a bounded
  // number of rows).
  Stmt PrepareText(const std::string& sql);
  // Executes one or more statements without results. A single statement
  // (no ';') is prepared once and cached, like Prepare's (BEGIN, COMMIT,
  // SAVEPOINT ...).
  Status ExecScript(const std::string& sql, Code code);
  // Converts the last error into a Status with `code` (kAlreadyExists for a
  // unique-constraint violation; unavailable for I/O, full, read-only, busy).
  Status ErrorStatus(int rc, Code code) const;
  sqlite3* raw() { return db_; }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  // With WORKBIND_SQL_TRACE=<file> in the environment (a debugging aid, off
  // by default), appends one line per statement run to the file:
  // "<connection> <R|W|T|-> <sql>", the connection a 'w' (the writer, opened
  // with `create`) or an 'r' (a reader) followed by hex digits naming it;
  // R read-only, W writing, T transaction control, - a trigger's statement.
  void StartTrace(bool writer);
  static int OnTrace(unsigned type, void* ctx, void* p, void* x);

  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
  std::unordered_map<std::string, sqlite3_stmt*> script_cache_;
  std::unordered_map<std::string, sqlite3_stmt*> text_cache_;
  int trace_fd_ = -1;
  std::string trace_tag_;
};

}  // namespace workbind::storage::sqlite
