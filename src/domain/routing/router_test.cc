// The Router over a real store with a fake clock: offers, timeouts and
// re-offers, cool-downs, NotReady and logout with an open offer, last agent
// routing with saveLAR, offers that expired while the server was down, and
// passes left to the holder of the routing lease.
#include "domain/routing/router.h"

#include "domain/testing/interaction_test_env.h"

namespace workbind::domain::testing {
namespace {

using Op = InteractionOp;

class RouterTest : public InteractionEnv {
 protected:
  void Pass() { ASSERT_TRUE(router_->RunPass(kCc).ok()); }
  std::string OwnerOf(const std::string& id) {
    return Get(id).owner_id.value_or("");
  }
};

TEST_F(RouterTest, SubmitIsOfferedToTheLongestIdleReadyAgent) {
  Login(alice(), {"workitem"});
  clock_.now += 1000;
  Login(bob(), {"workitem"});
  const std::string id = Submit("workitem");
  sink_.Take();
  Pass();
  EXPECT_EQ(OwnerOf(id), kAlice);
  EXPECT_EQ(Get(id).state, "Invited");
  auto sent = For(sink_.Take(), kAlice, "workitems");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].reference_id, 0);
  EXPECT_EQ(StateIn(sent[0], "workitem"), "Invited");
  EXPECT_EQ(sent[0].data.at("workitem").at("offerExpiresAt"),
            "2024-05-14T09:30:43.000Z");  // now + 30 s
  // A second one goes to bob: alice has an open offer (and capacity 1).
  const std::string second = Submit("workitem");
  Pass();
  EXPECT_EQ(OwnerOf(second), kBob);
  // A third waits.
  const std::string third = Submit("workitem");
  Pass();
  EXPECT_EQ(Get(third).state, "Queued");
  EXPECT_EQ(Waiting(kQueueId), 1);  // the offered ones do not count
}

TEST_F(RouterTest, TimeoutReoffersToAnotherAgent) {
  Login(alice(), {"workitem"});
  clock_.now += 10;
  Login(bob(), {"workitem"});
  const std::string id = Submit("workitem");
  Pass();
  ASSERT_EQ(OwnerOf(id), kAlice);
  sink_.Take();
  clock_.now += 29'999;
  Pass();
  EXPECT_EQ(OwnerOf(id), kAlice);  // not yet
  clock_.now += 1;
  Pass();
  EXPECT_EQ(OwnerOf(id), kBob);
  auto sent = sink_.Take();
  auto to_alice = For(sent, kAlice, "workitems");
  ASSERT_EQ(to_alice.size(), 1u);
  EXPECT_EQ(StateIn(to_alice[0], "workitem"), "Revoked");
  ASSERT_EQ(For(sent, kBob, "workitems").size(), 1u);
  std::vector<std::string> events;
  for (const auto& e : History(id)) events.push_back(e.event);
  EXPECT_EQ(events, (std::vector<std::string>{"Submitted", "Offered",
                                              "OfferTimedOut", "Offered"}));
}

TEST_F(RouterTest, AnExpiredOfferCannotBeAccepted) {
  Login(alice(), {"workitem"});
  const std::string id = Submit("workitem");
  Pass();
  ASSERT_EQ(OwnerOf(id), kAlice);
  clock_.now += 30'000;
  EXPECT_EQ(Do(alice(), id, Op::kAccept).status().code(), Code::kInvalidState);
  EXPECT_EQ(Get(id).state, "Invited");  // until the router's pass
  Pass();
  EXPECT_EQ(Get(id).state, "Queued");
}

TEST_F(RouterTest, RejectCoolsDownTheAgent) {
  Login(alice(), {"workitem"});
  const std::string id = Submit("workitem");
  Pass();
  ASSERT_EQ(OwnerOf(id), kAlice);
  ASSERT_TRUE(Do(alice(), id, Op::kReject).ok());
  Pass();
  EXPECT_EQ(Get(id).state, "Queued");  // alice cools down, nobody else ready
  clock_.now += 59'999;
  Pass();
  EXPECT_EQ(Get(id).state, "Queued");
  clock_.now += 1;
  Pass();
  EXPECT_EQ(OwnerOf(id), kAlice);
}

TEST_F(RouterTest, NotReadyKeepsTheOpenOffer) {
  Login(alice(), {"workitem"});
  const std::string id = Submit("workitem");
  Pass();
  ASSERT_EQ(OwnerOf(id), kAlice);
  SetReady(alice(), "workitem", false);
  Pass();
  EXPECT_EQ(Get(id).state, "Invited");
  const std::string next = Submit("workitem");
  Pass();
  EXPECT_EQ(Get(next).state, "Queued");  // no new offer while NotReady
  EXPECT_TRUE(Do(alice(), id, Op::kAccept).ok());
  EXPECT_EQ(Get(id).state, "Processing");
}

TEST_F(RouterTest, LogoutRevokesOffersWithoutCooldown) {
  Login(alice(), {"workitem"});
  const std::string id = Submit("workitem");
  Pass();
  ASSERT_EQ(OwnerOf(id), kAlice);
  sink_.Take();
  ASSERT_TRUE(agents_->End(kCc, kAlice).ok());
  EXPECT_EQ(Get(id).state, "Queued");
  auto to_alice = For(sink_.Take(), kAlice, "workitems");
  ASSERT_EQ(to_alice.size(), 1u);
  EXPECT_EQ(StateIn(to_alice[0], "workitem"), "Revoked");
  EXPECT_EQ(History(id).back().event, "OfferRevoked");
  Login(alice(), {"workitem"});
  Pass();
  EXPECT_EQ(OwnerOf(id), kAlice);  // no cool-down after a logout
}

TEST_F(RouterTest, CapacityCountsWorkingAndOfferedInteractions) {
  Login(alice(), {"chat"});
  const std::string c1 = Submit("chat");
  clock_.now += 1;  // ids of one millisecond are in random order
  const std::string c2 = Submit("chat");
  clock_.now += 1;
  const std::string c3 = Submit("chat");
  Pass();
  EXPECT_EQ(OwnerOf(c1), kAlice);
  EXPECT_EQ(Get(c2).state, "Queued");  // one open offer per channel
  ASSERT_TRUE(Do(alice(), c1, Op::kAccept).ok());
  Pass();
  EXPECT_EQ(OwnerOf(c2), kAlice);
  ASSERT_TRUE(Do(alice(), c2, Op::kAccept).ok());
  Pass();
  EXPECT_EQ(Get(c3).state, "Queued");  // capacity 2 reached
  ASSERT_TRUE(Do(alice(), c1, Op::kComplete).ok());
  Pass();
  EXPECT_EQ(OwnerOf(c3), kAlice);
  const auto chat = Get(c2);
  ASSERT_EQ(chat.participants.size(), 2u);
  EXPECT_EQ(chat.participants[0].type, "Customer");
  EXPECT_EQ(chat.participants[0].nickname, "Customer");
  EXPECT_EQ(chat.participants[1].type, "Agent");
  EXPECT_EQ(chat.participants[1].nickname, "alice");
}

TEST_F(RouterTest, SaveLarMakesTheLastAgentPreferred) {
  Login(alice(), {"workitem"});
  Login(bob(), {"workitem"}, false);
  const std::string first = Submit("workitem", kQueueId, "C-9");
  Pass();
  ASSERT_EQ(OwnerOf(first), kAlice);
  OperationRequest lar;
  lar.save_lar = true;
  ASSERT_TRUE(Do(alice(), first, Op::kAccept, lar).ok());
  ASSERT_TRUE(Do(alice(), first, Op::kComplete).ok());
  auto contact =
      ContactService(store_.get(), "http://h/api/v2").Get(bob(), "C-9");
  ASSERT_TRUE(contact.ok());
  EXPECT_EQ(contact->at("lastAgentId"), kAlice);
  EXPECT_EQ(contact->at("lastAgentUserName"), "alice");
  EXPECT_EQ(contact->at("lastMediaType"), "workitem");
  EXPECT_EQ(contact->at("lastAgentAt"), "2024-05-14T09:30:12.000Z");
  // bob has been idle longer, but alice is the contact's last agent.
  SetReady(bob(), "workitem", true);
  clock_.now += 5000;
  SetReady(alice(), "workitem", false);
  SetReady(alice(), "workitem", true);
  const std::string second = Submit("workitem", kQueueId, "C-9");
  Pass();
  EXPECT_EQ(OwnerOf(second), kAlice);
  bool last_agent = false;
  for (const auto& e : History(second))
    last_agent |=
        e.event == "Offered" && e.details == R"({"reason":"lastAgent"})";
  EXPECT_TRUE(last_agent);
}

TEST_F(RouterTest, LastAgentWaitSeconds) {
  ASSERT_TRUE(store_
                  ->Write([](storage::WriteTx& tx) {
                    WB_ASSIGN_OR_RETURN(auto cc, tx.GetContactCenter(kCc));
                    cc->last_agent_wait_seconds = 20;
                    return tx.PutContactCenter(*cc);
                  })
                  .ok());
  ASSERT_TRUE(store_
                  ->Write([](storage::WriteTx& tx) {
                    return tx.PutContact({kCc, "C-7", std::string(kBob),
                                          std::string("bob"), 1,
                                          std::string("workitem")});
                  })
                  .ok());
  Login(alice(), {"workitem"});
  Login(bob(), {"workitem"}, false);
  const std::string id = Submit("workitem", kQueueId, "C-7");
  Pass();
  EXPECT_EQ(Get(id).state, "Queued");  // waiting for bob
  clock_.now += 19'999;
  Pass();
  EXPECT_EQ(Get(id).state, "Queued");
  clock_.now += 1;
  Pass();
  EXPECT_EQ(OwnerOf(id), kAlice);
}

TEST_F(RouterTest, OffersExpiredDuringDowntimeAreHandledAtOnce) {
  Login(alice(), {"workitem"});
  clock_.now += 10;
  Login(bob(), {"workitem"});
  const std::string id = Submit("workitem");
  Pass();
  ASSERT_EQ(OwnerOf(id), kAlice);
  Restart();
  clock_.now += 60'000;
  router_->RunDue();  // the first call looks at every contact center
  EXPECT_EQ(OwnerOf(id), kBob);
}

TEST_F(RouterTest, RunDueRunsTriggeredContactCenters) {
  router_->RunDue();
  Login(alice(), {"workitem"});
  const std::string id = Submit("workitem");  // triggers
  router_->RunDue();
  EXPECT_EQ(OwnerOf(id), kAlice);
}

// Regression: a pass that made an offer must come back by itself at the
// offer's deadline, without any trigger.
TEST_F(RouterTest, RunDueComesBackAtTheOfferDeadline) {
  Login(alice(), {"workitem"});
  clock_.now += 10;
  Login(bob(), {"workitem"});
  const std::string id = Submit("workitem");
  router_->RunDue();
  ASSERT_EQ(OwnerOf(id), kAlice);
  router_->RunDue();  // nothing due
  clock_.now += 29'999;
  router_->RunDue();
  EXPECT_EQ(OwnerOf(id), kAlice);
  clock_.now += 1;
  router_->RunDue();
  EXPECT_EQ(OwnerOf(id), kBob);
}

// Leases held by another node, then taken over by this one.
class FakeLeases final : public storage::RoutingLeases {
 public:
  bool Held(const std::string&) override { return held; }
  void WakeHolder(const std::string& cc) override { wakes.push_back(cc); }
  int held_count() const override { return held ? 1 : 0; }
  void Start() override {}
  void Stop() override {}
  bool held = false;
  std::vector<std::string> wakes;
};

TEST_F(RouterTest, WithoutTheLeaseRunDueWakesTheHolderAndRoutesNothing) {
  FakeLeases leases;
  router_->UseLeases(&leases);
  Login(alice(), {"workitem"});
  const std::string id = Submit("workitem");  // a local trigger
  router_->RunDue();
  EXPECT_EQ(Get(id).state, "Queued");
  EXPECT_EQ(leases.wakes, std::vector<std::string>{kCc});
  // A trigger from another node is not sent back.
  leases.wakes.clear();
  router_->TriggerFromOtherNode(kCc);
  router_->RunDue();
  EXPECT_TRUE(leases.wakes.empty());
  EXPECT_EQ(Get(id).state, "Queued");
  // Taking the lease over (LeaseEvents::gained triggers): routed at once.
  leases.held = true;
  router_->Trigger(kCc);
  router_->RunDue();
  EXPECT_EQ(OwnerOf(id), kAlice);
  EXPECT_TRUE(leases.wakes.empty());
}

}  // namespace
}  // namespace workbind::domain::testing
