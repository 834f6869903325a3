// DecideRouting with hand-made snapshots: the clock is the snapshot's
// now_ms, so every routing rule is checked without
// threads or storage.
#include "domain/routing/routing_decision.h"

#include <gtest/gtest.h>

namespace workbind::domain {
namespace {

constexpr int64_t kNow = 1'000'000;
constexpr const char* kQueue = "q1";

RoutingAgent Agent(const std::string& id, bool ready, int64_t idle_since,
                   const std::string& media = "workitem") {
  RoutingAgent a;
  a.user_id = id;
  a.user_name = id;  // names sort like ids in these tests
  a.channels.push_back({media, ready, idle_since});
  return a;
}

RoutingItem Queued(const std::string& id, int64_t queued_ms,
                   const std::string& media = "workitem") {
  RoutingItem i;
  i.id = id;
  i.media_type = media;
  i.queue_id = kQueue;
  i.queued_ms = queued_ms;
  return i;
}

RoutingItem Held(const std::string& id, const std::string& owner, bool invited,
                 int64_t expires = kNow + 30'000,
                 const std::string& media = "workitem") {
  RoutingItem i = Queued(id, 0, media);
  i.owner_id = owner;
  i.invited = invited;
  i.offer_expires_ms = expires;
  return i;
}

RoutingSnapshot Base() {
  RoutingSnapshot s;
  s.now_ms = kNow;
  s.offer_timeout_seconds = 30;
  s.decline_cooldown_seconds = 60;
  s.capacity = {{"workitem", 1}, {"chat", 2}};
  s.queue_members[kQueue] = {"alice", "bob"};
  return s;
}

TEST(Routing, OffersToTheLongestIdleReadyMember) {
  RoutingSnapshot s = Base();
  s.agents = {Agent("alice", true, kNow - 10), Agent("bob", true, kNow - 500)};
  s.queued = {Queued("I1", kNow - 1)};
  RoutingDecision d = DecideRouting(s);
  ASSERT_EQ(d.offers.size(), 1u);
  EXPECT_EQ(d.offers[0].user_id, "bob");
  EXPECT_EQ(d.offers[0].reason, "routing");
  EXPECT_EQ(d.still_waiting, 0u);
  EXPECT_EQ(d.next_wake_ms, kNow + 30'000);  // the new offer's deadline
}

TEST(Routing, IdleTiesGoByUserName) {
  RoutingSnapshot s = Base();
  s.agents = {Agent("bob", true, 5), Agent("alice", true, 5)};
  s.queued = {Queued("I1", 1)};
  EXPECT_EQ(DecideRouting(s).offers.at(0).user_id, "alice");
}

TEST(Routing, OldestQueuedFirstAndOneOfferPerChannel) {
  RoutingSnapshot s = Base();
  s.agents = {Agent("alice", true, 1), Agent("bob", true, 2)};
  s.queued = {Queued("I2", 20), Queued("I1", 10), Queued("I0", 20)};
  RoutingDecision d = DecideRouting(s);
  ASSERT_EQ(d.offers.size(), 2u);
  EXPECT_EQ(d.offers[0].interaction_id, "I1");
  EXPECT_EQ(d.offers[0].user_id, "alice");
  EXPECT_EQ(d.offers[1].interaction_id, "I0");  // same queuedAt: by id
  EXPECT_EQ(d.offers[1].user_id, "bob");
  EXPECT_EQ(d.still_waiting, 1u);
}

TEST(Routing, NeverOverCapacityNorTwoOffersOnAChannel) {
  RoutingSnapshot s = Base();
  s.queue_members[kQueue] = {"alice"};
  s.agents = {Agent("alice", true, 1, "chat")};
  // Capacity 2 for chat, one chat owned: one more offer, then no second
  // offer while the first is open.
  s.assigned = {Held("C0", "alice", false, 0, "chat")};
  s.queued = {Queued("C1", 5, "chat"), Queued("C2", 6, "chat")};
  RoutingDecision d = DecideRouting(s);
  ASSERT_EQ(d.offers.size(), 1u);
  EXPECT_EQ(d.offers[0].interaction_id, "C1");

  s.assigned.push_back(Held("C1", "alice", false, 0, "chat"));
  s.queued = {Queued("C2", 6, "chat")};
  EXPECT_TRUE(DecideRouting(s).offers.empty());  // 2 of 2

  // The user's own capacity override wins over the contact center's.
  s.agents[0].capacity = {{"chat", 3}};
  EXPECT_EQ(DecideRouting(s).offers.size(), 1u);
}

TEST(Routing, MediaWithoutCapacitySettingHasCapacityOne) {
  RoutingSnapshot s = Base();
  s.queue_members[kQueue] = {"alice"};
  s.agents = {Agent("alice", true, 1, "tweet")};
  s.assigned = {Held("T0", "alice", false, 0, "tweet")};
  s.queued = {Queued("T1", 5, "tweet")};
  EXPECT_TRUE(DecideRouting(s).offers.empty());
}

TEST(Routing, OnlyReadyMembersOfTheQueueGroup) {
  RoutingSnapshot s = Base();
  s.queue_members[kQueue] = {"alice"};
  s.agents = {Agent("alice", false, 1), Agent("carol", true, 1)};
  s.queued = {Queued("I1", 5)};
  RoutingDecision d = DecideRouting(s);
  EXPECT_TRUE(d.offers.empty());
  EXPECT_EQ(d.still_waiting, 1u);
}

TEST(Routing, NotReadyKeepsTheOpenOfferButGetsNoNewOne) {
  RoutingSnapshot s = Base();
  s.capacity["workitem"] = 5;
  s.queue_members[kQueue] = {"alice"};
  s.agents = {Agent("alice", false, 1)};
  s.assigned = {Held("I0", "alice", true, kNow + 5000)};
  s.queued = {Queued("I1", 5)};
  RoutingDecision d = DecideRouting(s);
  EXPECT_TRUE(d.timed_out.empty());
  EXPECT_TRUE(d.offers.empty());
  EXPECT_EQ(d.next_wake_ms, kNow + 5000);  // the offer's deadline
}

TEST(Routing, TimedOutOfferGoesToAnotherAgent) {
  RoutingSnapshot s = Base();
  s.agents = {Agent("alice", true, 1), Agent("bob", true, 50)};
  RoutingItem offered = Held("I1", "alice", true, kNow);  // deadline reached
  offered.queued_ms = 7;
  s.assigned = {offered};
  RoutingDecision d = DecideRouting(s);
  ASSERT_EQ(d.timed_out, std::vector<std::string>{"I1"});
  ASSERT_EQ(d.offers.size(), 1u);
  EXPECT_EQ(d.offers[0].interaction_id, "I1");
  EXPECT_EQ(d.offers[0].user_id, "bob");  // alice cools down for I1
}

TEST(Routing, TimedOutOfferWaitsWhenNobodyElseIsEligible) {
  RoutingSnapshot s = Base();
  s.queue_members[kQueue] = {"alice"};
  s.agents = {Agent("alice", true, 1)};
  s.assigned = {Held("I1", "alice", true, kNow - 1)};
  RoutingDecision d = DecideRouting(s);
  EXPECT_EQ(d.timed_out.size(), 1u);
  EXPECT_TRUE(d.offers.empty());
  EXPECT_EQ(d.still_waiting, 1u);
  EXPECT_EQ(d.next_wake_ms, kNow + 60'000);  // end of the cool-down
}

TEST(Routing, DeclineCooldownSkipsTheAgentUntilItEnds) {
  RoutingSnapshot s = Base();
  s.queue_members[kQueue] = {"alice", "bob"};
  s.agents = {Agent("alice", true, 1), Agent("bob", false, 1)};
  s.queued = {Queued("I1", 5)};
  s.cooldowns = {{"I1", "alice", kNow + 20'000}};
  RoutingDecision d = DecideRouting(s);
  EXPECT_TRUE(d.offers.empty());
  EXPECT_EQ(d.next_wake_ms, kNow + 20'000);
  // Another interaction is not affected by alice's cool-down for I1.
  s.queued.push_back(Queued("I2", 6));
  d = DecideRouting(s);
  ASSERT_EQ(d.offers.size(), 1u);
  EXPECT_EQ(d.offers[0].interaction_id, "I2");
  // Once the cool-down has ended, alice may get I1 again.
  s.queued = {Queued("I1", 5)};
  s.now_ms = kNow + 20'000;
  EXPECT_EQ(DecideRouting(s).offers.size(), 1u);
}

TEST(Routing, LastAgentIsPreferredEvenOutsideTheGroup) {
  RoutingSnapshot s = Base();
  s.agents = {Agent("alice", true, 1), Agent("bob", true, 900),
              Agent("zoe", true, 950)};
  RoutingItem item = Queued("I1", 5);
  item.last_agent_id = "bob";
  s.queued = {item};
  RoutingDecision d = DecideRouting(s);
  EXPECT_EQ(d.offers.at(0).user_id, "bob");
  EXPECT_EQ(d.offers.at(0).reason, "lastAgent");
  s.queued[0].last_agent_id = "zoe";  // not a member of the group
  d = DecideRouting(s);
  EXPECT_EQ(d.offers.at(0).user_id, "zoe");
  EXPECT_EQ(d.offers.at(0).reason, "lastAgent");
}

TEST(Routing, UnavailableLastAgentRoutesNormallyWithoutWait) {
  RoutingSnapshot s = Base();
  s.agents = {Agent("alice", true, 1), Agent("bob", false, 900)};
  RoutingItem item = Queued("I1", kNow - 10);
  item.last_agent_id = "bob";
  s.queued = {item};
  RoutingDecision d = DecideRouting(s);
  EXPECT_EQ(d.offers.at(0).user_id, "alice");
  EXPECT_EQ(d.offers.at(0).reason, "routing");
}

TEST(Routing, LastAgentWaitHoldsTheInteractionThenRoutesNormally) {
  RoutingSnapshot s = Base();
  s.last_agent_wait_seconds = 30;
  s.agents = {Agent("alice", true, 1), Agent("bob", false, 900)};
  RoutingItem item = Queued("I1", kNow - 10'000);
  item.last_agent_id = "bob";
  s.queued = {item};
  RoutingDecision d = DecideRouting(s);
  EXPECT_TRUE(d.offers.empty());
  EXPECT_EQ(d.next_wake_ms, kNow + 20'000);  // queuedAt + 30 s
  // bob becomes ready during the wait: he gets it.
  s.agents[1].channels[0].ready = true;
  EXPECT_EQ(DecideRouting(s).offers.at(0).user_id, "bob");
  // The wait is over: routed normally.
  s.agents[1].channels[0].ready = false;
  s.now_ms = kNow + 20'000;
  EXPECT_EQ(DecideRouting(s).offers.at(0).user_id, "alice");
}

TEST(Routing, LastAgentWhoDeclinedCoolsDownAndRoutingContinues) {
  RoutingSnapshot s = Base();
  s.last_agent_wait_seconds = 30;
  s.agents = {Agent("alice", true, 1), Agent("bob", true, 900)};
  RoutingItem item = Queued("I1", kNow - 1);
  item.last_agent_id = "bob";
  s.queued = {item};
  s.cooldowns = {{"I1", "bob", kNow + 60'000}};
  RoutingDecision d = DecideRouting(s);
  EXPECT_EQ(d.offers.at(0).user_id, "alice");
}

TEST(Routing, TimedOutTransferReturnsWithQueuedAtNow) {
  RoutingSnapshot s = Base();
  s.queue_members[kQueue] = {"alice", "bob"};
  s.agents = {Agent("alice", true, 1), Agent("bob", true, 2)};
  RoutingItem transfer = Held("T1", "alice", true, kNow);
  transfer.transfer_offer = true;
  s.assigned = {transfer};
  s.queued = {Queued("I9", kNow - 1)};  // older than "now": offered first
  RoutingDecision d = DecideRouting(s);
  ASSERT_EQ(d.offers.size(), 1u);
  EXPECT_EQ(d.offers[0].interaction_id, "I9");
  EXPECT_EQ(d.offers[0].user_id, "bob");
}

}  // namespace
}  // namespace workbind::domain
