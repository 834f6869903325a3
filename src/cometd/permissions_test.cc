#include "cometd/permissions.h"

#include <gtest/gtest.h>

namespace workbind::cometd {
namespace {

domain::Principal User(std::vector<std::string> roles) {
  domain::Principal p;
  p.user_id = "u1";
  p.contact_center_id = "cc";
  p.roles = std::move(roles);
  return p;
}

TEST(PermissionsTest, OwnChannels) {
  auto agent = User({"ROLE_AGENT"});
  std::vector<std::string> open;
  for (const char* p :
       {"/v2/me", "/v2/me/*", "/v2/me/**", "/v2/me/workitems", "/v2/me/a/b"})
    EXPECT_EQ(CheckSubscribe(p, agent, open, nullptr),
              SubscribeDecision::kAllow)
        << p;
  for (const char* p : {"/v2/*", "/v2/**", "/**", "/*", "/v2/meow", "/v2",
                        "/meta/connect", "/meta/**", "/other"})
    EXPECT_EQ(CheckSubscribe(p, agent, open, nullptr), SubscribeDecision::kDeny)
        << p;
  EXPECT_EQ(CheckSubscribe("/service/x", agent, open, nullptr),
            SubscribeDecision::kNoOp);
  EXPECT_EQ(CheckSubscribe("/service/**", agent, open, nullptr),
            SubscribeDecision::kNoOp);
}

TEST(PermissionsTest, SupervisorChannels) {
  std::vector<std::string> open;
  auto may = [](const std::string& u) { return u == "a1"; };
  auto agent = User({"ROLE_AGENT"});
  EXPECT_EQ(CheckSubscribe("/v2/users/**", agent, open, may),
            SubscribeDecision::kDeny);
  EXPECT_EQ(CheckSubscribe("/v2/users/a1/*", agent, open, may),
            SubscribeDecision::kDeny);
  for (const char* role : {"ROLE_SUPERVISOR", "ROLE_ADMIN", "ROLE_APIUSER"}) {
    auto sup = User({role});
    EXPECT_EQ(CheckSubscribe("/v2/users/**", sup, open, may),
              SubscribeDecision::kAllow);
    EXPECT_EQ(CheckSubscribe("/v2/users/*", sup, open, may),
              SubscribeDecision::kAllow);
    EXPECT_EQ(CheckSubscribe("/v2/users/a1/channels", sup, open, may),
              SubscribeDecision::kAllow);
    EXPECT_EQ(CheckSubscribe("/v2/users/a1/**", sup, open, may),
              SubscribeDecision::kAllow);
    EXPECT_EQ(CheckSubscribe("/v2/users/b2/**", sup, open, may),
              SubscribeDecision::kDeny);
  }
  EXPECT_EQ(SupervisedUserOf("/v2/users/a1/**"), "a1");
  EXPECT_EQ(SupervisedUserOf("/v2/users/a1"), "a1");
  EXPECT_FALSE(SupervisedUserOf("/v2/users/**"));
  EXPECT_FALSE(SupervisedUserOf("/v2/me/x"));
}

TEST(PermissionsTest, OpenChannels) {
  auto agent = User({"ROLE_AGENT"});
  std::vector<std::string> open = {"/chat/**"};
  EXPECT_EQ(CheckSubscribe("/chat/room1", agent, open, nullptr),
            SubscribeDecision::kAllow);
  EXPECT_EQ(CheckSubscribe("/chat/*", agent, open, nullptr),
            SubscribeDecision::kAllow);
  EXPECT_EQ(CheckSubscribe("/chat", agent, open, nullptr),
            SubscribeDecision::kDeny);
  EXPECT_EQ(CheckSubscribe("/**", agent, open, nullptr),
            SubscribeDecision::kDeny);
  EXPECT_EQ(CheckPublish("/chat/room1", open), PublishDecision::kOpen);
  EXPECT_EQ(CheckPublish("/chat/*", open), PublishDecision::kDeny);
  EXPECT_EQ(CheckPublish("/v2/me/workitems", open), PublishDecision::kDeny);
  EXPECT_EQ(CheckPublish("/meta/foo", open), PublishDecision::kDeny);
  EXPECT_EQ(CheckPublish("/service/echo", open), PublishDecision::kService);
  EXPECT_EQ(CheckPublish("/elsewhere", open), PublishDecision::kDeny);
}

}  // namespace
}  // namespace workbind::cometd
