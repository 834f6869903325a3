// Backup and restore of the SQLite database of a data folder
// (<data_dir>/workbind.db), for the `workbind backup` and `workbind restore`
// commands (docs/operations.md, Backups).
//
// Backup copies the database while a server writes to it: SQLite's online
// backup API, in steps of a bounded number of pages, all from one read
// transaction held on the source for the whole copy. Every step therefore
// copies from the same snapshot (the state after the last commit before the
// copy began), and in WAL mode a reader never blocks the writer: the server
// keeps committing, only its checkpoints cannot pass the snapshot until the
// copy ends (the WAL grows by what is written meanwhile). The copy is a
// single self-contained file (rollback journal, not WAL).
//
// Both functions write to a temporary file first and rename it into place
// after checking and fsyncing it, so a failure never leaves a partial file
// under the final name. Neither is meant to run twice at once on the same
// paths. Call them from a process that has no connection to the data
// folder's database (a command-line tool, not the server).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace workbind::storage::sqlite {

// The database file of a data folder.
std::string DatabasePath(const std::string& data_dir);
// The newest schema version this build knows (its last migration).
int64_t KnownSchemaVersion();

struct BackupRequest {
  std::string data_dir;
  std::string to;      // the backup file to write
  bool force = false;  // replace `to` when it exists
  // Pages copied per step (4 KiB each by default).
  int pages_per_step = 1024;
  // How long in all the copy may wait for the database while it is busy
  // (SQLITE_BUSY/LOCKED when opening the snapshot) before giving up.
  std::chrono::milliseconds busy_wait{30000};
};

struct BackupInfo {
  int64_t schema_version = 0;
  int64_t bytes = 0;  // size of the backup file
};

// Copies the database of `data_dir` to `to`. Errors:
// - kNotFound: `data_dir` holds no database;
// - kAlreadyExists: `to` exists and `force` is false;
// - kStorageRead (unavailable): the database cannot be read, or stayed busy
//   past `busy_wait`;
// - kStorageCreate: the copy cannot be written, or fails its quick_check.
Result<BackupInfo> Backup(const BackupRequest& request);

struct RestoreRequest {
  std::string from;  // the backup file
  std::string data_dir;
  // Replace a database already in `data_dir`; the old one is kept as
  // <data_dir>/workbind.db.before-restore-<UTC time> (with its -wal, if the
  // WAL could not be checkpointed into it).
  bool force = false;
};

struct RestoreInfo {
  int64_t schema_version = 0;
  int64_t bytes = 0;
  std::string kept_as;  // the old database's new name; empty when none
};

// Puts the backup `from` in place as the database of `data_dir` (created
// when missing), with no server running on it. Errors, each leaving
// everything as it was:
// - kInvalidArgument: `from` is missing, not a SQLite database, fails
//   PRAGMA integrity_check, is not a workbind database (schema version 0),
//   or has a schema version newer than KnownSchemaVersion() (an older one is
//   fine: the server migrates it when it starts);
// - kInUse: a server (DataDirLock) or another process (a SQLite lock) has
//   the data folder's database open;
// - kAlreadyExists: `data_dir` holds a database and `force` is false.
// kStorageRead / kStorageCreate: an I/O failure (the database in place is
// then the old one, or none when the failure came after it was set aside:
// see kept_as in the message).
Result<RestoreInfo> Restore(const RestoreRequest& request);

}  // namespace workbind::storage::sqlite
