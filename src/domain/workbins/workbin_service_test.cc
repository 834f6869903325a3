#include "domain/workbins/workbin_service.h"

#include <gtest/gtest.h>

#include "domain/interactions/interaction_access.h"
#include "domain/testing/interaction_test_env.h"
#include "domain/workbins/workbin_operations.h"

namespace workbind::domain {
namespace {

TEST(WorkbinOperations, ParsesEveryAddAndPullName) {
  struct Case {
    const char* name;
    bool add;
    const char* media;
  };
  for (const Case& c :
       {Case{"AddInteraction", true, ""},
        Case{"AddInteractionToWorkbin", true, ""},
        Case{"AddEmail", true, "email"}, Case{"AddChat", true, "chat"},
        Case{"AddWorkitem", true, "workitem"}, Case{"AddTweet", true, "tweet"},
        Case{"AddFacebook", true, "facebook"},
        Case{"AddFacebooksession", true, "facebooksession"},
        Case{"AddOpenmedia", true, "openmedia"},
        Case{"PullInteraction", false, ""}, Case{"PullEmail", false, "email"},
        Case{"PullChat", false, "chat"},
        Case{"PullWorkitem", false, "workitem"},
        Case{"PullTweet", false, "tweet"},
        Case{"PullFacebook", false, "facebook"},
        Case{"PullFacebooksession", false, "facebooksession"},
        Case{"PullOpenmedia", false, "openmedia"}}) {
    auto op = ParseWorkbinItemOperation(c.name);
    ASSERT_TRUE(op.has_value()) << c.name;
    EXPECT_EQ(op->add, c.add) << c.name;
    EXPECT_EQ(op->media, c.media) << c.name;
  }
  for (const char* bad : {"Add", "Pull", "PullInteractionToWorkbin",
                          "Subscribe", "addEmail", "AddEmails", ""})
    EXPECT_FALSE(ParseWorkbinItemOperation(bad).has_value()) << bad;
}

TEST(WorkbinOperations, MediaMatching) {
  EXPECT_TRUE(WorkbinOperationMatches("", "email"));
  EXPECT_TRUE(WorkbinOperationMatches("", "promotion"));
  EXPECT_TRUE(WorkbinOperationMatches("email", "email"));
  EXPECT_FALSE(WorkbinOperationMatches("email", "workitem"));
  EXPECT_TRUE(WorkbinOperationMatches("tweet", "tweet"));
  EXPECT_TRUE(WorkbinOperationMatches("openmedia", "promotion"));
  EXPECT_FALSE(WorkbinOperationMatches("openmedia", "tweet"));
  EXPECT_FALSE(WorkbinOperationMatches("openmedia", "facebooksession"));
  EXPECT_FALSE(WorkbinOperationMatches("openmedia", "workitem"));
}

// Add, Pull and Move of an interaction the caller may not read: the
// access check comes before the media, state and conflict checks, so a
// stranger gets the reply GET /interactions/{id} gives it (NotVisible),
// whatever the interaction's state, owner or workbin, and nothing changes.
class WorkbinAccessTest : public testing::InteractionEnv {
 protected:
  std::string Create(const Principal& owner) {
    CreateRequest r;
    r.queue_id = testing::kQueueId;
    auto created = interactions_->Create(owner, "workitem", r);
    EXPECT_TRUE(created.ok()) << created.status().message();
    return created.ok() ? created->id : "";
  }
  static WorkbinItemRequest Item(const std::string& op, const std::string& id,
                                 const std::string& to = "") {
    auto parsed = ParseWorkbinItemOperation(op);
    WorkbinItemRequest r;
    r.operation = op;
    r.media = parsed ? parsed->media : "";
    r.interaction_id = id;
    r.to_workbin_id = to;
    return r;
  }
  Status AddTo(const Principal& p, const char* wb, const std::string& id,
               const std::string& op = "AddWorkitem") {
    return workbins_->Add(p, wb, Item(op, id)).status();
  }
};

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

}  // namespace
}  // namespace workbind::domain
