// Storage contract for workbin content listings and workbin subscriptions.
#include "backend_fixture.h"

namespace workbind::storage::testing {
namespace {

class WorkbinStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store()
                    .Write([](WriteTx& tx) {
                      ContactCenterRecord c;
                      c.id = c.name = c.display_name = "cc-1";
                      WB_RETURN_IF_ERROR(tx.PutContactCenter(c));
                      for (const char* id : {"u1", "u2"}) {
                        UserRecord u;
                        u.id = id;
                        u.contact_center_id = "cc-1";
                        u.user_name = std::string("user-") + id;
                        u.password_hash = "x";
                        u.roles = {"ROLE_AGENT"};
                        WB_RETURN_IF_ERROR(tx.PutUser(u));
                      }
                      for (const char* id : {"w1", "w2"})
                        WB_RETURN_IF_ERROR(
                            tx.PutWorkbin({id, "cc-1", "d1", "Agent", "u1"}));
                      return Status::Ok();
                    })
                    .ok());
  }

  Status Sub(const std::string& user, const std::string& workbin, bool on) {
    return store().Write([&](WriteTx& tx) {
      return on ? tx.PutWorkbinSubscription({user, workbin, "cc-1", 5})
                : tx.DeleteWorkbinSubscription(user, workbin);
    });
  }

  std::vector<std::string> Subscribers(const std::string& workbin) {
    std::vector<std::string> out;
    EXPECT_TRUE(store()
                    .Read([&](ReadTx& tx) {
                      WB_ASSIGN_OR_RETURN(out,
                                          tx.ListWorkbinSubscribers(workbin));
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }
};

TEST_P(WorkbinStoreTest, SubscriptionsAreIdempotentOrderedAndDurable) {
  ASSERT_TRUE(Sub("u2", "w1", true).ok());
  ASSERT_TRUE(Sub("u1", "w1", true).ok());
  ASSERT_TRUE(Sub("u1", "w1", true).ok());  // again: still one pair
  ASSERT_TRUE(Sub("u1", "w2", true).ok());
  EXPECT_EQ(Subscribers("w1"), (std::vector<std::string>{"u1", "u2"}));
  Reopen();
  EXPECT_EQ(Subscribers("w1"), (std::vector<std::string>{"u1", "u2"}));
  int64_t held = 0;
  bool subscribed = false;
  ASSERT_TRUE(store()
                  .Read([&](ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(
                        held, tx.CountWorkbinSubscriptionsOfUser("u1"));
                    WB_ASSIGN_OR_RETURN(subscribed,
                                        tx.IsSubscribedToWorkbin("u2", "w1"));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(held, 2);
  EXPECT_TRUE(subscribed);
  ASSERT_TRUE(Sub("u2", "w1", false).ok());
  ASSERT_TRUE(Sub("u2", "w1", false).ok());  // deleting a missing pair is OK
  EXPECT_EQ(Subscribers("w1"), (std::vector<std::string>{"u1"}));
}

TEST_P(WorkbinStoreTest, SubscriptionsGoWithTheirWorkbinOrUser) {
  ASSERT_TRUE(Sub("u1", "w1", true).ok());
  ASSERT_TRUE(Sub("u2", "w2", true).ok());
  ASSERT_TRUE(
      store().Write([](WriteTx& tx) { return tx.DeleteWorkbin("w1"); }).ok());
  ASSERT_TRUE(
      store().Write([](WriteTx& tx) { return tx.DeleteUser("u2"); }).ok());
  EXPECT_TRUE(Subscribers("w1").empty());
  EXPECT_TRUE(Subscribers("w2").empty());
}

TEST_P(WorkbinStoreTest, DeleteSubscriptionsOfUserReturnsTheWorkbins) {
  ASSERT_TRUE(Sub("u1", "w2", true).ok());
  ASSERT_TRUE(Sub("u1", "w1", true).ok());
  ASSERT_TRUE(Sub("u2", "w1", true).ok());
  std::vector<std::string> ended;
  ASSERT_TRUE(store()
                  .Write([&](WriteTx& tx) {
                    WB_ASSIGN_OR_RETURN(
                        ended, tx.DeleteWorkbinSubscriptionsOfUser("u1"));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(ended, (std::vector<std::string>{"w1", "w2"}));
  EXPECT_EQ(Subscribers("w1"), (std::vector<std::string>{"u2"}));
  EXPECT_TRUE(Subscribers("w2").empty());
}

TEST_P(WorkbinStoreTest, ListsSubscriptionsPerUserAndContactCenter) {
  ASSERT_TRUE(Sub("u2", "w1", true).ok());
  ASSERT_TRUE(Sub("u1", "w2", true).ok());
  ASSERT_TRUE(Sub("u1", "w1", true).ok());
  std::vector<WorkbinSubscriptionRecord> all;
  std::vector<std::string> of_u1;
  ASSERT_TRUE(
      store()
          .Read([&](ReadTx& tx) {
            WB_ASSIGN_OR_RETURN(
                all, tx.ListWorkbinSubscriptionsInContactCenter("cc-1"));
            WB_ASSIGN_OR_RETURN(of_u1, tx.ListWorkbinSubscriptionsOfUser("u1"));
            return Status::Ok();
          })
          .ok());
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].user_id, "u1");
  EXPECT_EQ(all[0].workbin_id, "w1");
  EXPECT_EQ(all[0].contact_center_id, "cc-1");
  EXPECT_EQ(all[0].created_ms, 5);
  EXPECT_EQ(all[1].workbin_id, "w2");
  EXPECT_EQ(all[2].user_id, "u2");
  EXPECT_EQ(of_u1, (std::vector<std::string>{"w1", "w2"}));
  bool none = false;
  ASSERT_TRUE(store()
                  .Read([&](ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(
                        auto other,
                        tx.ListWorkbinSubscriptionsInContactCenter("cc-2"));
                    none = other.empty();
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_TRUE(none);
}

TEST_P(WorkbinStoreTest, ListsInteractionsInWorkbinInReceivedOrder) {
  ASSERT_TRUE(store()
                  .Write([](WriteTx& tx) {
                    int64_t received = 300;
                    for (const char* id : {"A", "B", "C"}) {
                      InteractionRecord r;
                      r.id = id;
                      r.contact_center_id = "cc-1";
                      r.media_type = "workitem";
                      r.state = "InWorkbin";
                      r.working_state = "Processing";
                      r.direction = "Inbound";
                      r.workbin_id = std::string(id) == "C" ? "w2" : "w1";
                      r.received_ms = received;
                      received -= 100;
                      WB_RETURN_IF_ERROR(tx.InsertInteraction(r));
                    }
                    return Status::Ok();
                  })
                  .ok());
  std::vector<InteractionRecord> items;
  ASSERT_TRUE(store()
                  .Read([&](ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(items,
                                        tx.ListInteractionsInWorkbin("w1"));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].id, "B");
  EXPECT_EQ(items[1].id, "A");
}

// Items I0..I9 in w1 (received 1000 - 10 * i: I9 is the oldest), media
// alternating workitem/email; X in w2.
void PutPageItems(Store& store) {
  ASSERT_TRUE(store
                  .Write([](WriteTx& tx) {
                    for (int i = 0; i < 11; ++i) {
                      InteractionRecord r;
                      r.id = i < 10 ? "I" + std::to_string(i) : "X";
                      r.contact_center_id = "cc-1";
                      r.media_type = i % 2 ? "email" : "workitem";
                      r.state = "InWorkbin";
                      r.working_state = "Processing";
                      r.direction = "Inbound";
                      r.workbin_id = i < 10 ? "w1" : "w2";
                      r.received_ms = 1000 - 10 * i;
                      WB_RETURN_IF_ERROR(tx.InsertInteraction(r));
                    }
                    return Status::Ok();
                  })
                  .ok());
}

std::vector<std::string> PageIds(
    Store& store, const std::vector<std::string>& media, bool desc,
    std::optional<std::pair<int64_t, std::string>> after, int64_t limit) {
  std::vector<std::string> ids;
  EXPECT_TRUE(store
                  .Read([&](ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(
                        auto page,
                        tx.ListWorkbinPage("w1", media, desc, after, limit));
                    for (const auto& r : page) ids.push_back(r.id);
                    return Status::Ok();
                  })
                  .ok());
  return ids;
}

std::map<std::string, int64_t> Counts(Store& store, const std::string& w) {
  std::map<std::string, int64_t> out;
  EXPECT_TRUE(store
                  .Read([&](ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(out, tx.CountWorkbinItemsByMedia(w));
                    return Status::Ok();
                  })
                  .ok());
  return out;
}

TEST_P(WorkbinStoreTest, PagesInReceivedOrderAfterAPosition) {
  PutPageItems(store());
  using V = std::vector<std::string>;
  EXPECT_EQ(PageIds(store(), {}, false, std::nullopt, 3),
            (V{"I9", "I8", "I7"}));
  EXPECT_EQ(PageIds(store(), {}, false, std::make_pair(930, "I7"), 3),
            (V{"I6", "I5", "I4"}));
  EXPECT_EQ(PageIds(store(), {}, true, std::nullopt, 2), (V{"I0", "I1"}));
  EXPECT_EQ(PageIds(store(), {}, true, std::make_pair(990, "I1"), 0),
            (V{"I2", "I3", "I4", "I5", "I6", "I7", "I8", "I9"}));
  // One media type, and two merged.
  EXPECT_EQ(PageIds(store(), {"email"}, false, std::nullopt, 2),
            (V{"I9", "I7"}));
  EXPECT_EQ(PageIds(store(), {"email", "workitem"}, false,
                    std::make_pair(940, "I6"), 3),
            (V{"I5", "I4", "I3"}));
  EXPECT_EQ(PageIds(store(), {"chat"}, false, std::nullopt, 0), V{});
}

TEST_P(WorkbinStoreTest, ItemCountsFollowEveryChange) {
  PutPageItems(store());
  using M = std::map<std::string, int64_t>;
  EXPECT_EQ(Counts(store(), "w1"), (M{{"email", 5}, {"workitem", 5}}));
  EXPECT_EQ(Counts(store(), "w2"), (M{{"workitem", 1}}));
  // Pulled (out of the workbin), moved to another workbin, deleted with
  // its contact center: the counts follow in the same transaction.
  ASSERT_TRUE(store()
                  .Write([](WriteTx& tx) -> Status {
                    WB_ASSIGN_OR_RETURN(auto i0, tx.GetInteraction("I0"));
                    InteractionRecord pulled = *i0;
                    pulled.state = "Processing";
                    pulled.workbin_id.reset();
                    pulled.owner_id = "u1";
                    WB_RETURN_IF_ERROR(tx.UpdateInteraction(pulled, *i0));
                    WB_ASSIGN_OR_RETURN(auto i1, tx.GetInteraction("I1"));
                    InteractionRecord moved = *i1;
                    moved.workbin_id = "w2";
                    return tx.UpdateInteraction(moved, *i1);
                  })
                  .ok());
  EXPECT_EQ(Counts(store(), "w1"), (M{{"email", 4}, {"workitem", 4}}));
  EXPECT_EQ(Counts(store(), "w2"), (M{{"email", 1}, {"workitem", 1}}));
  // A failed write changes no count.
  EXPECT_FALSE(store()
                   .Write([](WriteTx& tx) -> Status {
                     WB_ASSIGN_OR_RETURN(auto i2, tx.GetInteraction("I2"));
                     InteractionRecord pulled = *i2;
                     pulled.state = "Processing";
                     pulled.workbin_id.reset();
                     WB_RETURN_IF_ERROR(tx.UpdateInteraction(pulled, *i2));
                     return InvalidArgument("caller fails");
                   })
                   .ok());
  EXPECT_EQ(Counts(store(), "w1"), (M{{"email", 4}, {"workitem", 4}}));
  Reopen();
  EXPECT_EQ(Counts(store(), "w2"), (M{{"email", 1}, {"workitem", 1}}));
}

TEST_P(WorkbinStoreTest, ServerSecretIsStableAndRandom) {
  std::string a, b;
  ASSERT_TRUE(store()
                  .Read([&](ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(a, tx.GetServerSecret("cursor"));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_GE(a.size(), 32u);
  Reopen();
  ASSERT_TRUE(store()
                  .Read([&](ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(b, tx.GetServerSecret("cursor"));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(a, b);
  Status unknown = store().Read(
      [&](ReadTx& tx) { return tx.GetServerSecret("nope").status(); });
  EXPECT_EQ(unknown.code(), Code::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkbinStoreTest,
                         ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace workbind::storage::testing
