// Test fixture for the workbin rules: InteractionEnv (alice and bob agents
// of team-a, sam its supervisor, feeder an API user, the inboxes of alice
// and bob, the team-a backlog) plus carol, an agent of team-b whom sam does
// not supervise, with her inbox; place p1, alice's default place, with its
// Place workbin "desk"; and place group "floor" holding p1, with its
// PlaceGroup workbin "shelf". Helpers to create interactions and to build
// workbin requests. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "domain/testing/interaction_test_env.h"
#include "domain/workbins/workbin_operations.h"
#include "domain/workbins/workbin_service.h"

namespace workbind::domain::testing {

inline const char* kCarol = "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
inline const char* kTeamBId = "44444444-4444-5444-8444-444444444445";
inline const char* kPlaceId = "77777777-7777-5777-8777-777777777771";
inline const char* kFloorId = "77777777-7777-5777-8777-777777777772";
inline const char* kCarolWb = "55555555-5555-5555-8555-555555555554";
inline const char* kDeskWb = "55555555-5555-5555-8555-555555555555";
inline const char* kShelfWb = "55555555-5555-5555-8555-555555555556";
// A well-formed user id nobody has.
inline const char* kNobody = "ffffffffffffffffffffffffffffffff";

class WorkbinEnv : public InteractionEnv {
 protected:
  void SetUp() override {
    InteractionEnv::SetUp();
    ASSERT_TRUE(
        store_
            ->Write([](storage::WriteTx& tx) {
              WB_ASSIGN_OR_RETURN(auto alice, tx.GetUser(kAlice));
              if (!alice) return NotFound("alice");
              alice->default_place_id = kPlaceId;
              storage::UserRecord carol = *alice;
              carol.id = kCarol;
              carol.user_name = carol.first_name = "carol";
              carol.default_place_id.reset();
              WB_RETURN_IF_ERROR(tx.PutPlace({kPlaceId, kCc, "p1"}));
              WB_RETURN_IF_ERROR(tx.PutUser(*alice));
              WB_RETURN_IF_ERROR(tx.PutUser(carol));
              WB_RETURN_IF_ERROR(
                  tx.PutAgentGroup({kTeamBId, kCc, "team-b", {kCarol}, {}}));
              WB_RETURN_IF_ERROR(
                  tx.PutPlaceGroup({kFloorId, kCc, "floor", {kPlaceId}}));
              const char* inbox = "66666666-6666-5666-8666-666666666661";
              const char* desk = "66666666-6666-5666-8666-666666666663";
              const char* shelf = "66666666-6666-5666-8666-666666666664";
              WB_RETURN_IF_ERROR(tx.PutWorkbinDefinition(
                  {desk, kCc, "desk", "Desk", "Place", std::nullopt}));
              WB_RETURN_IF_ERROR(tx.PutWorkbinDefinition(
                  {shelf, kCc, "shelf", "Shelf", "PlaceGroup", std::nullopt}));
              WB_RETURN_IF_ERROR(
                  tx.PutWorkbin({kCarolWb, kCc, inbox, "Agent", kCarol}));
              WB_RETURN_IF_ERROR(
                  tx.PutWorkbin({kDeskWb, kCc, desk, "Place", kPlaceId}));
              WB_RETURN_IF_ERROR(tx.PutWorkbin(
                  {kShelfWb, kCc, shelf, "PlaceGroup", kFloorId}));
              return tx.BumpDirectoryVersion(kCc);
            })
            .ok());
    directories_->Invalidate(kCc);
  }

  Principal carol() const { return Who(kCarol, "carol", "ROLE_AGENT"); }

  // A workitem created by `owner` (Processing, owned by it).
  std::string Create(const Principal& owner) {
    CreateRequest r;
    r.queue_id = kQueueId;
    auto created = interactions_->Create(owner, "workitem", r);
    EXPECT_TRUE(created.ok()) << created.status().message();
    return created.ok() ? created->id : "";
  }
  // The body of operation `op` on interaction `id` (to `to` for a Move).
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
  // The ids of what List returns, in order.
  std::vector<std::string> Listed(const Principal& p, bool own_only,
                                  const std::string& for_user_id = "") {
    std::vector<std::string> ids;
    auto listed = workbins_->List(p, own_only, false, for_user_id);
    EXPECT_TRUE(listed.ok()) << listed.status().message();
    if (listed.ok())
      for (const auto& c : *listed)
        ids.push_back(std::string(c.workbin.at("id").as_string()));
    return ids;
  }
};

// Expects `st` to carry `code` and `message`.
inline void ExpectError(const Status& st, Code code,
                        const std::string& message) {
  EXPECT_EQ(st.code(), code) << st.message();
  EXPECT_EQ(st.message(), message);
}

// The message of FindAddressed for a workbin `user` does not see.
inline std::string NotVisibleWorkbin(const std::string& id,
                                     const std::string& user) {
  return "Workbin " + id + " is not visible to user '" + user + "'";
}

}  // namespace workbind::domain::testing
