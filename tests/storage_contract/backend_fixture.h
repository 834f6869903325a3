// Opens a fresh store of each backend under test in a temporary folder.
// SQLite always; PostgreSQL when WORKBIND_TEST_PG_DSN names a server.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "storage/open_store.h"

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
    dir_ = std::filesystem::temp_directory_path() /
           ("wb-contract-" + std::to_string(getpid()) + "-" +
            std::to_string(counter_++));
    std::filesystem::remove_all(dir_);
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Closes and opens the same database again (restart persistence).
  void Reopen() {
    store_.reset();
    StoreOptions o;
    o.backend = GetParam();
    o.data_dir = dir_.string();
    if (const char* dsn = std::getenv("WORKBIND_TEST_PG_DSN"))
      o.postgres_dsn = dsn;
    auto s = OpenStore(o);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
  }
  Store& store() { return *store_; }

  std::filesystem::path dir_;
  std::unique_ptr<Store> store_;
  static inline int counter_ = 0;
};

}  // namespace workbind::storage::testing
