// PostgresStore failure behaviour against a real server (WORKBIND_TEST_PG_DSN,
// set by tests/pg/with_test_postgres.sh in the CTest entry pg_store_test):
// terminated connections are replaced without the caller noticing, an
// unreachable database gives unavailable storage errors (HTTP 503) and the
// store recovers by itself, and a callback that ignores a failed statement
// never commits.
#include "storage/postgres/pg_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <pqxx/pqxx>

namespace workbind::storage::postgres {
namespace {

std::string AdminDsn() {
  const char* dsn = std::getenv("WORKBIND_TEST_PG_DSN");
  return dsn ? dsn : "";
}

void AdminExec(const std::string& sql) {
  pqxx::connection c(AdminDsn());
  pqxx::nontransaction(c).exec(sql);
}

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(AdminDsn().empty())
        << "WORKBIND_TEST_PG_DSN must name a server";
    database_ = "wb_store_" + std::to_string(getpid()) + "_" +
                std::to_string(counter_++);
    AdminExec("CREATE DATABASE " + database_);
    StoreOptions o;
    o.backend = "postgres";
    o.postgres_dsn = AdminDsn() + " dbname=" + database_;
    o.postgres_pool_size = 2;
    auto s = OpenPostgresStore(o);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(s).value();
    ASSERT_TRUE(store_
                    ->Write([](WriteTx& tx) {
                      ContactCenterRecord c;
                      c.id = c.name = c.display_name = "cc-1";
                      WB_RETURN_IF_ERROR(tx.PutContactCenter(c));
                      UserRecord u;
                      u.id = "u1";
                      u.contact_center_id = "cc-1";
                      u.user_name = "alice";
                      u.password_hash = "x";
                      return tx.PutUser(u);
                    })
                    .ok());
  }
  void TearDown() override {
    store_.reset();
    AdminExec("ALTER DATABASE " + database_ + " ALLOW_CONNECTIONS true");
    AdminExec("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
  }

  void TerminateBackends() {
    AdminExec(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
        "datname = '" +
        database_ + "'");
  }

  Result<int64_t> NextReferenceId() {
    int64_t id = 0;
    Status st = store_->Write([&](WriteTx& tx) {
      WB_ASSIGN_OR_RETURN(id, tx.NextReferenceId("u1"));
      return Status::Ok();
    });
    if (!st.ok()) return st;
    return id;
  }

  std::string database_;
  std::unique_ptr<Store> store_;
  static inline int counter_ = 0;
};

TEST_F(PgStoreTest, TerminatedConnectionsAreReplacedUnnoticed) {
  auto first = NextReferenceId();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(*first, 1);
  TerminateBackends();
  auto second = NextReferenceId();  // on a dead pooled connection at first
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(*second, 2);
  TerminateBackends();
  EXPECT_TRUE(store_->Ping().ok());
}

TEST_F(PgStoreTest, UnreachableDatabaseIsUnavailableUntilItIsBack) {
  ASSERT_TRUE(NextReferenceId().ok());
  AdminExec("ALTER DATABASE " + database_ + " ALLOW_CONNECTIONS false");
  TerminateBackends();
  auto write = NextReferenceId();
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.status().code(), Code::kStorageUpdate);
  EXPECT_TRUE(write.status().unavailable());
  Status read =
      store_->Read([](ReadTx& tx) { return tx.GetUser("u1").status(); });
  EXPECT_EQ(read.code(), Code::kStorageRead);
  EXPECT_TRUE(read.unavailable());
  EXPECT_FALSE(store_->Ping().ok());

  AdminExec("ALTER DATABASE " + database_ + " ALLOW_CONNECTIONS true");
  auto again = NextReferenceId();
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(*again, 2);  // the refused write took nothing
}

TEST_F(PgStoreTest, CallbackIgnoringAFailedStatementDoesNotCommit) {
  Status st = store_->Write([](WriteTx& tx) {
    WB_RETURN_IF_ERROR(tx.NextReferenceId("u1").status());
    HistoryEventRecord e;  // no such interaction: a foreign-key violation
    e.interaction_id = "missing";
    e.event = "Submitted";
    e.state = "Queued";
    (void)tx.AppendInteractionHistory(e);
    return Status::Ok();  // ignores the failure
  });
  EXPECT_FALSE(st.ok());
  auto next = NextReferenceId();
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 1) << "the failed write must not have committed";
}

TEST_F(PgStoreTest, AConstraintViolationUndoesOnlyItsStatement) {
  // As with SQLite, a refused statement leaves the transaction usable.
  int64_t id = 0;
  Status st = store_->Write([&](WriteTx& tx) -> Status {
    PlaceRecord p{"p1", "cc-1", "desk"};
    WB_RETURN_IF_ERROR(tx.PutPlace(p));
    Status dup = tx.PutPlace({"p2", "cc-1", "desk"});
    if (dup.code() != Code::kAlreadyExists) return Internal("expected a clash");
    WB_ASSIGN_OR_RETURN(id, tx.NextReferenceId("u1"));
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(id, 1);
  size_t places = 0;
  ASSERT_TRUE(store_
                  ->Read([&](ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(auto d, tx.LoadDirectory("cc-1"));
                    places = d.places.size();
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(places, 1u);
}

}  // namespace
}  // namespace workbind::storage::postgres
