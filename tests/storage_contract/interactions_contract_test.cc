// Storage contract for interactions, their history, routing cool-downs and
// contact profiles: what every backend must do, whatever its engine.
#include "backend_fixture.h"

namespace workbind::storage::testing {
namespace {

class InteractionStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store()
                    .Write([](WriteTx& tx) {
                      for (const char* id : {"cc-1", "cc-2"}) {
                        ContactCenterRecord c;
                        c.id = id;
                        c.name = id;
                        c.display_name = id;
                        WB_RETURN_IF_ERROR(tx.PutContactCenter(c));
                      }
                      return Status::Ok();
                    })
                    .ok());
  }

  static InteractionRecord Item(const std::string& id,
                                const std::string& cc = "cc-1") {
    InteractionRecord r;
    r.id = id;
    r.contact_center_id = cc;
    r.media_type = "email";
    r.state = "Queued";
    r.working_state = "Processing";
    r.direction = "Inbound";
    r.queue_id = "q1";
    r.received_ms = 100;
    r.queued_ms = 100;
    r.user_data = R"({"InteractionId":")" + id + R"(","b":1,"a":"x"})";
    return r;
  }

  Status Put(const InteractionRecord& r) {
    return store().Write([&](WriteTx& tx) { return tx.InsertInteraction(r); });
  }

  std::optional<InteractionRecord> Load(const std::string& id) {
    std::optional<InteractionRecord> r;
    EXPECT_TRUE(store()
                    .Read([&](ReadTx& tx) {
                      WB_ASSIGN_OR_RETURN(r, tx.GetInteraction(id));
                      return Status::Ok();
                    })
                    .ok());
    return r;
  }

  template <typename T, typename F>
  T ReadValue(F f) {
    T out{};
    EXPECT_TRUE(store()
                    .Read([&](ReadTx& tx) {
                      WB_ASSIGN_OR_RETURN(out, f(tx));
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }

  std::vector<std::string> Ids(const std::vector<InteractionRecord>& v) {
    std::vector<std::string> out;
    for (const auto& r : v) out.push_back(r.id);
    return out;
  }
};

TEST_P(InteractionStoreTest, EveryFieldRoundTripsAndSurvivesReopen) {
  InteractionRecord r = Item("A1");
  r.state = "Invited";
  r.owner_id = "u1";
  r.workbin_id = std::nullopt;
  r.last_owner_id = "u0";
  r.contact_id = "C-1";
  r.parent_id = "P1";
  r.offer_expires_ms = 30'100;
  r.offer_reason = "transfer";
  r.transfer_from_id = "u0";
  r.transfer_reference_id = 17;
  r.workbin_entered_ms = 5;
  r.from = "carol@x";
  r.to = {"a@x", "b@x"};
  r.cc = {"c@x"};
  r.subject = "Order";
  r.body = "Hello \xE2\x82\xAC";
  r.mime = "text/html";
  r.participants = {{"Carol", "Customer", "P-1"}, {"Alice", "Agent", "P-2"}};
  ASSERT_TRUE(Put(r).ok());
  Reopen();
  auto got = Load("A1");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->state, "Invited");
  EXPECT_EQ(got->owner_id, std::optional<std::string>("u1"));
  EXPECT_FALSE(got->workbin_id.has_value());
  EXPECT_EQ(got->last_owner_id.value_or(""), "u0");
  EXPECT_EQ(got->contact_id.value_or(""), "C-1");
  EXPECT_EQ(got->parent_id.value_or(""), "P1");
  EXPECT_EQ(got->offer_expires_ms.value_or(0), 30'100);
  EXPECT_EQ(got->offer_reason, "transfer");
  EXPECT_EQ(got->transfer_from_id.value_or(""), "u0");
  EXPECT_EQ(got->transfer_reference_id, 17);
  EXPECT_EQ(got->workbin_entered_ms, 5);
  EXPECT_EQ(got->user_data, r.user_data);  // key order kept
  EXPECT_EQ(got->to, r.to);
  EXPECT_EQ(got->cc, r.cc);
  EXPECT_TRUE(got->bcc.empty());
  EXPECT_EQ(got->body, r.body);
  EXPECT_EQ(got->mime, "text/html");
  ASSERT_EQ(got->participants.size(), 2u);
  EXPECT_EQ(got->participants[1].nickname, "Alice");
  EXPECT_EQ(got->participants[1].participant_id, "P-2");
  EXPECT_FALSE(Load("NOPE").has_value());
}

TEST_P(InteractionStoreTest, DuplicateIdIsAlreadyExists) {
  ASSERT_TRUE(Put(Item("A1")).ok());
  EXPECT_EQ(Put(Item("A1", "cc-2")).code(), Code::kAlreadyExists);
}

TEST_P(InteractionStoreTest, UpdateIsConditionalOnTheLocation) {
  ASSERT_TRUE(Put(Item("A1")).ok());
  InteractionRecord queued = Item("A1");
  InteractionRecord offered = queued;
  offered.state = "Invited";
  offered.owner_id = "u1";
  ASSERT_TRUE(store()
                  .Write([&](WriteTx& tx) {
                    return tx.UpdateInteraction(offered, queued);
                  })
                  .ok());
  // A second request that still believes it is queued loses.
  InteractionRecord other = queued;
  other.state = "Invited";
  other.owner_id = "u2";
  EXPECT_EQ(store()
                .Write([&](WriteTx& tx) {
                  return tx.UpdateInteraction(other, queued);
                })
                .code(),
            Code::kInUse);
  EXPECT_EQ(Load("A1")->owner_id.value_or(""), "u1");
  // A user-data change where the location did not move applies.
  InteractionRecord data = offered;
  data.user_data = R"({"x":1})";
  EXPECT_TRUE(store()
                  .Write([&](WriteTx& tx) {
                    return tx.UpdateInteraction(data, offered);
                  })
                  .ok());
  EXPECT_EQ(Load("A1")->user_data, R"({"x":1})");
  InteractionRecord missing = Item("ZZ");
  EXPECT_EQ(store()
                .Write([&](WriteTx& tx) {
                  return tx.UpdateInteraction(missing, missing);
                })
                .code(),
            Code::kNotFound);
}

TEST_P(InteractionStoreTest, ListsAreOrderedAndScoped) {
  auto a = Item("B2");
  a.queued_ms = 50;
  auto b = Item("A9");
  b.queued_ms = 50;
  auto c = Item("A1");
  c.queued_ms = 70;
  auto other_cc = Item("C1", "cc-2");
  other_cc.queue_id = "q2";
  auto owned1 = Item("O2");
  owned1.state = "Processing";
  owned1.owner_id = "u1";
  owned1.received_ms = 10;
  auto owned2 = Item("O1");
  owned2.state = "Invited";
  owned2.owner_id = "u1";
  owned2.received_ms = 10;
  auto owned3 = Item("O0");
  owned3.state = "Chatting";
  owned3.owner_id = "u1";
  owned3.received_ms = 20;
  auto done = Item("D1");
  done.state = "Completed";
  done.queue_id = "q1";
  for (const auto& r : {a, b, c, other_cc, owned1, owned2, owned3, done})
    ASSERT_TRUE(Put(r).ok());
  EXPECT_EQ(Ids(ReadValue<std::vector<InteractionRecord>>(
                [](ReadTx& tx) { return tx.ListQueuedInteractions("cc-1"); })),
            (std::vector<std::string>{"A9", "B2", "A1"}));
  EXPECT_EQ(Ids(ReadValue<std::vector<InteractionRecord>>(
                [](ReadTx& tx) { return tx.ListInteractionsOfOwner("u1"); })),
            (std::vector<std::string>{"O1", "O2", "O0"}));
  EXPECT_EQ(Ids(ReadValue<std::vector<InteractionRecord>>([](ReadTx& tx) {
              return tx.ListAssignedInteractions("cc-1");
            })),
            (std::vector<std::string>{"O0", "O1", "O2"}));
  EXPECT_EQ(ReadValue<int64_t>([](ReadTx& tx) { return tx.CountQueued("q1"); }),
            3);
  EXPECT_EQ(ReadValue<int64_t>(
                [](ReadTx& tx) { return tx.CountInteractionsOwnedBy("u1"); }),
            2);
  EXPECT_EQ(ReadValue<int64_t>([](ReadTx& tx) {
              return tx.CountOpenInteractionsOfQueue("q1");
            }),
            6);
  EXPECT_EQ(ReadValue<int64_t>([](ReadTx& tx) {
              return tx.CountOpenInteractions("cc-1", "");
            }),
            6);
  EXPECT_EQ(ReadValue<int64_t>([](ReadTx& tx) {
              return tx.CountOpenInteractions("cc-1", "chat");
            }),
            0);
  EXPECT_EQ(ReadValue<int64_t>(
                [](ReadTx& tx) { return tx.CountInteractionsInWorkbin("w1"); }),
            0);
}

TEST_P(InteractionStoreTest, HistoryAppendsInOrderPerInteraction) {
  ASSERT_TRUE(Put(Item("A1")).ok());
  ASSERT_TRUE(Put(Item("A2")).ok());
  std::vector<int64_t> seqs;
  ASSERT_TRUE(store()
                  .Write([&](WriteTx& tx) {
                    for (const char* id : {"A1", "A1", "A2", "A1"}) {
                      HistoryEventRecord e;
                      e.interaction_id = id;
                      e.at_ms = 42;
                      e.event = "Offered";
                      e.state = "Invited";
                      e.owner_id = "u1";
                      e.from_queue = "q";
                      e.details = R"({"reason":"routing"})";
                      WB_ASSIGN_OR_RETURN(int64_t seq,
                                          tx.AppendInteractionHistory(e));
                      seqs.push_back(seq);
                    }
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(seqs, (std::vector<int64_t>{1, 2, 1, 3}));
  Reopen();
  auto h = ReadValue<std::vector<HistoryEventRecord>>(
      [](ReadTx& tx) { return tx.ListInteractionHistory("A1"); });
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[2].seq, 3);
  EXPECT_EQ(h[0].owner_id, "u1");
  EXPECT_EQ(h[0].from_queue, "q");
  EXPECT_EQ(h[0].to_queue, "");
  EXPECT_EQ(h[0].user_id, "");
  EXPECT_EQ(h[0].reference_id, 0);
  EXPECT_EQ(h[0].details, R"({"reason":"routing"})");
}

TEST_P(InteractionStoreTest, CooldownsEndAndAreReplaced) {
  ASSERT_TRUE(
      store()
          .Write([](WriteTx& tx) {
            WB_RETURN_IF_ERROR(tx.PutCooldown({"cc-1", "A1", "u1", 100}));
            WB_RETURN_IF_ERROR(tx.PutCooldown({"cc-1", "A1", "u2", 300}));
            WB_RETURN_IF_ERROR(tx.PutCooldown({"cc-2", "B1", "u9", 300}));
            return tx.PutCooldown({"cc-1", "A1", "u1", 200});  // replaces
          })
          .ok());
  auto running = ReadValue<std::vector<CooldownRecord>>(
      [](ReadTx& tx) { return tx.ListCooldowns("cc-1", 150); });
  ASSERT_EQ(running.size(), 2u);
  EXPECT_EQ(running[0].user_id, "u1");
  EXPECT_EQ(running[0].until_ms, 200);
  ASSERT_TRUE(store()
                  .Write([](WriteTx& tx) {
                    return tx.DeleteEndedCooldowns("cc-1", 200);
                  })
                  .ok());
  running = ReadValue<std::vector<CooldownRecord>>(
      [](ReadTx& tx) { return tx.ListCooldowns("cc-1", 0); });
  ASSERT_EQ(running.size(), 1u);
  EXPECT_EQ(running[0].user_id, "u2");
}

TEST_P(InteractionStoreTest, ContactsAreScopedByContactCenter) {
  ASSERT_TRUE(
      store()
          .Write([](WriteTx& tx) {
            WB_RETURN_IF_ERROR(tx.PutContact(
                {"cc-1", "C-1", std::nullopt, std::nullopt, 0, std::nullopt}));
            return tx.PutContact({"cc-1", "C-1", std::string("u1"),
                                  std::string("alice"), 77,
                                  std::string("chat")});
          })
          .ok());
  Reopen();
  auto c = ReadValue<std::optional<ContactRecord>>(
      [](ReadTx& tx) { return tx.GetContact("cc-1", "C-1"); });
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->last_agent_user_name.value_or(""), "alice");
  EXPECT_EQ(c->last_agent_at_ms, 77);
  EXPECT_EQ(c->last_media_type.value_or(""), "chat");
  EXPECT_FALSE((ReadValue<std::optional<ContactRecord>>([](ReadTx& tx) {
                 return tx.GetContact("cc-2", "C-1");
               })).has_value());
}

TEST_P(InteractionStoreTest, FailedWriteKeepsNothing) {
  Status st = store().Write([](WriteTx& tx) {
    WB_RETURN_IF_ERROR(tx.InsertInteraction(Item("A1")));
    HistoryEventRecord e;
    e.interaction_id = "A1";
    e.event = "Submitted";
    e.state = "Queued";
    WB_RETURN_IF_ERROR(tx.AppendInteractionHistory(e).status());
    WB_RETURN_IF_ERROR(tx.PutContact(
        {"cc-1", "C-1", std::nullopt, std::nullopt, 0, std::nullopt}));
    return InvalidState("refused after the changes");
  });
  EXPECT_EQ(st.code(), Code::kInvalidState);
  EXPECT_FALSE(Load("A1").has_value());
  EXPECT_TRUE(ReadValue<std::vector<HistoryEventRecord>>([](ReadTx& tx) {
                return tx.ListInteractionHistory("A1");
              }).empty());
  EXPECT_FALSE((ReadValue<std::optional<ContactRecord>>([](ReadTx& tx) {
                 return tx.GetContact("cc-1", "C-1");
               })).has_value());
}

TEST_P(InteractionStoreTest, DeletingAContactCenterRemovesItsInteractions) {
  ASSERT_TRUE(Put(Item("A1")).ok());
  ASSERT_TRUE(Put(Item("B1", "cc-2")).ok());
  ASSERT_TRUE(
      store()
          .Write([](WriteTx& tx) {
            HistoryEventRecord e;
            e.interaction_id = "A1";
            e.event = "Submitted";
            e.state = "Queued";
            WB_RETURN_IF_ERROR(tx.AppendInteractionHistory(e).status());
            WB_RETURN_IF_ERROR(tx.PutContact(
                {"cc-1", "C-1", std::nullopt, std::nullopt, 0, std::nullopt}));
            WB_RETURN_IF_ERROR(tx.PutCooldown({"cc-1", "A1", "u1", 1000}));
            return tx.DeleteContactCenter("cc-1");
          })
          .ok());
  EXPECT_FALSE(Load("A1").has_value());
  EXPECT_TRUE(Load("B1").has_value());
  EXPECT_TRUE(ReadValue<std::vector<HistoryEventRecord>>([](ReadTx& tx) {
                return tx.ListInteractionHistory("A1");
              }).empty());
  EXPECT_TRUE(ReadValue<std::vector<CooldownRecord>>([](ReadTx& tx) {
                return tx.ListCooldowns("cc-1", 0);
              }).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, InteractionStoreTest,
                         ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace workbind::storage::testing
