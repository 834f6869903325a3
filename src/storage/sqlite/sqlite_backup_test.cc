#include "storage/sqlite/sqlite_backup.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "storage/sqlite/data_dir_lock.h"
#include "storage/sqlite/sqlite_store.h"

namespace workbind::storage::sqlite {
namespace {

namespace fs = std::filesystem;

// A raw connection for setting up and reading test databases.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK) << path;
    sqlite3_busy_timeout(db_, 5000);
  }
  ~RawDb() { sqlite3_close(db_); }
  void Exec(const std::string& sql) {
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err ? err : "") << " in " << sql;
  }
  int64_t Int(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
    int64_t v = -1;
    if (sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteBackupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() /
            ("wb-backup-" + std::to_string(getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  std::string Path(const std::string& name) const {
    return (root_ / name).string();
  }
  // A data folder with a migrated workbind database and a side table of
  // `rows` rows (written like a server would: through another connection).
  std::string MakeDataDir(const std::string& name, int rows) {
    const std::string dir = Path(name);
    StoreOptions o;
    o.data_dir = dir;
    auto store = OpenSqliteStore(o);
    EXPECT_TRUE(store.ok()) << store.status().message();
    RawDb db(DatabasePath(dir));
    db.Exec("CREATE TABLE probe(n INTEGER PRIMARY KEY)");
    for (int i = 1; i <= rows; ++i)
      db.Exec("INSERT INTO probe VALUES(" + std::to_string(i) + ")");
    return dir;
  }
  std::vector<std::string> Listing(const std::string& dir) const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir))
      names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path root_;
};

TEST_F(SqliteBackupTest, CopiesTheDatabaseIntoOneCheckedFile) {
  const std::string dir = MakeDataDir("data", 50);
  const std::string to = Path("copy.db");
  auto r = Backup({.data_dir = dir, .to = to});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->schema_version, KnownSchemaVersion());
  EXPECT_EQ(r->bytes, static_cast<int64_t>(fs::file_size(to)));
  // One self-contained rollback-journal file, nothing left beside it.
  EXPECT_EQ(Listing(root_.string()),
            (std::vector<std::string>{"copy.db", "data"}));
  std::ifstream in(to, std::ios::binary);
  char header[20];
  in.read(header, sizeof header);
  EXPECT_EQ(header[18], 1) << "file format: rollback journal, not WAL";
  RawDb copy(to);
  EXPECT_EQ(copy.Int("SELECT count(*) FROM probe"), 50);
  EXPECT_EQ(copy.Int("PRAGMA user_version"), KnownSchemaVersion());
}

TEST_F(SqliteBackupTest, CopiesOneSnapshotWhileWritesGoOn) {
  const std::string dir = MakeDataDir("data", 0);
  StoreOptions o;
  o.data_dir = dir;
  auto store = OpenSqliteStore(o);  // the running server's connections
  ASSERT_TRUE(store.ok());
  std::atomic<int64_t> committed{0};
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    RawDb db(DatabasePath(dir));
    db.Exec("PRAGMA synchronous=FULL");
    db.Exec("CREATE TABLE pad(b BLOB)");
    // Big rows, so that the copy takes many steps; two tables changed in
    // each transaction, so that a mix of moments would show.
    for (int64_t n = 1; !stop; ++n) {
      db.Exec("BEGIN; INSERT INTO probe VALUES(" + std::to_string(n) +
              "); INSERT INTO pad VALUES(zeroblob(8192)); COMMIT");
      committed = n;
    }
  });
  while (committed < 200) std::this_thread::yield();
  const int64_t before = committed;
  auto r =
      Backup({.data_dir = dir, .to = Path("copy.db"), .pages_per_step = 8});
  const int64_t after = committed;
  stop = true;
  writer.join();
  ASSERT_TRUE(r.ok()) << r.status().message();
  RawDb copy(Path("copy.db"));
  const int64_t rows = copy.Int("SELECT count(*) FROM probe");
  // Every row committed before the copy began is in it, and the rows form
  // one prefix (a snapshot), not a mix of pages of different moments.
  EXPECT_GE(rows, before);
  EXPECT_LE(rows, after);
  EXPECT_EQ(copy.Int("SELECT max(n) FROM probe"), rows);
  EXPECT_EQ(copy.Int("SELECT count(*) FROM pad"), rows);
}

TEST_F(SqliteBackupTest, RefusesAFolderWithoutDatabase) {
  fs::create_directories(Path("empty"));
  auto r = Backup({.data_dir = Path("empty"), .to = Path("copy.db")});
  EXPECT_EQ(r.status().code(), Code::kNotFound);
  EXPECT_FALSE(fs::exists(Path("copy.db")));
}

TEST_F(SqliteBackupTest, RefusesAnExistingTargetUnlessForced) {
  const std::string dir = MakeDataDir("data", 3);
  const std::string to = Path("copy.db");
  std::ofstream(to) << "keep me";
  auto r = Backup({.data_dir = dir, .to = to});
  EXPECT_EQ(r.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(fs::file_size(to), 7u);
  auto forced = Backup({.data_dir = dir, .to = to, .force = true});
  ASSERT_TRUE(forced.ok()) << forced.status().message();
  EXPECT_EQ(RawDb(to).Int("SELECT count(*) FROM probe"), 3);
}

TEST_F(SqliteBackupTest, AFailedBackupLeavesNoFile) {
  const std::string dir = MakeDataDir("data", 3);
  auto r = Backup({.data_dir = dir, .to = Path("missing/copy.db")});
  EXPECT_EQ(r.status().code(), Code::kStorageCreate);
  EXPECT_EQ(Listing(root_.string()), (std::vector<std::string>{"data"}));
}

TEST_F(SqliteBackupTest, RestoresIntoAFreshFolder) {
  const std::string dir = MakeDataDir("data", 20);
  ASSERT_TRUE(Backup({.data_dir = dir, .to = Path("copy.db")}).ok());
  auto r = Restore({.from = Path("copy.db"), .data_dir = Path("fresh/db")});
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->schema_version, KnownSchemaVersion());
  EXPECT_TRUE(r->kept_as.empty());
  EXPECT_EQ(Listing(Path("fresh/db")),
            (std::vector<std::string>{"workbind.db", "workbind.lock"}));
  StoreOptions o;
  o.data_dir = Path("fresh/db");
  auto store = OpenSqliteStore(o);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ(RawDb(DatabasePath(o.data_dir)).Int("SELECT count(*) FROM probe"),
            20);
}

TEST_F(SqliteBackupTest, RefusesAFileThatIsNotADatabase) {
  std::ofstream(Path("garbage.db")) << std::string(8192, 'x');
  auto r = Restore({.from = Path("garbage.db"), .data_dir = Path("fresh")});
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("not a SQLite database"),
            std::string::npos)
      << r.status().message();
  EXPECT_FALSE(fs::exists(Path("fresh")));
  auto missing = Restore({.from = Path("nothing.db"), .data_dir = Path("x")});
  EXPECT_EQ(missing.status().code(), Code::kInvalidArgument);
}

TEST_F(SqliteBackupTest, RefusesADamagedDatabase) {
  const std::string dir = MakeDataDir("data", 2000);
  ASSERT_TRUE(Backup({.data_dir = dir, .to = Path("copy.db")}).ok());
  {
    // Overwrite a page in the middle (a b-tree page of the probe table).
    std::fstream f(Path("copy.db"),
                   std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(Path("copy.db")) / 2));
    const std::string junk(4096, '\x5a');
    f.write(junk.data(), junk.size());
  }
  auto r = Restore({.from = Path("copy.db"), .data_dir = Path("fresh")});
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << r.status().message();
  EXPECT_FALSE(fs::exists(Path("fresh")));
}

TEST_F(SqliteBackupTest, RefusesANewerSchemaAndAcceptsAnOlderOne) {
  const std::string dir = MakeDataDir("data", 1);
  ASSERT_TRUE(Backup({.data_dir = dir, .to = Path("newer.db")}).ok());
  RawDb(Path("newer.db"))
      .Exec("PRAGMA user_version=" + std::to_string(KnownSchemaVersion() + 1));
  auto r = Restore({.from = Path("newer.db"), .data_dir = Path("fresh")});
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("newer than this workbind knows"),
            std::string::npos)
      << r.status().message();
  EXPECT_FALSE(fs::exists(Path("fresh")));

  // A database of the first migration only, as an older workbind wrote it.
  RawDb(Path("older.db")).Exec("CREATE TABLE t(x); PRAGMA user_version=1");
  auto older = Restore({.from = Path("older.db"), .data_dir = Path("fresh")});
  ASSERT_TRUE(older.ok()) << older.status().message();
  EXPECT_EQ(older->schema_version, 1);

  RawDb(Path("zero.db")).Exec("CREATE TABLE t(x)");
  auto zero = Restore({.from = Path("zero.db"), .data_dir = Path("other")});
  EXPECT_EQ(zero.status().code(), Code::kInvalidArgument);
}

TEST_F(SqliteBackupTest, RefusesAFolderInUseByAServer) {
  const std::string dir = MakeDataDir("data", 5);
  ASSERT_TRUE(Backup({.data_dir = dir, .to = Path("copy.db")}).ok());
  StoreOptions o;
  o.data_dir = dir;
  auto store = OpenSqliteStore(o);  // a running server holds the lock
  ASSERT_TRUE(store.ok());
  const auto before = Listing(dir);
  auto r = Restore({.from = Path("copy.db"), .data_dir = dir, .force = true});
  EXPECT_EQ(r.status().code(), Code::kInUse);
  EXPECT_NE(r.status().message().find("server is running"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(Listing(dir), before);
}

TEST_F(SqliteBackupTest, AStoreDoesNotOpenWhileARestoreHoldsTheFolder) {
  const std::string dir = MakeDataDir("data", 1);
  auto lock = DataDirLock::Exclusive(dir);
  ASSERT_TRUE(lock.ok()) << lock.status().message();
  StoreOptions o;
  o.data_dir = dir;
  EXPECT_FALSE(OpenSqliteStore(o).ok());
  EXPECT_EQ(DataDirLock::Shared(dir).status().code(), Code::kInUse);
}

TEST_F(SqliteBackupTest, RefusesAnExistingDatabaseUnlessForcedThenKeepsIt) {
  const std::string old_dir = MakeDataDir("data", 7);
  const std::string other = MakeDataDir("other", 3);
  ASSERT_TRUE(Backup({.data_dir = other, .to = Path("copy.db")}).ok());
  const auto before = Listing(old_dir);
  auto refused = Restore({.from = Path("copy.db"), .data_dir = old_dir});
  EXPECT_EQ(refused.status().code(), Code::kAlreadyExists);
  EXPECT_EQ(Listing(old_dir), before);
  EXPECT_EQ(RawDb(DatabasePath(old_dir)).Int("SELECT count(*) FROM probe"), 7);

  auto r =
      Restore({.from = Path("copy.db"), .data_dir = old_dir, .force = true});
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_FALSE(r->kept_as.empty());
  EXPECT_EQ(fs::path(r->kept_as).parent_path(), fs::path(old_dir));
  EXPECT_NE(r->kept_as.find("workbind.db.before-restore-"), std::string::npos);
  EXPECT_EQ(RawDb(DatabasePath(old_dir)).Int("SELECT count(*) FROM probe"), 3);
  EXPECT_EQ(RawDb(r->kept_as).Int("SELECT count(*) FROM probe"), 7);
  for (const char* suffix : {"-wal", "-shm", "-journal"})
    EXPECT_FALSE(fs::exists(DatabasePath(old_dir) + suffix)) << suffix;
}

}  // namespace
}  // namespace workbind::storage::sqlite
