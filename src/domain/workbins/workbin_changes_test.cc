// The rules of Add, Pull and Move (workbin_service.h): each error with its
// code and message, and a failed operation leaves the interaction as it was.
#include <gtest/gtest.h>

#include "domain/core/user_data.h"
#include "domain/interactions/contact_service.h"
#include "domain/interactions/interaction_access.h"
#include "domain/testing/workbin_test_env.h"
#include "domain/workbins/workbin_service.h"

namespace workbind::domain {
namespace {

using namespace testing;

class WorkbinChangesTest : public WorkbinEnv {
 protected:
  struct Before {
    storage::InteractionRecord record;
    size_t events = 0;
  };
  // The interaction as it is now; what was notified so far is dropped.
  Before Snapshot(const std::string& id) {
    sink_.Take();
    return {Get(id), History(id).size()};
  }
  void ExpectUntouched(const std::string& id, const Before& b) {
    InteractionEnv::ExpectUntouched(id, b.record, b.events);
  }
  // A workitem of contact `contact`, queued to team-a (sam's).
  std::string Queued(const std::string& contact) {
    return Submit("workitem", kQueueId, contact);
  }
  Status AddSaveLar(const Principal& p, const char* wb, const std::string& id,
                    const WorkbinAddress& at) {
    WorkbinItemRequest r = Item("AddWorkitem", id);
    r.save_lar = true;
    return workbins_->Add(p, wb, r, at).status();
  }
  boost::json::object Contact(const std::string& id) {
    auto c = ContactService(store_.get(), "http://h/api/v2").Get(sam(), id);
    EXPECT_TRUE(c.ok()) << c.status().message();
    return c.ok() ? *c : boost::json::object{};
  }
};

TEST_F(WorkbinChangesTest, AddMediaMismatchIsInvalidState) {
  const std::string id = Create(alice());
  const Before b = Snapshot(id);
  ExpectError(AddTo(alice(), kAliceWb, id, "AddEmail"), Code::kInvalidState,
              "Operation 'AddEmail' does not match media type 'workitem'");
  ExpectError(AddTo(alice(), kAliceWb, id, "AddOpenmedia"), Code::kInvalidState,
              "Operation 'AddOpenmedia' does not match media type 'workitem'");
  ExpectUntouched(id, b);
}

TEST_F(WorkbinChangesTest, AddOfAnInteractionInAWorkbinIsInUse) {
  const std::string id = Create(alice());
  ASSERT_TRUE(AddTo(alice(), kTeamWb, id).ok());
  const Before b = Snapshot(id);
  ExpectError(AddTo(alice(), kAliceWb, id), Code::kInUse,
              "Interaction " + id + " is already in workbin 'backlog'");
  ExpectError(AddTo(alice(), kTeamWb, id), Code::kInUse,
              "Interaction " + id + " is already in workbin 'backlog'");
  ExpectUntouched(id, b);
}

TEST_F(WorkbinChangesTest, AddToAWorkbinNotVisibleIsPermissionDenied) {
  const std::string id = Create(alice());
  const Before b = Snapshot(id);
  // The workbin's errors come before the interaction's.
  ExpectError(AddTo(alice(), kBobWb, id), Code::kPermissionDenied,
              NotVisibleWorkbin(kBobWb, "alice"));
  ExpectError(AddTo(alice(), kBobWb, "0123456789ABCDEF"),
              Code::kPermissionDenied, NotVisibleWorkbin(kBobWb, "alice"));
  ExpectError(AddTo(alice(), "nope", id), Code::kNotFound,
              "No such workbin 'nope'");
  ExpectError(AddTo(alice(), kAliceWb, "0123456789ABCDEF"), Code::kNotFound,
              "No such interaction '0123456789ABCDEF'");
  ExpectUntouched(id, b);
}

TEST_F(WorkbinChangesTest, AddOfSomeoneElsesNeedsTheSupervisorRole) {
  const std::string queued = Queued("C-1");
  // sam loses ROLE_SUPERVISOR in the directory while his session still
  // carries it: he may still read the interaction queued to his group, but
  // the role check reads the directory.
  ASSERT_TRUE(store_
                  ->Write([](storage::WriteTx& tx) {
                    WB_ASSIGN_OR_RETURN(auto sam, tx.GetUser(kSam));
                    if (!sam) return NotFound("sam");
                    sam->roles = {"ROLE_AGENT"};
                    WB_RETURN_IF_ERROR(tx.PutUser(*sam));
                    return tx.BumpDirectoryVersion(kCc);
                  })
                  .ok());
  directories_->Invalidate(kCc);
  const Before b = Snapshot(queued);
  ExpectError(AddTo(sam(), kTeamWb, queued), Code::kPermissionDenied,
              "Interaction " + queued + " is not yours");
  ExpectUntouched(queued, b);
  // An API user may add it.
  ASSERT_TRUE(AddTo(feeder(), kTeamWb, queued).ok());
  EXPECT_EQ(Get(queued).state, "InWorkbin");
  EXPECT_EQ(Get(queued).workbin_id, std::optional<std::string>(kTeamWb));
}

TEST_F(WorkbinChangesTest, SupervisorAddsItsAgentsButNotCompletedOnes) {
  const std::string working = Create(alice());
  ASSERT_TRUE(AddTo(sam(), kAliceWb, working).ok());
  const auto added = Get(working);
  EXPECT_EQ(added.state, "InWorkbin");
  EXPECT_FALSE(added.owner_id.has_value());
  EXPECT_EQ(added.last_owner_id, std::optional<std::string>(kAlice));
  const std::string done = Create(alice());
  ASSERT_TRUE(Do(alice(), done, InteractionOp::kComplete).ok());
  const Before b = Snapshot(done);
  ExpectError(AddTo(sam(), kTeamWb, done), Code::kInvalidState,
              "Interaction " + done + " cannot be added in state 'Completed'");
  ExpectUntouched(done, b);
}

TEST_F(WorkbinChangesTest, AddSetsTheWorkbinKeys) {
  const std::string id = Create(alice());
  ASSERT_TRUE(AddTo(alice(), kAliceWb, id).ok());
  const auto ud = ParseUserData(Get(id).user_data);
  EXPECT_EQ(ud.at("Workbin"), "inbox");
  EXPECT_EQ(ud.at("WorkbinAgentId"), "alice");
  const auto history = History(id);
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().event, "AddedToWorkbin");
  EXPECT_EQ(history.back().to_workbin_id, kAliceWb);
  EXPECT_EQ(history.back().details, R"({"operationName":"AddWorkitem"})");
}

TEST_F(WorkbinChangesTest, SaveLarOnAByUserRouteRecordsThatUser) {
  const std::string for_alice = Queued("C-1");
  ASSERT_TRUE(AddSaveLar(sam(), kAliceWb, for_alice, {kAlice, "", ""}).ok());
  auto contact = Contact("C-1");
  EXPECT_EQ(contact.at("lastAgentId"), kAlice);
  EXPECT_EQ(contact.at("lastAgentUserName"), "alice");
  bool saved = false;
  for (const auto& e : History(for_alice))
    saved |= e.event == "LastAgentSaved" &&
             e.details == std::string(R"({"contactId":"C-1","lastAgentId":")") +
                              kAlice + "\"}";
  EXPECT_TRUE(saved);
  // Without a by-user route, the caller is the last agent.
  const std::string for_sam = Queued("C-2");
  ASSERT_TRUE(AddSaveLar(sam(), kTeamWb, for_sam, {}).ok());
  EXPECT_EQ(Contact("C-2").at("lastAgentId"), kSam);
}

TEST_F(WorkbinChangesTest, PullMakesTheCallerTheOwner) {
  const std::string id = Create(alice());
  ASSERT_TRUE(AddTo(alice(), kTeamWb, id).ok());
  ASSERT_TRUE(workbins_->Pull(bob(), kTeamWb, Item("PullWorkitem", id)).ok());
  const auto pulled = Get(id);
  EXPECT_EQ(pulled.state, "Processing");
  EXPECT_EQ(pulled.owner_id, std::optional<std::string>(kBob));
  EXPECT_EQ(pulled.last_owner_id, std::optional<std::string>(kBob));
  EXPECT_FALSE(pulled.workbin_id.has_value());
  const auto history = History(id);
  ASSERT_FALSE(history.empty());
  EXPECT_EQ(history.back().event, "PulledFromWorkbin");
  EXPECT_EQ(history.back().from_workbin_id, kTeamWb);
  EXPECT_EQ(history.back().details, R"({"operationName":"PullWorkitem"})");
}

TEST_F(WorkbinChangesTest, PullFromAWorkbinNotHoldingItIsInUse) {
  const std::string id = Create(alice());
  ASSERT_TRUE(AddTo(alice(), kAliceWb, id).ok());
  const Before b = Snapshot(id);
  ExpectError(
      workbins_->Pull(alice(), kTeamWb, Item("PullWorkitem", id)).status(),
      Code::kInUse, "Interaction " + id + " is no longer in workbin 'backlog'");
  // The media is checked before the location.
  ExpectError(workbins_->Pull(alice(), kTeamWb, Item("PullEmail", id)).status(),
              Code::kInvalidState,
              "Operation 'PullEmail' does not match media type 'workitem'");
  ExpectUntouched(id, b);
}

TEST_F(WorkbinChangesTest, PullOfWhatWasNeverThereAndIsNotReadable) {
  const std::string id = Create(alice());
  ASSERT_TRUE(AddTo(alice(), kAliceWb, id).ok());
  const Before b = Snapshot(id);
  ExpectError(
      workbins_->Pull(bob(), kTeamWb, Item("PullWorkitem", id)).status(),
      Code::kPermissionDenied, NotVisible(id, "bob").message());
  ExpectUntouched(id, b);
}

TEST_F(WorkbinChangesTest, MoveErrorsInOrder) {
  const std::string id = Create(alice());
  ASSERT_TRUE(AddTo(alice(), kAliceWb, id).ok());
  const Before b = Snapshot(id);
  auto move = [&](const char* from, const std::string& item, const char* to) {
    return workbins_->Move(alice(), from, Item("MoveInteraction", item, to))
        .status();
  };
  // The source first, then the same workbin (before the destination and
  // the interaction), then the destination, then the interaction.
  ExpectError(move(kBobWb, id, kBobWb), Code::kPermissionDenied,
              NotVisibleWorkbin(kBobWb, "alice"));
  for (const std::string& item : {id, std::string("0123456789ABCDEF")})
    ExpectError(move(kAliceWb, item, kAliceWb), Code::kInvalidArgument,
                "Cannot move an interaction to the workbin it is in");
  ExpectError(move(kAliceWb, id, kBobWb), Code::kPermissionDenied,
              NotVisibleWorkbin(kBobWb, "alice"));
  ExpectError(move(kAliceWb, id, "nope"), Code::kNotFound,
              "No such workbin 'nope'");
  ExpectError(move(kAliceWb, "0123456789ABCDEF", kTeamWb), Code::kNotFound,
              "No such interaction '0123456789ABCDEF'");
  ExpectError(move(kDeskWb, id, kTeamWb), Code::kInUse,
              "Interaction " + id + " is no longer in workbin 'desk'");
  ExpectUntouched(id, b);
}

TEST_F(WorkbinChangesTest, MoveRewritesTheWorkbinKeys) {
  const std::string id = Create(alice());
  ASSERT_TRUE(AddTo(alice(), kAliceWb, id).ok());
  clock_.now += 60'000;
  ASSERT_TRUE(
      workbins_->Move(alice(), kAliceWb, Item("MoveInteraction", id, kTeamWb))
          .ok());
  const auto moved = Get(id);
  EXPECT_EQ(moved.state, "InWorkbin");
  EXPECT_EQ(moved.workbin_id, std::optional<std::string>(kTeamWb));
  EXPECT_EQ(moved.workbin_entered_ms, clock_.now.load());
  const auto ud = ParseUserData(moved.user_data);
  EXPECT_EQ(ud.at("Workbin"), "backlog");
  EXPECT_EQ(ud.at("WorkbinAgentGroupId"), "team-a");
  EXPECT_FALSE(ud.contains("WorkbinAgentId"));
  EXPECT_EQ(History(id).back().event, "MovedToWorkbin");
}

}  // namespace
}  // namespace workbind::domain
