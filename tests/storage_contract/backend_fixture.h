// Opens a fresh store of each backend under test. SQLite: a database in a
// temporary folder. PostgreSQL (when WORKBIND_TEST_PG_DSN names a server, as
// a key=value libpq string): a database created for the test on that server
// and dropped after it.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <pqxx/pqxx>
#include <string>

#include "app/open_store.h"

namespace workbind::storage::testing {

inline std::vector<std::string> Backends() {
  std::vector<std::string> b = {"sqlite"};
  if (const char* dsn = std::getenv("WORKBIND_TEST_PG_DSN"); dsn && *dsn)
    b.push_back("postgres");
  return b;
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string unique =
        std::to_string(getpid()) + "_" + std::to_string(counter_++);
    dir_ = std::filesystem::temp_directory_path() / ("wb-contract-" + unique);
    std::filesystem::remove_all(dir_);
    if (GetParam() == "postgres") {
      database_ = "wb_contract_" + unique;
      ASSERT_NO_THROW(AdminExec("CREATE DATABASE " + database_));
    }
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
    if (!database_.empty()) {
      EXPECT_NO_THROW(
          AdminExec("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)"));
    }
  }
  // Closes and opens the same database again (restart persistence).
  void Reopen() {
    store_.reset();
    auto s = OpenAnother();
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
  }
  // Opens one more store on the database of this test, as a second process
  // (or node) would.
  Result<std::unique_ptr<Store>> OpenAnother() {
    StoreOptions o;
    o.backend = GetParam();
    o.data_dir = dir_.string();
    if (!database_.empty())
      o.postgres_dsn = AdminDsn() + " dbname=" + database_;
    return OpenStore(o);
  }
  Store& store() { return *store_; }

  static std::string AdminDsn() {
    const char* dsn = std::getenv("WORKBIND_TEST_PG_DSN");
    return dsn ? dsn : "";
  }
  // Runs one statement outside any transaction on the server's admin DSN.
  static void AdminExec(const std::string& sql) {
    pqxx::connection c(AdminDsn());
    pqxx::nontransaction n(c);
    n.exec(sql);
  }

  std::filesystem::path dir_;
  std::string database_;  // PostgreSQL only
  std::unique_ptr<Store> store_;
  static inline int counter_ = 0;
};

}  // namespace workbind::storage::testing
