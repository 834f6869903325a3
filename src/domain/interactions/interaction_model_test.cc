// The capability table, written out again here independently of the
// code: every state x family x operation is either accepted
// (in the capabilities, in wire order) or refused.
#include "domain/interactions/interaction_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

namespace workbind::domain {
namespace {

using F = MediaFamily;
using S = InteractionState;

const std::vector<std::string> kWork = {
    "Transfer",   "AttachUserData", "UpdateUserData", "DeleteUserData",
    "SetInFocus", "Complete",       "PlaceInQueue"};
const std::vector<std::string> kComposing = {
    "AttachUserData", "UpdateUserData", "DeleteUserData", "SetInFocus",
    "Transfer",       "Complete",       "PlaceInQueue"};
const std::vector<std::string> kChatting = {
    "Transfer",       "SetInFocus", "AttachUserData", "DeleteUserData",
    "UpdateUserData", "Complete",   "PlaceInQueue"};
const std::vector<std::string> kOffer = {"Accept", "Reject"};

std::vector<std::string> Expected(S state, F family) {
  switch (state) {
    case S::kInvited:
      return kOffer;
    case S::kProcessing:
      return family == F::kChat ? std::vector<std::string>{} : kWork;
    case S::kComposing:
      return family == F::kEmail ? kComposing : std::vector<std::string>{};
    case S::kChatting:
      return family == F::kChat ? kChatting : std::vector<std::string>{};
    default:
      return {};
  }
}

TEST(CapabilityTable, EveryStateFamilyAndOperation) {
  for (S state : kAllStates) {
    for (F family : {F::kWorkitem, F::kEmail, F::kChat, F::kOpenMedia}) {
      const auto expected = Expected(state, family);
      std::vector<std::string> actual;
      for (InteractionOp op : Capabilities(state, family))
        actual.emplace_back(OpName(op));
      EXPECT_EQ(actual, expected)
          << StateName(state) << " family " << static_cast<int>(family);
      for (InteractionOp op : kAllOps) {
        const bool listed = std::find(expected.begin(), expected.end(),
                                      OpName(op)) != expected.end();
        EXPECT_EQ(Allows(state, family, op), listed)
            << StateName(state) << " " << OpName(op);
      }
    }
  }
}

TEST(CapabilityTable, NamesRoundTrip) {
  for (S s : kAllStates) EXPECT_EQ(ParseState(StateName(s)), s);
  for (InteractionOp op : kAllOps) EXPECT_EQ(ParseOp(OpName(op)), op);
  EXPECT_FALSE(ParseOp("Create").has_value());
  EXPECT_FALSE(ParseState("Ringing").has_value());
  EXPECT_TRUE(IsWorkingState(S::kChatting));
  EXPECT_FALSE(IsWorkingState(S::kInvited));
}

TEST(MediaNames, FamiliesAndPaths) {
  EXPECT_EQ(FamilyOf("workitem"), F::kWorkitem);
  EXPECT_EQ(FamilyOf("email"), F::kEmail);
  EXPECT_EQ(FamilyOf("chat"), F::kChat);
  EXPECT_EQ(FamilyOf("tweet"), F::kOpenMedia);
  EXPECT_EQ(FamilyOf("promotion"), F::kOpenMedia);
  EXPECT_EQ(CanonicalPath("workitem", "A1"), "/workitems/A1");
  EXPECT_EQ(CanonicalPath("email", "A1"), "/emails/A1");
  EXPECT_EQ(CanonicalPath("chat", "A1"), "/chats/A1");
  EXPECT_EQ(CanonicalPath("tweet", "A1"), "/openmedia/tweet/A1");
  EXPECT_EQ(NamesOf(F::kOpenMedia).message_type, "OpenmediaStateChangeMessage");
  EXPECT_EQ(NamesOf(F::kEmail).topic, "emails");
  EXPECT_EQ(NamesOf(F::kChat).type_key, "chatType");
  EXPECT_EQ(NamesOf(F::kWorkitem).singular, "workitem");
}

}  // namespace
}  // namespace workbind::domain
