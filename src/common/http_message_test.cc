#include "common/http_message.h"

#include <gtest/gtest.h>

namespace workbind {
namespace {

TEST(HttpMessage, TrimOwsDropsSpacesAndTabsAroundOnly) {
  EXPECT_EQ(TrimOws(" \t a b \t "), "a b");
  EXPECT_EQ(TrimOws("x"), "x");
  EXPECT_EQ(TrimOws(" \t "), "");
  EXPECT_EQ(TrimOws(""), "");
  EXPECT_EQ(TrimOws("\na\r"), "\na\r");  // only HTTP's optional whitespace
}

TEST(HttpMessage, PercentDecode) {
  EXPECT_EQ(PercentDecode("a%2Fb%2fc", false), "a/b/c");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("100%", true), "100%");    // no two digits
  EXPECT_EQ(PercentDecode("%zz%4", true), "%zz%4");  // not hex, cut short
}

TEST(HttpMessage, EqualsIgnoreCaseAsciiOnly) {
  EXPECT_TRUE(EqualsIgnoreCase("Content-Type", "content-type"));
  EXPECT_FALSE(EqualsIgnoreCase("Content-Type", "content-typ"));
  EXPECT_FALSE(EqualsIgnoreCase("a", "b"));
}

}  // namespace
}  // namespace workbind
