#include "storage/sqlite/sqlite_backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include "storage/sqlite/data_dir_lock.h"
#include "storage/sqlite/migrations.h"

namespace workbind::storage::sqlite {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;

bool IsBusy(int rc) {
  return (rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED;
}

std::string SqliteError(sqlite3* db, int rc) {
  std::string m = sqlite3_errstr(rc);
  const char* detail = db ? sqlite3_errmsg(db) : nullptr;
  if (detail && m != detail) m += std::string(" (") + detail + ")";
  return m;
}

Result<Db> OpenDb(const std::string& path, int flags, Code failure) {
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) {
    return Status(failure, "cannot open " + path + ": " + SqliteError(raw, rc),
                  /*unavailable=*/true);
  }
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

// Runs `sql` and returns its first column of its first row (empty when it
// yields no row); `rc` receives the SQLite result (SQLITE_OK on success).
std::string QueryFirst(sqlite3* db, const char* sql, int* rc) {
  sqlite3_stmt* stmt = nullptr;
  *rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr);
  std::string out;
  if (*rc == SQLITE_OK) {
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(stmt, 0);
      if (t) out = reinterpret_cast<const char*>(t);
      while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
      }
    }
    *rc = step == SQLITE_DONE ? SQLITE_OK : step;
  }
  sqlite3_finalize(stmt);
  return out;
}

Status Exec(sqlite3* db, const char* sql, Code failure) {
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) return Status::Ok();
  return Status(failure, std::string(sql) + ": " + SqliteError(db, rc),
                /*unavailable=*/true);
}

Status IoError(Code code, const std::string& what) {
  return Status(code, what + ": " + std::strerror(errno),
                /*unavailable=*/true);
}

Status FsyncPath(const std::string& path, bool directory, Code failure) {
  int fd = ::open(path.c_str(),
                  (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
  if (fd < 0) return IoError(failure, "cannot open " + path);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  errno = err;
  if (rc != 0) return IoError(failure, "fsync " + path);
  return Status::Ok();
}

std::string ParentOf(const std::string& path) {
  fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// A temporary file created beside a final path; removed (with the journal
// files SQLite may have made next to it) unless Keep() was called.
class TempFile {
 public:
  static Result<TempFile> Beside(const std::string& final_path, Code failure) {
    std::string name = final_path + ".tmp-XXXXXX";
    int fd = ::mkstemp(name.data());
    if (fd < 0)
      return IoError(failure, "cannot create a file beside " + final_path);
    ::close(fd);
    return TempFile(name);
  }
  TempFile(TempFile&& o) noexcept : path_(std::move(o.path_)), keep_(o.keep_) {
    o.keep_ = true;
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (keep_) return;
    for (const char* suffix : {"", "-journal", "-wal", "-shm"})
      ::unlink((path_ + suffix).c_str());
  }
  const std::string& path() const { return path_; }
  void Keep() { keep_ = true; }

 private:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  std::string path_;
  bool keep_ = false;
};

// Copies every page of `src` into `dst`, `pages` per step. `src` is in a
// read transaction when called from Backup, so every step sees one snapshot.
Status CopyPages(sqlite3* src, sqlite3* dst, int pages,
                 Clock::time_point deadline) {
  sqlite3_backup* b = sqlite3_backup_init(dst, "main", src, "main");
  if (!b) {
    return Status(
        Code::kStorageCreate,
        "cannot start the copy: " + SqliteError(dst, sqlite3_errcode(dst)),
        /*unavailable=*/true);
  }
  int rc;
  for (;;) {
    rc = sqlite3_backup_step(b, pages);
    if (rc == SQLITE_OK) continue;
    if (IsBusy(rc) && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    break;
  }
  int finish = sqlite3_backup_finish(b);
  if (rc == SQLITE_DONE && finish == SQLITE_OK) return Status::Ok();
  if (rc == SQLITE_DONE) rc = finish;
  // A busy source or a source read failure is the database's; the rest is
  // the copy's.
  const int primary = rc & 0xFF;
  const bool source =
      IsBusy(rc) || primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
  return Status(source ? Code::kStorageRead : Code::kStorageCreate,
                std::string("copy failed: ") + sqlite3_errstr(rc) + " (" +
                    sqlite3_errmsg(dst) + ")",
                /*unavailable=*/true);
}

// Turns a finished copy into a self-contained rollback-journal file, checks
// it and returns its schema version.
Result<int64_t> SealCopy(sqlite3* dst, const std::string& path) {
  int rc;
  std::string mode = QueryFirst(dst, "PRAGMA journal_mode=DELETE", &rc);
  if (rc != SQLITE_OK || mode != "delete") {
    return Status(
        Code::kStorageCreate,
        "cannot set the journal mode of " + path + ": " + SqliteError(dst, rc),
        /*unavailable=*/true);
  }
  std::string check = QueryFirst(dst, "PRAGMA quick_check", &rc);
  if (rc != SQLITE_OK || check != "ok") {
    return Status(Code::kStorageCreate,
                  "the copy " + path + " fails its quick_check: " +
                      (rc != SQLITE_OK ? SqliteError(dst, rc) : check),
                  /*unavailable=*/true);
  }
  std::string version = QueryFirst(dst, "PRAGMA user_version", &rc);
  if (rc != SQLITE_OK) {
    return Status(
        Code::kStorageCreate,
        "cannot read the copy's schema version: " + SqliteError(dst, rc),
        /*unavailable=*/true);
  }
  return std::stoll(version.empty() ? "0" : version);
}

int64_t FileSize(const std::string& path) {
  std::error_code ec;
  auto n = fs::file_size(path, ec);
  return ec ? 0 : static_cast<int64_t>(n);
}

// Opens the snapshot every step of the copy reads: a read transaction on
// `src`, retried while the database is busy until `deadline`.
Status BeginSnapshot(sqlite3* src, Clock::time_point deadline) {
  for (;;) {
    WB_RETURN_IF_ERROR(Exec(src, "BEGIN", Code::kStorageRead));
    int rc;
    (void)QueryFirst(src, "SELECT count(*) FROM sqlite_schema", &rc);
    if (rc == SQLITE_OK) return Status::Ok();
    (void)sqlite3_exec(src, "ROLLBACK", nullptr, nullptr, nullptr);
    if (!IsBusy(rc) || Clock::now() >= deadline) {
      return Status(Code::kStorageRead,
                    "cannot read the database: " + SqliteError(src, rc),
                    /*unavailable=*/true);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

std::string DatabasePath(const std::string& data_dir) {
  return (fs::path(data_dir) / "workbind.db").string();
}

int64_t KnownSchemaVersion() {
  const auto& all = Migrations();
  return all.empty() ? 0 : all.back().version;
}

Result<BackupInfo> Backup(const BackupRequest& request) {
  const std::string db_path = DatabasePath(request.data_dir);
  std::error_code ec;
  if (!fs::is_regular_file(db_path, ec)) {
    return Status(Code::kNotFound, "no database in " + request.data_dir + " (" +
                                       db_path + " not found)");
  }
  if (fs::exists(request.to, ec) && !request.force)
    return Status(Code::kAlreadyExists, request.to + " already exists");
  const auto deadline = Clock::now() + request.busy_wait;

  // No SQLITE_OPEN_CREATE: the database must be there; and nothing here
  // changes it (no journal_mode or other pragma that writes).
  WB_ASSIGN_OR_RETURN(
      Db src, OpenDb(db_path, SQLITE_OPEN_READWRITE, Code::kStorageRead));
  sqlite3_busy_timeout(src.get(), 1000);
  WB_RETURN_IF_ERROR(BeginSnapshot(src.get(), deadline));

  WB_ASSIGN_OR_RETURN(TempFile tmp,
                      TempFile::Beside(request.to, Code::kStorageCreate));
  WB_ASSIGN_OR_RETURN(
      Db dst, OpenDb(tmp.path(), SQLITE_OPEN_READWRITE, Code::kStorageCreate));
  // Durability comes from the fsync before the rename, once.
  WB_RETURN_IF_ERROR(
      Exec(dst.get(), "PRAGMA synchronous=OFF", Code::kStorageCreate));
  WB_RETURN_IF_ERROR(
      CopyPages(src.get(), dst.get(), request.pages_per_step, deadline));
  (void)sqlite3_exec(src.get(), "COMMIT", nullptr, nullptr, nullptr);
  src.reset();

  WB_ASSIGN_OR_RETURN(int64_t version, SealCopy(dst.get(), tmp.path()));
  dst.reset();
  WB_RETURN_IF_ERROR(FsyncPath(tmp.path(), false, Code::kStorageCreate));
  if (::rename(tmp.path().c_str(), request.to.c_str()) != 0)
    return IoError(Code::kStorageCreate, "cannot rename to " + request.to);
  tmp.Keep();
  WB_RETURN_IF_ERROR(
      FsyncPath(ParentOf(request.to), true, Code::kStorageCreate));
  return BackupInfo{version, FileSize(request.to)};
}

namespace {

// Checks the backup file; returns its open connection and schema version.
Status CheckBackupFile(const std::string& from, Db* out, int64_t* version) {
  std::error_code ec;
  if (!fs::is_regular_file(from, ec))
    return InvalidArgument(from + ": no such file");
  auto not_sqlite = [&] {
    return InvalidArgument(from + " is not a SQLite database");
  };
  auto opened = OpenDb(from, SQLITE_OPEN_READONLY, Code::kInvalidArgument);
  if (!opened.ok()) return not_sqlite();
  Db db = std::move(opened).value();
  int rc;
  std::string check = QueryFirst(db.get(), "PRAGMA integrity_check", &rc);
  if ((rc & 0xFF) == SQLITE_NOTADB) return not_sqlite();
  if (rc != SQLITE_OK || check != "ok") {
    return InvalidArgument(
        from + " fails the integrity check: " +
        (rc != SQLITE_OK ? SqliteError(db.get(), rc) : check));
  }
  std::string v = QueryFirst(db.get(), "PRAGMA user_version", &rc);
  *version = rc == SQLITE_OK && !v.empty() ? std::stoll(v) : 0;
  if (*version <= 0) {
    return InvalidArgument(from +
                           " is not a workbind database (schema version 0)");
  }
  if (*version > KnownSchemaVersion()) {
    return InvalidArgument(
        from + " has schema version " + std::to_string(*version) +
        ", newer than this workbind knows (" +
        std::to_string(KnownSchemaVersion()) +
        "): restore it with the workbind version that wrote it");
  }
  *out = std::move(db);
  return Status::Ok();
}

std::string UtcStamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

// Moves the database in place (and its -wal/-journal) aside under a new
// name; returns that name.
Result<std::string> SetAside(const std::string& db_path) {
  // Folds the WAL into the file first, so the kept copy is one file.
  // Best effort: a database that cannot be opened is kept as it is.
  if (auto old = OpenDb(db_path, SQLITE_OPEN_READWRITE, Code::kStorageRead);
      old.ok()) {
    (void)sqlite3_exec(old->get(), "PRAGMA wal_checkpoint(TRUNCATE)", nullptr,
                       nullptr, nullptr);
  }
  std::string kept = db_path + ".before-restore-" + UtcStamp();
  std::error_code ec;
  for (int n = 2; fs::exists(kept, ec); ++n)
    kept = db_path + ".before-restore-" + UtcStamp() + "-" + std::to_string(n);
  if (::rename(db_path.c_str(), kept.c_str()) != 0)
    return IoError(Code::kStorageCreate, "cannot rename " + db_path);
  for (const char* suffix : {"-wal", "-journal"}) {
    const std::string side = db_path + suffix;
    if (fs::exists(side, ec) && ::rename(side.c_str(), (kept + suffix).c_str()))
      return IoError(Code::kStorageCreate, "cannot rename " + side);
  }
  return kept;
}

}  // namespace

Result<RestoreInfo> Restore(const RestoreRequest& request) {
  Db src;
  int64_t version = 0;
  WB_RETURN_IF_ERROR(CheckBackupFile(request.from, &src, &version));

  const std::string& dir = request.data_dir;
  const std::string db_path = DatabasePath(dir);
  std::error_code ec;
  std::optional<DataDirLock> lock;
  auto take_lock = [&]() -> Status {
    WB_ASSIGN_OR_RETURN(DataDirLock l, DataDirLock::Exclusive(dir));
    lock.emplace(std::move(l));
    if (DatabaseOpenElsewhere(db_path)) {
      return Status(Code::kInUse, "another process has " + db_path +
                                      " open (a workbind server, a backup "
                                      "or a sqlite3 shell); stop it first");
    }
    return Status::Ok();
  };
  bool has_db = false;
  if (fs::is_directory(dir, ec)) {
    // The checks change nothing: the lock file is created only once they
    // passed (a server that holds the lock made it).
    if (fs::exists(DataDirLock::PathIn(dir), ec)) {
      WB_RETURN_IF_ERROR(take_lock());
    } else if (DatabaseOpenElsewhere(db_path)) {
      return Status(Code::kInUse, "another process has " + db_path +
                                      " open (a workbind server, a backup "
                                      "or a sqlite3 shell); stop it first");
    }
    has_db = fs::exists(db_path, ec);
    if (has_db && !request.force) {
      return Status(Code::kAlreadyExists,
                    dir + " already holds a database (" + db_path + ")");
    }
  } else if (!fs::create_directories(dir, ec) && ec) {
    return Status(Code::kStorageCreate,
                  "cannot create " + dir + ": " + ec.message(),
                  /*unavailable=*/true);
  }
  if (!lock) WB_RETURN_IF_ERROR(take_lock());

  WB_ASSIGN_OR_RETURN(TempFile tmp,
                      TempFile::Beside(db_path, Code::kStorageCreate));
  WB_ASSIGN_OR_RETURN(
      Db dst, OpenDb(tmp.path(), SQLITE_OPEN_READWRITE, Code::kStorageCreate));
  WB_RETURN_IF_ERROR(
      Exec(dst.get(), "PRAGMA synchronous=OFF", Code::kStorageCreate));
  WB_RETURN_IF_ERROR(CopyPages(src.get(), dst.get(), 1024, Clock::now()));
  src.reset();
  WB_RETURN_IF_ERROR(SealCopy(dst.get(), tmp.path()).status());
  dst.reset();
  WB_RETURN_IF_ERROR(FsyncPath(tmp.path(), false, Code::kStorageCreate));

  RestoreInfo info{version, FileSize(tmp.path()), {}};
  if (has_db) {
    WB_ASSIGN_OR_RETURN(info.kept_as, SetAside(db_path));
  }
  // What is left beside the old name belongs to no database any more; a WAL
  // or hot journal would be applied to the restored file.
  for (const char* suffix : {"-wal", "-journal", "-shm"})
    ::unlink((db_path + suffix).c_str());
  if (::rename(tmp.path().c_str(), db_path.c_str()) != 0) {
    Status st = IoError(Code::kStorageCreate, "cannot rename to " + db_path);
    if (!info.kept_as.empty())
      return Status(st.code(),
                    st.message() + "; the old database is " + info.kept_as,
                    true);
    return st;
  }
  tmp.Keep();
  WB_RETURN_IF_ERROR(FsyncPath(dir, true, Code::kStorageCreate));
  return info;
}

}  // namespace workbind::storage::sqlite
