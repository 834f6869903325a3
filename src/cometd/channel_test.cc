#include "cometd/channel.h"

#include <gtest/gtest.h>

namespace workbind::cometd {
namespace {

TEST(ChannelTest, NormalizeAcceptsValidNames) {
  EXPECT_EQ(NormalizeChannel("/v2/me/workitems"), "/v2/me/workitems");
  EXPECT_EQ(NormalizeChannel("/v2/me/"), "/v2/me");  // one trailing '/' removed
  EXPECT_EQ(NormalizeChannel("/v2/me/*"), "/v2/me/*");
  EXPECT_EQ(NormalizeChannel("/**"), "/**");
  EXPECT_EQ(NormalizeChannel("/chat/a b!#$()+-.@_{}~"),
            "/chat/a b!#$()+-.@_{}~");
}

TEST(ChannelTest, NormalizeRejectsInvalidNames) {
  EXPECT_FALSE(NormalizeChannel(""));
  EXPECT_FALSE(NormalizeChannel("/"));
  EXPECT_FALSE(NormalizeChannel("v2/me"));
  EXPECT_FALSE(NormalizeChannel("/v2//me"));
  EXPECT_FALSE(NormalizeChannel("/v2/me//"));
  EXPECT_FALSE(NormalizeChannel("/v2/*/workitems"));
  EXPECT_FALSE(NormalizeChannel("/v2/me*"));
  EXPECT_FALSE(NormalizeChannel("/v2/***"));
  EXPECT_FALSE(NormalizeChannel("/v2/m%e"));
  EXPECT_FALSE(NormalizeChannel("/v2/\xc3\xa9"));
}

TEST(ChannelTest, Wildcards) {
  EXPECT_TRUE(ChannelMatches("/v2/me/*", "/v2/me/workitems"));
  EXPECT_FALSE(ChannelMatches("/v2/me/*", "/v2/me/a/b"));
  EXPECT_FALSE(ChannelMatches("/v2/me/*", "/v2/me"));
  EXPECT_TRUE(ChannelMatches("/v2/me/**", "/v2/me/a/b"));
  EXPECT_TRUE(ChannelMatches("/v2/me/**", "/v2/me/a"));
  EXPECT_FALSE(ChannelMatches("/v2/me/**", "/v2/me"));
  EXPECT_FALSE(ChannelMatches("/v2/me/**", "/v2/meow/a"));
  EXPECT_TRUE(ChannelMatches("/**", "/anything/at/all"));
  EXPECT_TRUE(ChannelMatches("/*", "/top"));
  EXPECT_FALSE(ChannelMatches("/*", "/top/next"));
  EXPECT_TRUE(ChannelMatches("/v2/me/workitems", "/v2/me/workitems"));
  EXPECT_FALSE(ChannelMatches("/v2/me/workitems", "/v2/me/emails"));
  EXPECT_TRUE(IsWildcard("/a/*"));
  EXPECT_TRUE(IsWildcard("/a/**"));
  EXPECT_FALSE(IsWildcard("/a/b"));
}

TEST(ChannelTest, Covers) {
  EXPECT_TRUE(PatternCovers("/chat/**", "/chat/room1"));
  EXPECT_TRUE(PatternCovers("/chat/**", "/chat/*"));
  EXPECT_TRUE(PatternCovers("/chat/**", "/chat/a/**"));
  EXPECT_TRUE(PatternCovers("/chat/**", "/chat/**"));
  EXPECT_FALSE(PatternCovers("/chat/*", "/chat/**"));
  EXPECT_TRUE(PatternCovers("/chat/*", "/chat/*"));
  EXPECT_FALSE(PatternCovers("/chat/*", "/chat/a/*"));
  EXPECT_FALSE(PatternCovers("/chat/**", "/chat"));
  EXPECT_FALSE(PatternCovers("/chat/**", "/**"));
  EXPECT_FALSE(PatternCovers("/chat/room1", "/chat/*"));
}

TEST(ChannelTest, Overlap) {
  EXPECT_TRUE(PatternsOverlap("/**", "/v2/**"));
  EXPECT_TRUE(PatternsOverlap("/v2/*", "/v2/**"));
  EXPECT_TRUE(PatternsOverlap("/v2/me", "/v2/**"));
  EXPECT_FALSE(PatternsOverlap("/chat/**", "/v2/**"));
  EXPECT_FALSE(PatternsOverlap("/*", "/v2/**"));
  EXPECT_FALSE(PatternsOverlap("/v2", "/v2/**"));
  EXPECT_TRUE(PatternsOverlap("/a/b/**", "/a/**"));
  EXPECT_TRUE(PatternsOverlap("/a/b/*", "/a/**"));
  EXPECT_FALSE(PatternsOverlap("/a/b/c/*", "/a/*"));
}

TEST(ChannelTest, Segments) {
  EXPECT_EQ(FirstSegment("/meta/connect"), "meta");
  EXPECT_EQ(FirstSegment("/v2"), "v2");
  EXPECT_TRUE(IsMetaChannel("/meta/connect"));
  EXPECT_FALSE(IsMetaChannel("/metadata"));
  EXPECT_TRUE(IsServiceChannel("/service/x"));
}

}  // namespace
}  // namespace workbind::cometd
