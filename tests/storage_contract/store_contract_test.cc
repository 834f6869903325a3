// Storage contract: behaviour every backend must show, whatever its engine.
#include <atomic>
#include <thread>

#include "backend_fixture.h"

namespace workbind::storage::testing {
namespace {

ContactCenterRecord Center(const std::string& id, const std::string& name) {
  ContactCenterRecord c;
  c.id = id;
  c.name = name;
  c.display_name = name;
  c.features = {"api-multimedia"};
  c.capacity = {{"chat", 2}};
  return c;
}

UserRecord User(const std::string& id, const std::string& cc,
                const std::string& name) {
  UserRecord u;
  u.id = id;
  u.contact_center_id = cc;
  u.user_name = name;
  u.password_hash = "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA";
  u.roles = {"ROLE_AGENT"};
  return u;
}

Status Seed(Store& store) {
  return store.Write([](WriteTx& tx) {
    WB_RETURN_IF_ERROR(tx.PutContactCenter(Center("cc-1", "one")));
    WB_RETURN_IF_ERROR(tx.PutContactCenter(Center("cc-2", "two")));
    WB_RETURN_IF_ERROR(tx.PutUser(User("u1", "cc-1", "alice")));
    WB_RETURN_IF_ERROR(tx.PutUser(User("u2", "cc-1", "bob")));
    WB_RETURN_IF_ERROR(tx.PutPlace({"p1", "cc-1", "place-1"}));
    WB_RETURN_IF_ERROR(
        tx.PutAgentGroup({"g1", "cc-1", "team", {"u1", "u2"}, {}}));
    return tx.PutWorkbin({"w1", "cc-1", "d1", "Agent", "u1"});
  });
}

TEST_P(StoreTest, WriteThenReadBack) {
  ASSERT_TRUE(Seed(store()).ok());
  DirectoryData d;
  ASSERT_TRUE(store()
                  .Read([&](ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(d, tx.LoadDirectory("cc-1"));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(d.contact_center.name, "one");
  EXPECT_EQ(d.contact_center.capacity.at("chat"), 2);
  ASSERT_EQ(d.users.size(), 2u);
  EXPECT_EQ(d.users[0].user_name, "alice");  // ordered by user name
  EXPECT_EQ(d.agent_groups.at(0).agent_ids,
            (std::vector<std::string>{"u1", "u2"}));
  EXPECT_EQ(d.workbins.at(0).owner_id, "u1");
}

TEST_P(StoreTest, FailedWriteChangesNothing) {
  ASSERT_TRUE(Seed(store()).ok());
  Status st = store().Write([](WriteTx& tx) {
    WB_RETURN_IF_ERROR(tx.PutPlace({"p2", "cc-1", "place-2"}));
    return InUse("refused after a change");
  });
  EXPECT_EQ(st.code(), Code::kInUse);
  std::optional<UserRecord> u;
  size_t places = 0;
  ASSERT_TRUE(store()
                  .Read([&](ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(auto d, tx.LoadDirectory("cc-1"));
                    places = d.places.size();
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(places, 1u);
}

TEST_P(StoreTest, RefusedStatementLeavesTheTransactionUsable) {
  // The domain may go on after kAlreadyExists (a new interaction id is
  // retried in the same transaction): only the refused statement is undone.
  ASSERT_TRUE(Seed(store()).ok());
  int64_t reference_id = 0;
  Status st = store().Write([&](WriteTx& tx) -> Status {
    Status dup = tx.PutPlace({"p9", "cc-1", "place-1"});
    if (dup.code() != Code::kAlreadyExists) return Internal("no clash");
    InteractionRecord r;
    r.id = "I1";
    r.contact_center_id = "cc-1";
    r.media_type = "workitem";
    r.state = "Queued";
    r.working_state = "Processing";
    r.direction = "Inbound";
    WB_RETURN_IF_ERROR(tx.InsertInteraction(r));
    if (tx.InsertInteraction(r).code() != Code::kAlreadyExists)
      return Internal("no duplicate id");
    WB_ASSIGN_OR_RETURN(reference_id, tx.NextReferenceId("u1"));
    return tx.PutPlace({"p9", "cc-1", "place-9"});
  });
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(reference_id, 1);
  size_t places = 0;
  std::optional<InteractionRecord> item;
  ASSERT_TRUE(store()
                  .Read([&](ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(auto d, tx.LoadDirectory("cc-1"));
                    places = d.places.size();
                    WB_ASSIGN_OR_RETURN(item, tx.GetInteraction("I1"));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(places, 2u);
  EXPECT_TRUE(item.has_value());
}

TEST_P(StoreTest, DuplicateNamesAreAlreadyExists) {
  ASSERT_TRUE(Seed(store()).ok());
  // User names are unique across contact centers and system admins.
  Status st = store().Write(
      [](WriteTx& tx) { return tx.PutUser(User("u9", "cc-2", "alice")); });
  EXPECT_EQ(st.code(), Code::kAlreadyExists);
  st = store().Write([](WriteTx& tx) {
    return tx.PutSystemAdmin({"a1", "bob", "h"});
  });
  EXPECT_EQ(st.code(), Code::kAlreadyExists);
  st = store().Write([](WriteTx& tx) {
    return tx.PutPlace({"p9", "cc-1", "place-1"});
  });
  EXPECT_EQ(st.code(), Code::kAlreadyExists);
  // The same name in another contact center is fine.
  st = store().Write([](WriteTx& tx) {
    return tx.PutPlace({"p9", "cc-2", "place-1"});
  });
  EXPECT_TRUE(st.ok());
}

TEST_P(StoreTest, ReferenceIdsIncreaseAndSurviveReopen) {
  ASSERT_TRUE(Seed(store()).ok());
  int64_t a = 0, b = 0;
  ASSERT_TRUE(store()
                  .Write([&](WriteTx& tx) {
                    WB_ASSIGN_OR_RETURN(a, tx.NextReferenceId("u1"));
                    WB_ASSIGN_OR_RETURN(b, tx.NextReferenceId("u1"));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(a, 1);
  EXPECT_EQ(b, 2);
  Reopen();
  int64_t c = 0;
  ASSERT_TRUE(store()
                  .Write([&](WriteTx& tx) {
                    WB_ASSIGN_OR_RETURN(c, tx.NextReferenceId("u1"));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(c, 3);
}

TEST_P(StoreTest, SessionsLifecycle) {
  ASSERT_TRUE(Seed(store()).ok());
  ASSERT_TRUE(store()
                  .Write([](WriteTx& tx) {
                    WB_RETURN_IF_ERROR(
                        tx.PutSession({"S1", "t1", "u1", false, 100, 100}));
                    WB_RETURN_IF_ERROR(
                        tx.PutSession({"S2", "t2", "u1", false, 100, 500}));
                    return tx.PutSession({"S3", "t3", "u2", false, 100, 50});
                  })
                  .ok());
  std::vector<SessionRecord> expired;
  ASSERT_TRUE(store()
                  .Write([&](WriteTx& tx) {
                    WB_RETURN_IF_ERROR(tx.TouchSession("S1", 400));
                    WB_ASSIGN_OR_RETURN(expired,
                                        tx.DeleteSessionsIdleSince(200));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0].id, "S3");
  std::vector<SessionRecord> left;
  ASSERT_TRUE(store()
                  .Read([&](ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(left, tx.ListSessionsOfUser("u1"));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].id, "S1");  // least recently active first
}

TEST_P(StoreTest, PlaceHeldByOneAgentAtATime) {
  ASSERT_TRUE(Seed(store()).ok());
  AgentStateRecord a{
      "u1", "cc-1", "p1", {{"workitem", false, std::nullopt, 1}}};
  ASSERT_TRUE(
      store().Write([&](WriteTx& tx) { return tx.PutAgentState(a); }).ok());
  AgentStateRecord b{"u2", "cc-1", "p1", {}};
  Status st = store().Write([&](WriteTx& tx) { return tx.PutAgentState(b); });
  EXPECT_EQ(st.code(), Code::kInUse);
  std::optional<std::string> holder;
  ASSERT_TRUE(store()
                  .Read([&](ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(holder, tx.FindPlaceUser("p1"));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(holder, "u1");
}

// Reads inside one transaction see its own agent-state writes (the
// backends remember the states a transaction read or wrote), and a refused
// write leaves the last stored state visible.
TEST_P(StoreTest, AgentStateReadsFollowTheTransactionsOwnWrites) {
  ASSERT_TRUE(Seed(store()).ok());
  AgentStateRecord held{"u1", "cc-1", "p1", {}};
  ASSERT_TRUE(
      store().Write([&](WriteTx& tx) { return tx.PutAgentState(held); }).ok());
  Status st = store().Write([&](WriteTx& tx) -> Status {
    WB_ASSIGN_OR_RETURN(auto none, tx.GetAgentState("u2"));
    EXPECT_FALSE(none.has_value());
    AgentStateRecord a{
        "u2", "cc-1", std::nullopt, {{"workitem", false, std::nullopt, 5}}};
    WB_RETURN_IF_ERROR(tx.PutAgentState(a));
    WB_ASSIGN_OR_RETURN(auto got, tx.GetAgentState("u2"));
    EXPECT_TRUE(got.has_value());
    if (got) {
      EXPECT_EQ(got->channels.size(), 1u);
      EXPECT_EQ(got->channels[0].idle_since_ms, 5);
    }
    // Refused: u1 holds p1. u2's state stays the one stored above.
    AgentStateRecord taken{"u2", "cc-1", "p1", {}};
    EXPECT_EQ(tx.PutAgentState(taken).code(), Code::kInUse);
    WB_ASSIGN_OR_RETURN(got, tx.GetAgentState("u2"));
    EXPECT_TRUE(got && !got->place_id);
    WB_RETURN_IF_ERROR(tx.DeleteAgentState("u2"));
    WB_ASSIGN_OR_RETURN(got, tx.GetAgentState("u2"));
    EXPECT_FALSE(got.has_value());
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok()) << st.message();
}

TEST_P(StoreTest, ConcurrentWritesAreAllAppliedOnce) {
  ASSERT_TRUE(Seed(store()).ok());
  constexpr int kThreads = 8, kEach = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        Status st = store().Write(
            [](WriteTx& tx) { return tx.NextReferenceId("u2").status(); });
        if (!st.ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  int64_t next = 0;
  ASSERT_TRUE(store()
                  .Write([&](WriteTx& tx) {
                    WB_ASSIGN_OR_RETURN(next, tx.NextReferenceId("u2"));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(next, kThreads * kEach + 1);
}

TEST_P(StoreTest, DeleteContactCenterRemovesItsObjects) {
  ASSERT_TRUE(Seed(store()).ok());
  ASSERT_TRUE(
      store()
          .Write([](WriteTx& tx) { return tx.DeleteContactCenter("cc-1"); })
          .ok());
  std::optional<UserRecord> u;
  Status missing;
  ASSERT_TRUE(store()
                  .Read([&](ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(u, tx.FindUserByName("alice"));
                    missing = tx.LoadDirectory("cc-1").status();
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_FALSE(u.has_value());
  EXPECT_EQ(missing.code(), Code::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace workbind::storage::testing
