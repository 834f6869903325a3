#include "domain/workbins/workbin_service.h"

#include <gtest/gtest.h>

#include "domain/interactions/interaction_access.h"
#include "domain/testing/workbin_test_env.h"

namespace workbind::domain {
namespace {

// Add, Pull and Move of an interaction the caller may not read: the
// access check comes before the media, state and conflict checks, so a
// stranger gets the reply GET /interactions/{id} gives it (NotVisible),
// whatever the interaction's state, owner or workbin, and nothing changes.
class WorkbinAccessTest : public testing::WorkbinEnv {};

TEST_F(WorkbinAccessTest, StrangersGetTheNotVisibleReply) {
  using testing::kAliceWb;
  using testing::kBobWb;
  using testing::kTeamWb;
  Login(alice(), {"workitem"}, false);
  std::vector<std::pair<std::string, std::string>> cases;
  cases.push_back({"Processing", Create(alice())});
  {
    const std::string id = Create(alice());
    OperationRequest r;
    r.queue_name = "q";
    ASSERT_TRUE(Do(alice(), id, InteractionOp::kPlaceInQueue, r).ok());
    cases.push_back({"Queued", id});
  }
  {
    const std::string id = Create(alice());
    ASSERT_TRUE(AddTo(alice(), kAliceWb, id).ok());
    cases.push_back({"InWorkbin", id});
  }
  {
    const std::string id = Create(alice());
    ASSERT_TRUE(Do(alice(), id, InteractionOp::kComplete).ok());
    cases.push_back({"Completed", id});
  }
  for (const auto& [state, id] : cases) {
    SCOPED_TRACE(state);
    const auto before = Get(id);
    ASSERT_EQ(before.state, state);
    const size_t events = History(id).size();
    sink_.Take();
    const Status get = interactions_->GetVisible(bob(), "", id, true).status();
    ASSERT_EQ(get.code(), Code::kPermissionDenied);
    EXPECT_EQ(get.message(), NotVisible(id, "bob").message());
    std::vector<Status> replies;
    // AddEmail and PullEmail: the media mismatch is not told either.
    for (const char* op : {"AddWorkitem", "AddInteraction", "AddEmail"}) {
      replies.push_back(AddTo(bob(), kBobWb, id, op));
      replies.push_back(AddTo(bob(), kTeamWb, id, op));
    }
    for (const char* op : {"PullWorkitem", "PullInteraction", "PullEmail"}) {
      replies.push_back(workbins_->Pull(bob(), kBobWb, Item(op, id)).status());
      replies.push_back(workbins_->Pull(bob(), kTeamWb, Item(op, id)).status());
    }
    replies.push_back(
        workbins_->Move(bob(), kBobWb, Item("MoveInteraction", id, kTeamWb))
            .status());
    replies.push_back(
        workbins_->Move(bob(), kTeamWb, Item("MoveInteraction", id, kBobWb))
            .status());
    for (const Status& st : replies) {
      EXPECT_EQ(st.code(), get.code()) << st.message();
      EXPECT_EQ(st.message(), get.message());
    }
    ExpectUntouched(id, before, events);
  }
  // Unknown ids stay not found.
  EXPECT_EQ(AddTo(bob(), kBobWb, "0123456789ABCDEF").code(), Code::kNotFound);
}

TEST_F(WorkbinAccessTest, VisibleInteractionsKeepTheirPreciseErrors) {
  using testing::kAliceWb;
  using testing::kBobWb;
  using testing::kTeamWb;
  // In the team workbin bob sees: already in a workbin (19) with its name.
  const std::string in_team = Create(alice());
  ASSERT_TRUE(AddTo(alice(), kTeamWb, in_team).ok());
  Status st = AddTo(bob(), kBobWb, in_team);
  EXPECT_EQ(st.code(), Code::kInUse);
  EXPECT_EQ(st.message(),
            "Interaction " + in_team + " is already in workbin 'backlog'");
  EXPECT_EQ(AddTo(bob(), kBobWb, in_team, "AddEmail").code(),
            Code::kInvalidState);
  // Pulled by alice out of the team workbin: bob, who saw it there, loses
  // the race with 19, though he may not read it any more.
  ASSERT_TRUE(
      workbins_->Pull(alice(), kTeamWb, Item("PullWorkitem", in_team)).ok());
  st = workbins_->Pull(bob(), kTeamWb, Item("PullWorkitem", in_team)).status();
  EXPECT_EQ(st.code(), Code::kInUse) << st.message();
  st = workbins_->Move(bob(), kTeamWb, Item("MoveInteraction", in_team, kBobWb))
           .status();
  EXPECT_EQ(st.code(), Code::kInUse) << st.message();
  // ... but from his own workbin, where it never was, it is not visible.
  st = workbins_->Pull(bob(), kBobWb, Item("PullWorkitem", in_team)).status();
  EXPECT_EQ(st.code(), Code::kPermissionDenied) << st.message();
  // The owner and a supervisor who sees it keep the state errors.
  const std::string mine = Create(alice());
  ASSERT_TRUE(AddTo(alice(), kAliceWb, mine).ok());
  EXPECT_EQ(AddTo(alice(), kAliceWb, mine).code(), Code::kInUse);
  EXPECT_EQ(AddTo(sam(), kTeamWb, mine).code(), Code::kInUse);
  EXPECT_EQ(workbins_->Pull(alice(), kTeamWb, Item("PullWorkitem", mine))
                .status()
                .code(),
            Code::kInUse);
}

// Which workbins a user sees (visible(U)) and own(U), through List and Get.
class WorkbinVisibilityTest : public testing::WorkbinEnv {
 protected:
  Status GetStatus(const Principal& p, const std::string& id,
                   const WorkbinAddress& at = {}) {
    return workbins_->Get(p, id, false, at).status();
  }
};

TEST_F(WorkbinVisibilityTest, AgentSeesOwnPlaceAndGroupWorkbinsOnly) {
  using namespace testing;
  // By type (Agent, Place, AgentGroup, PlaceGroup), then name and owner.
  EXPECT_EQ(Listed(alice(), false),
            (std::vector<std::string>{kAliceWb, kDeskWb, kTeamWb, kShelfWb}));
  EXPECT_EQ(Listed(alice(), true),
            (std::vector<std::string>{kAliceWb, kDeskWb}));
  EXPECT_EQ(Listed(bob(), false), (std::vector<std::string>{kBobWb, kTeamWb}));
  EXPECT_EQ(Listed(carol(), false), (std::vector<std::string>{kCarolWb}));
  for (const char* id : {kAliceWb, kDeskWb, kTeamWb, kShelfWb})
    EXPECT_TRUE(GetStatus(alice(), id).ok()) << id;
  for (const char* id : {kBobWb, kCarolWb})
    ExpectError(GetStatus(alice(), id), Code::kPermissionDenied,
                NotVisibleWorkbin(id, "alice"));
  ExpectError(GetStatus(bob(), kDeskWb), Code::kPermissionDenied,
              NotVisibleWorkbin(kDeskWb, "bob"));
}

TEST_F(WorkbinVisibilityTest, SupervisorSeesTheWorkbinsOfItsAgents) {
  using namespace testing;
  // sam supervises team-a (alice, bob), not team-b (carol); alice's place
  // brings its Place and PlaceGroup workbins.
  EXPECT_EQ(
      Listed(sam(), false),
      (std::vector<std::string>{kAliceWb, kBobWb, kDeskWb, kTeamWb, kShelfWb}));
  EXPECT_TRUE(Listed(sam(), true).empty());
  ExpectError(GetStatus(sam(), kCarolWb), Code::kPermissionDenied,
              NotVisibleWorkbin(kCarolWb, "sam"));
  // An API user sees every workbin.
  EXPECT_EQ(Listed(feeder(), false),
            (std::vector<std::string>{kAliceWb, kBobWb, kCarolWb, kDeskWb,
                                      kTeamWb, kShelfWb}));
}

TEST_F(WorkbinVisibilityTest, ListByUserIsThatUsersOwn) {
  using namespace testing;
  EXPECT_EQ(Listed(sam(), false, kAlice),
            (std::vector<std::string>{kAliceWb, kDeskWb}));
  ExpectError(workbins_->List(bob(), false, false, kAlice).status(),
              Code::kPermissionDenied,
              "User 'bob' may not act for user 'alice'");
  ExpectError(workbins_->List(sam(), false, false, kCarol).status(),
              Code::kPermissionDenied,
              "User 'sam' may not act for user 'carol'");
  ExpectError(workbins_->List(sam(), false, false, kNobody).status(),
              Code::kNotFound, std::string("No such user '") + kNobody + "'");
}

TEST_F(WorkbinVisibilityTest, GetErrorsComeInTheOrderOfTheApi) {
  using namespace testing;
  // An unknown id first, whatever the rest of the address.
  ExpectError(GetStatus(alice(), "nope", {kNobody, "AgentGroup", "x"}),
              Code::kNotFound, "No such workbin 'nope'");
  ExpectError(GetStatus(alice(), kBobWb + std::string("0")), Code::kNotFound,
              "No such workbin '" + std::string(kBobWb) + "0'");
  // By user: an unknown or malformed user, then one the caller may not act
  // for (before the visibility of the workbin), then not that user's.
  ExpectError(GetStatus(sam(), kAliceWb, {kNobody, "", ""}), Code::kNotFound,
              std::string("No such user '") + kNobody + "'");
  ExpectError(GetStatus(sam(), kAliceWb, {"x", "", ""}), Code::kNotFound,
              "No such user 'x'");
  ExpectError(GetStatus(bob(), kAliceWb, {kAlice, "", ""}),
              Code::kPermissionDenied,
              "User 'bob' may not act for user 'alice'");
  ExpectError(
      GetStatus(sam(), kBobWb, {kAlice, "", ""}), Code::kNotFound,
      "Workbin " + std::string(kBobWb) + " is not a workbin of user 'alice'");
  EXPECT_TRUE(GetStatus(sam(), kAliceWb, {kAlice, "", ""}).ok());
  // Not visible, before the group check.
  ExpectError(GetStatus(bob(), kAliceWb, {"", "AgentGroup", "nope"}),
              Code::kPermissionDenied, NotVisibleWorkbin(kAliceWb, "bob"));
  // Then an unknown group, or a workbin outside the named group.
  ExpectError(GetStatus(alice(), kTeamWb, {"", "AgentGroup", "nope"}),
              Code::kNotFound, "No such agent group 'nope'");
  ExpectError(GetStatus(alice(), kTeamWb, {"", "AgentGroup", "team-b"}),
              Code::kNotFound,
              "Workbin " + std::string(kTeamWb) +
                  " does not belong to agent group 'team-b'");
  ExpectError(GetStatus(alice(), kDeskWb, {"", "PlaceGroup", "floor"}),
              Code::kNotFound,
              "Workbin " + std::string(kDeskWb) +
                  " does not belong to place group 'floor'");
  ExpectError(GetStatus(alice(), kShelfWb, {"", "PlaceGroup", "x"}),
              Code::kNotFound, "No such place group 'x'");
  EXPECT_TRUE(GetStatus(alice(), kShelfWb, {"", "PlaceGroup", "floor"}).ok());
}

TEST_F(WorkbinVisibilityTest, TheWorkbinResource) {
  using namespace testing;
  auto team =
      workbins_->Get(alice(), kTeamWb, true, {"", "AgentGroup", "team-a"});
  ASSERT_TRUE(team.ok()) << team.status().message();
  const boost::json::object expected{
      {"id", kTeamWb},
      {"name", "backlog"},
      {"workbinName", "backlog"},
      {"displayName", "Backlog"},
      {"type", "AgentGroup"},
      {"agentGroup", "team-a"},
      {"uri", std::string("http://h/api/v2/workbins/") + kTeamWb},
      {"path", std::string("/workbins/") + kTeamWb}};
  EXPECT_EQ(team->workbin, expected);
  EXPECT_TRUE(team->items.empty());
  auto inbox = workbins_->Get(alice(), kAliceWb, false);
  ASSERT_TRUE(inbox.ok());
  EXPECT_EQ(inbox->workbin.at("ownerId"), kAlice);
  EXPECT_EQ(workbins_->Get(alice(), kDeskWb, false)->workbin.at("place"), "p1");
}

class WorkbinSubscribeTest : public testing::WorkbinEnv {
 protected:
  bool Subscribed(const std::string& user_id, const std::string& wb) {
    bool on = false;
    EXPECT_TRUE(store_
                    ->Read([&](storage::ReadTx& tx) {
                      WB_ASSIGN_OR_RETURN(
                          on, tx.IsSubscribedToWorkbin(user_id, wb));
                      return Status::Ok();
                    })
                    .ok());
    return on;
  }
};

TEST_F(WorkbinSubscribeTest, AllOrNothing) {
  using namespace testing;
  sink_.Take();
  ExpectError(workbins_->Subscribe(alice(), {kAliceWb, kBobWb}, true).status(),
              Code::kPermissionDenied, NotVisibleWorkbin(kBobWb, "alice"));
  EXPECT_FALSE(Subscribed(kAlice, kAliceWb));
  EXPECT_TRUE(sink_.Take().empty());
  auto refs = workbins_->Subscribe(alice(), {kAliceWb, kTeamWb}, true);
  ASSERT_TRUE(refs.ok()) << refs.status().message();
  EXPECT_EQ(refs->size(), 2u);
  EXPECT_TRUE(Subscribed(kAlice, kAliceWb));
  EXPECT_TRUE(Subscribed(kAlice, kTeamWb));
  const auto sent = For(sink_.Take(), kAlice, "workbins");
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[1].data.at("stateResource"), "Subscribed");
  EXPECT_EQ(sent[1].data.at("agentGroup"), "team-a");
  EXPECT_EQ(sent[1].reference_id, (*refs)[1]);
}

TEST_F(WorkbinSubscribeTest, AtMostMaxSubscriptionsPerUser) {
  using namespace testing;
  // alice already holds the limit but one, on workbins of their own.
  const int64_t limit = WorkbinService::kMaxSubscriptionsPerUser;
  ASSERT_TRUE(store_
                  ->Write([&](storage::WriteTx& tx) -> Status {
                    for (int64_t i = 0; i + 1 < limit; ++i) {
                      char id[40];
                      std::snprintf(id, sizeof id,
                                    "99999999-9999-5999-8999-%012lld",
                                    static_cast<long long>(i));
                      WB_RETURN_IF_ERROR(tx.PutWorkbin(
                          {id, kCc, "66666666-6666-5666-8666-666666666661",
                           "Agent", kCarol}));
                      WB_RETURN_IF_ERROR(
                          tx.PutWorkbinSubscription({kAlice, id, kCc, 0}));
                    }
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(workbins_->Subscribe(alice(), {kAliceWb}, true).ok());
  ExpectError(workbins_->Subscribe(alice(), {kTeamWb}, true).status(),
              Code::kInvalidArgument,
              "User 'alice' already holds " + std::to_string(limit) +
                  " workbin subscriptions");
  EXPECT_FALSE(Subscribed(kAlice, kTeamWb));
  // Subscribing again to a held one is no new subscription.
  EXPECT_TRUE(workbins_->Subscribe(alice(), {kAliceWb}, true).ok());
  ASSERT_TRUE(workbins_->Subscribe(alice(), {kAliceWb}, false).ok());
  EXPECT_TRUE(workbins_->Subscribe(alice(), {kTeamWb}, true).ok());
}

}  // namespace
}  // namespace workbind::domain
