// Storage contract for Idempotency-Key records: put/replace, expiry on read
// and by sweep, per-user keys.
#include "backend_fixture.h"

namespace workbind::storage::testing {
namespace {

class IdempotencyStoreTest : public StoreTest {
 protected:
  std::optional<IdempotencyRecord> Get(const std::string& user,
                                       const std::string& key, int64_t now) {
    std::optional<IdempotencyRecord> out;
    EXPECT_TRUE(store()
                    .Read([&](ReadTx& tx) {
                      WB_ASSIGN_OR_RETURN(out,
                                          tx.GetIdempotencyKey(user, key, now));
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }
  void Put(const IdempotencyRecord& r) {
    ASSERT_TRUE(store()
                    .Write([&](WriteTx& tx) { return tx.PutIdempotencyKey(r); })
                    .ok());
  }
};

TEST_P(IdempotencyStoreTest, KeysArePerUserReplacedAndExpire) {
  Put({"u1", "k", "fp-1", false, 0, "", 1000});
  Put({"u2", "k", "fp-2", true, 200, R"({"statusCode":0})", 1000});
  auto a = Get("u1", "k", 10);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->fingerprint, "fp-1");
  EXPECT_FALSE(a->done);
  auto b = Get("u2", "k", 10);
  ASSERT_TRUE(b);
  EXPECT_TRUE(b->done);
  EXPECT_EQ(b->http_status, 200);
  EXPECT_EQ(b->body, R"({"statusCode":0})");
  EXPECT_EQ(b->expires_ms, 1000);
  // Completed: replaced in place.
  Put({"u1", "k", "fp-1", true, 409, "{}", 2000});
  Reopen();
  a = Get("u1", "k", 1500);
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->done);
  EXPECT_EQ(a->http_status, 409);
  // Expired keys are not returned, and are swept.
  EXPECT_FALSE(Get("u2", "k", 1000));
  int64_t swept = 0;
  ASSERT_TRUE(store()
                  .Write([&](WriteTx& tx) {
                    WB_ASSIGN_OR_RETURN(swept,
                                        tx.DeleteExpiredIdempotencyKeys(1000));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(swept, 1);
  ASSERT_TRUE(
      store()
          .Write([](WriteTx& tx) { return tx.DeleteIdempotencyKey("u1", "k"); })
          .ok());
  EXPECT_FALSE(Get("u1", "k", 0));
}

INSTANTIATE_TEST_SUITE_P(Backends, IdempotencyStoreTest,
                         ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace workbind::storage::testing
