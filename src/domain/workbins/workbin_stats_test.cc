// RequestStats and RequestAgentStats (workbin_service.h): the
// WorkbinStatsMessage each sends, and their errors with code and message.
#include <gtest/gtest.h>

#include "domain/testing/workbin_test_env.h"
#include "domain/workbins/workbin_service.h"

namespace workbind::domain {
namespace {

using namespace testing;
namespace json = boost::json;

class WorkbinStatsTest : public WorkbinEnv {
 protected:
  // The one WorkbinStatsMessage `user_id` was sent since the last call.
  json::object StatsSentTo(const std::string& user_id, int64_t reference_id) {
    const auto sent = For(sink_.Take(), user_id, "workbins");
    EXPECT_EQ(sent.size(), 1u);
    if (sent.size() != 1) return {};
    EXPECT_EQ(sent[0].reference_id, reference_id);
    EXPECT_EQ(sent[0].data.at("messageType"), "WorkbinStatsMessage");
    return sent[0].data;
  }
  Status AgentStats(const Principal& p, const std::string& type,
                    std::optional<std::string> owner,
                    const std::string& for_user_id = "") {
    return workbins_->RequestAgentStats(p, for_user_id, type, owner).status();
  }
  // The workbinStats of a successful RequestAgentStats.
  json::value AgentStatsOf(const Principal& p, const std::string& type,
                           std::optional<std::string> owner) {
    sink_.Take();
    auto ref = workbins_->RequestAgentStats(p, "", type, owner);
    EXPECT_TRUE(ref.ok()) << ref.status().message();
    if (!ref.ok()) return nullptr;
    return StatsSentTo(p.user_id, *ref)["workbinStats"];
  }
};

TEST_F(WorkbinStatsTest, RequestStatsCountsAndTimesTheItems) {
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(AddTo(alice(), kAliceWb, Create(alice())).ok());
    clock_.now += 65'000;
  }
  sink_.Take();
  auto ref = workbins_->RequestStats(alice(), kAliceWb);
  ASSERT_TRUE(ref.ok()) << ref.status().message();
  const json::object expected{
      {"messageType", "WorkbinStatsMessage"},
      {"workbinStats",
       {{kAlice,
         {{"NumberOfInteractions", 2},
          {"MinMovedToQueueAt", "2024-05-14T09:30:12Z"},
          {"MaxMovedToQueueAt", "2024-05-14T09:31:17Z"}}}}},
      {"id", kAliceWb},
      {"workbinType", "Agent"}};
  EXPECT_EQ(StatsSentTo(kAlice, *ref), expected);
  // An empty group workbin: its name, no times.
  ref = workbins_->RequestStats(alice(), kTeamWb);
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(StatsSentTo(kAlice, *ref)["workbinStats"],
            (json::object{{"team-a", {{"NumberOfInteractions", 0}}}}));
}

TEST_F(WorkbinStatsTest, RequestStatsHasTheErrorsOfGet) {
  sink_.Take();
  ExpectError(workbins_->RequestStats(alice(), "nope").status(),
              Code::kNotFound, "No such workbin 'nope'");
  ExpectError(workbins_->RequestStats(alice(), kBobWb).status(),
              Code::kPermissionDenied, NotVisibleWorkbin(kBobWb, "alice"));
  ExpectError(
      workbins_->RequestStats(bob(), kAliceWb, {kAlice, "", ""}).status(),
      Code::kPermissionDenied, "User 'bob' may not act for user 'alice'");
  ExpectError(
      workbins_->RequestStats(alice(), kTeamWb, {"", "AgentGroup", "team-b"})
          .status(),
      Code::kNotFound,
      "Workbin " + std::string(kTeamWb) +
          " does not belong to agent group 'team-b'");
  EXPECT_TRUE(sink_.Take().empty());
}

TEST_F(WorkbinStatsTest, RequestAgentStatsReportsTheOwnersWorkbins) {
  ASSERT_TRUE(AddTo(alice(), kAliceWb, Create(alice())).ok());
  const json::object alice_inbox{
      {kAliceWb, {{"Count", 1}, {"Owner", kAlice}, {"Type", "Agent"}}}};
  EXPECT_EQ(AgentStatsOf(sam(), "Agent", "alice"), alice_inbox);
  EXPECT_EQ(AgentStatsOf(sam(), "Agent", std::string(kAlice)), alice_inbox);
  EXPECT_EQ(AgentStatsOf(alice(), "Agent", std::nullopt), alice_inbox);
  // Without an owner: the caller's place, its place groups, its groups.
  EXPECT_EQ(
      AgentStatsOf(alice(), "Place", std::nullopt),
      (json::object{
          {kDeskWb, {{"Count", 0}, {"Owner", "p1"}, {"Type", "Place"}}}}));
  EXPECT_EQ(AgentStatsOf(alice(), "PlaceGroup", std::nullopt),
            (json::object{
                {kShelfWb,
                 {{"Count", 0}, {"Owner", "floor"}, {"Type", "PlaceGroup"}}}}));
  EXPECT_EQ(
      AgentStatsOf(sam(), "AgentGroup", std::nullopt),
      (json::object{
          {kTeamWb,
           {{"Count", 0}, {"Owner", "team-a"}, {"Type", "AgentGroup"}}}}));
  EXPECT_EQ(AgentStatsOf(bob(), "Place", std::nullopt), json::object{});
}

TEST_F(WorkbinStatsTest, RequestAgentStatsErrors) {
  sink_.Take();
  ExpectError(AgentStats(alice(), "Queue", std::nullopt),
              Code::kInvalidArgument,
              "Unknown workbinType 'Queue'; accepted: Agent, Place, "
              "AgentGroup, PlaceGroup");
  for (const char* type : {"Agent", "Place", "AgentGroup", "PlaceGroup"})
    ExpectError(AgentStats(sam(), type, "nobody"), Code::kNotFound,
                "No such workbin owner 'nobody'");
  // By user: as List.
  ExpectError(AgentStats(sam(), "Agent", std::nullopt, kNobody),
              Code::kNotFound, std::string("No such user '") + kNobody + "'");
  ExpectError(AgentStats(bob(), "Agent", std::nullopt, kAlice),
              Code::kPermissionDenied,
              "User 'bob' may not act for user 'alice'");
  // A reported workbin the caller does not see, or by user not the user's.
  ExpectError(AgentStats(bob(), "Agent", "alice"), Code::kPermissionDenied,
              NotVisibleWorkbin(kAliceWb, "bob"));
  ExpectError(
      AgentStats(sam(), "Agent", "bob", kAlice), Code::kNotFound,
      "Workbin " + std::string(kBobWb) + " is not a workbin of user 'alice'");
  EXPECT_TRUE(sink_.Take().empty());
}

}  // namespace
}  // namespace workbind::domain
