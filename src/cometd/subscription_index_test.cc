#include "cometd/subscription_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "cometd/session.h"

namespace workbind::cometd {
namespace {

class SubscriptionIndexTest : public ::testing::Test {
 protected:
  // The sessions of `cc` matched by `channel`, in pointer order.
  std::vector<Session*> Match(std::string_view cc, std::string_view channel) {
    std::vector<Session*> out{&stale_};  // Match clears it first
    index_.Match(cc, channel, &out);
    std::sort(out.begin(), out.end());
    return out;
  }
  static std::vector<Session*> Sorted(std::vector<Session*> v) {
    std::sort(v.begin(), v.end());
    return v;
  }

  SubscriptionIndex index_;
  Session a_, b_, c_, stale_;
};

TEST_F(SubscriptionIndexTest, ExactChannel) {
  index_.Add("cc1", "/chat/room/1", &a_);
  index_.Add("cc1", "/chat/room/2", &b_);
  EXPECT_EQ(Match("cc1", "/chat/room/1"), std::vector<Session*>{&a_});
  EXPECT_EQ(Match("cc1", "/chat/room/2"), std::vector<Session*>{&b_});
  EXPECT_TRUE(Match("cc1", "/chat/room").empty());
  EXPECT_TRUE(Match("cc1", "/chat/room/1/x").empty());
  EXPECT_TRUE(Match("cc1", "/chat/room/10").empty());
}

TEST_F(SubscriptionIndexTest, OneSegmentWildcard) {
  index_.Add("cc1", "/chat/*", &a_);
  EXPECT_EQ(Match("cc1", "/chat/room"), std::vector<Session*>{&a_});
  EXPECT_TRUE(Match("cc1", "/chat/room/1").empty());  // exactly one segment
  EXPECT_TRUE(Match("cc1", "/chat").empty());
  EXPECT_TRUE(Match("cc1", "/chatter/room").empty());
  index_.Add("cc1", "/*", &b_);
  EXPECT_EQ(Match("cc1", "/top"), std::vector<Session*>{&b_});
  EXPECT_TRUE(Match("cc1", "/top/next").empty());
}

TEST_F(SubscriptionIndexTest, AnyDepthWildcard) {
  index_.Add("cc1", "/chat/**", &a_);
  index_.Add("cc1", "/**", &b_);
  EXPECT_EQ(Match("cc1", "/chat/room"), Sorted({&a_, &b_}));
  EXPECT_EQ(Match("cc1", "/chat/room/1/deep"), Sorted({&a_, &b_}));
  EXPECT_EQ(Match("cc1", "/chat"), std::vector<Session*>{&b_});
  EXPECT_EQ(Match("cc1", "/chatter/x"), std::vector<Session*>{&b_});
}

TEST_F(SubscriptionIndexTest, SessionMatchedByManyPatternsAppearsOnce) {
  index_.Add("cc1", "/chat/room/1", &a_);
  index_.Add("cc1", "/chat/room/*", &a_);
  index_.Add("cc1", "/chat/**", &a_);
  index_.Add("cc1", "/chat/room/*", &b_);
  EXPECT_EQ(Match("cc1", "/chat/room/1"), Sorted({&a_, &b_}));
}

TEST_F(SubscriptionIndexTest, RemoveForgetsOnlyThatPattern) {
  index_.Add("cc1", "/chat/room/1", &a_);
  index_.Add("cc1", "/chat/**", &a_);
  index_.Add("cc1", "/chat/room/1", &b_);
  index_.Remove("cc1", "/chat/room/1", &a_);
  EXPECT_EQ(Match("cc1", "/chat/room/1"), Sorted({&a_, &b_}));  // via /**
  index_.Remove("cc1", "/chat/**", &a_);
  EXPECT_EQ(Match("cc1", "/chat/room/1"), std::vector<Session*>{&b_});
  index_.Remove("cc1", "/chat/**", &a_);      // not there: no-op
  index_.Remove("cc1", "/chat/room/9", &a_);  // unknown pattern: no-op
  index_.Remove("cc9", "/chat/room/1", &b_);  // unknown contact center
  EXPECT_EQ(Match("cc1", "/chat/room/1"), std::vector<Session*>{&b_});
  EXPECT_EQ(index_.PatternCount(), 1u);
}

TEST_F(SubscriptionIndexTest, SessionEndRemovesEveryPatternAndFreesEntries) {
  const std::vector<std::string> patterns = {"/chat/room/1", "/chat/*",
                                             "/chat/**"};
  for (const auto& p : patterns) index_.Add("cc1", p, &a_);
  index_.Add("cc1", "/chat/room/1", &b_);
  for (const auto& p : patterns) index_.Remove("cc1", p, &a_);
  EXPECT_EQ(Match("cc1", "/chat/room/1"), std::vector<Session*>{&b_});
  EXPECT_TRUE(Match("cc1", "/chat/x").empty());
  EXPECT_EQ(index_.PatternCount(), 1u);
  index_.Remove("cc1", "/chat/room/1", &b_);
  EXPECT_EQ(index_.PatternCount(), 0u);
  EXPECT_TRUE(Match("cc1", "/chat/room/1").empty());
}

TEST_F(SubscriptionIndexTest, ContactCentersAreIsolated) {
  index_.Add("cc1", "/chat/room/1", &a_);
  index_.Add("cc2", "/chat/room/1", &b_);
  index_.Add("cc2", "/**", &c_);
  EXPECT_EQ(Match("cc1", "/chat/room/1"), std::vector<Session*>{&a_});
  EXPECT_EQ(Match("cc2", "/chat/room/1"), Sorted({&b_, &c_}));
  EXPECT_TRUE(Match("cc3", "/chat/room/1").empty());
  index_.Remove("cc2", "/chat/room/1", &a_);  // a is not in cc2: no-op
  EXPECT_EQ(Match("cc1", "/chat/room/1"), std::vector<Session*>{&a_});
}

}  // namespace
}  // namespace workbind::cometd
