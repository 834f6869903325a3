#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "app/open_store.h"
#include "domain/directory/directory.h"
#include "domain/testing/interaction_test_env.h"

namespace workbind::domain {
namespace {

using testing::FakeClock;

class DirectoryCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("wb-dircache-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    storage::StoreOptions o;
    o.data_dir = dir_.string();
    store_ = std::move(storage::OpenStore(o)).value();
    ASSERT_TRUE(store_
                    ->Write([&](storage::WriteTx& tx) {
                      storage::ContactCenterRecord cc;
                      cc.id = cc.name = cc.display_name = "cc";
                      return tx.PutContactCenter(cc);
                    })
                    .ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  // A provisioning write made without telling the cache (another node).
  void BumpBehindItsBack() {
    ASSERT_TRUE(store_
                    ->Write([&](storage::WriteTx& tx) {
                      return tx.BumpDirectoryVersion("cc");
                    })
                    .ok());
  }

  std::filesystem::path dir_;
  FakeClock clock_;
  std::unique_ptr<storage::Store> store_;
};

TEST_F(DirectoryCacheTest, AConfirmedSnapshotIsUsedForOneSecondWithoutARead) {
  DirectoryCache cache(store_.get(), &clock_);
  auto first = cache.Get("cc");
  ASSERT_TRUE(first.ok());
  BumpBehindItsBack();
  auto within = cache.Get("cc");
  ASSERT_TRUE(within.ok());
  EXPECT_EQ((*within)->version(), (*first)->version());
  clock_.now += 1'000;
  auto after = cache.Get("cc");
  ASSERT_TRUE(after.ok());
  EXPECT_GT((*after)->version(), (*first)->version());
  EXPECT_EQ(cache.CachedVersion("cc"), (*after)->version());
}

TEST_F(DirectoryCacheTest, ATransactionAlwaysReadsTheVersion) {
  DirectoryCache cache(store_.get(), &clock_);
  auto first = cache.Get("cc");
  ASSERT_TRUE(first.ok());
  BumpBehindItsBack();
  int64_t seen = -1;
  ASSERT_TRUE(store_
                  ->Read([&](storage::ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(auto d, cache.Get(tx, "cc"));
                    seen = d->version();
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_GT(seen, (*first)->version());
  // And what it saw is what the cache answers from now on.
  EXPECT_EQ((*cache.Get("cc"))->version(), seen);
}

TEST_F(DirectoryCacheTest, WithoutAClockEveryGetReadsTheVersion) {
  DirectoryCache cache(store_.get());
  auto first = cache.Get("cc");
  ASSERT_TRUE(first.ok());
  BumpBehindItsBack();
  EXPECT_GT((*cache.Get("cc"))->version(), (*first)->version());
}

TEST_F(DirectoryCacheTest, InvalidateDropsTheSnapshotAtOnce) {
  DirectoryCache cache(store_.get(), &clock_);
  auto first = cache.Get("cc");
  ASSERT_TRUE(first.ok());
  BumpBehindItsBack();
  cache.Invalidate("cc");
  EXPECT_EQ(cache.CachedVersion("cc"), -1);
  EXPECT_GT((*cache.Get("cc"))->version(), (*first)->version());
}

}  // namespace
}  // namespace workbind::domain
