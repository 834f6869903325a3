// DataDirLock: an advisory lock (flock(2)) on <data_dir>/workbind.lock that
// tells a restore whether a server uses the data folder. Every SqliteStore
// holds it shared for its whole life; a restore holds it exclusive while it
// replaces the database, so neither can start while the other runs. Several
// stores (several processes, or tests opening a folder twice) share it.
//
// The lock is released when the object is destroyed or the process ends (a
// killed server leaves no stale lock). Movable, not copyable; not
// thread-safe (one owner).
#pragma once

#include <string>

#include "common/status.h"

namespace workbind::storage::sqlite {

class DataDirLock {
 public:
  // The lock file of a data folder.
  static std::string PathIn(const std::string& data_dir);

  // Takes the shared lock, creating the file when missing (the folder must
  // exist). Errors: kInUse when a restore holds the folder; kStorageRead
  // (unavailable) when the file cannot be opened or locked.
  static Result<DataDirLock> Shared(const std::string& data_dir);
  // Takes the exclusive lock without waiting, creating the file when
  // missing. Errors: kInUse when a store (a running server) holds the lock;
  // kStorageCreate when the file cannot be opened or locked.
  static Result<DataDirLock> Exclusive(const std::string& data_dir);

  DataDirLock(DataDirLock&& other) noexcept;
  DataDirLock& operator=(DataDirLock&& other) noexcept;
  DataDirLock(const DataDirLock&) = delete;
  DataDirLock& operator=(const DataDirLock&) = delete;
  ~DataDirLock();

 private:
  explicit DataDirLock(int fd) : fd_(fd) {}
  static Result<DataDirLock> Take(const std::string& data_dir, bool exclusive);

  int fd_ = -1;
};

// Whether a process other than this one holds a POSIX lock on the database
// `db_path` or its -shm file: SQLite holds one on the -shm file for as long
// as a WAL connection is open, so this sees any server (of any version), a
// running backup or a sqlite3 shell on it. Call only from a process that
// holds no connection to that database: closing the probe's descriptor
// drops this process's own POSIX locks on the file.
bool DatabaseOpenElsewhere(const std::string& db_path);

}  // namespace workbind::storage::sqlite
