// Which X-Request-Id values are kept, and the ids made for the others.
#include "app/request_id.h"

#include <gtest/gtest.h>

#include <set>

namespace workbind::app {
namespace {

TEST(RequestId, AcceptsPrintableAsciiUpTo128) {
  EXPECT_TRUE(AcceptableRequestId("a"));
  EXPECT_TRUE(AcceptableRequestId("7f3c9a2e-1b4d-4c8e-9f00-123456789abc"));
  EXPECT_TRUE(AcceptableRequestId("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"));
  EXPECT_TRUE(AcceptableRequestId(std::string(128, 'x')));
}

TEST(RequestId, RefusesEmptyLongSpacedControlOrNonAscii) {
  EXPECT_FALSE(AcceptableRequestId(""));
  EXPECT_FALSE(AcceptableRequestId(std::string(129, 'x')));
  EXPECT_FALSE(AcceptableRequestId("a b"));
  EXPECT_FALSE(AcceptableRequestId("a\tb"));
  EXPECT_FALSE(AcceptableRequestId("a\nb"));
  EXPECT_FALSE(AcceptableRequestId(std::string("a\0b", 3)));
  EXPECT_FALSE(AcceptableRequestId("a\x7f"));
  EXPECT_FALSE(AcceptableRequestId("caf\xc3\xa9"));
}

TEST(RequestId, KeepsASaneIdAndMakesOneOtherwise) {
  RequestIdSource ids("p");
  EXPECT_EQ(ids.For("from-proxy-42"), "from-proxy-42");
  EXPECT_EQ(ids.For(""), "p-00000001");
  EXPECT_EQ(ids.For("has space"), "p-00000002");
  EXPECT_EQ(ids.Next(), "p-00000003");
}

TEST(RequestId, MadeIdsAreUniqueAndAcceptable) {
  RequestIdSource a, b;
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    for (RequestIdSource* s : {&a, &b}) {
      std::string id = s->Next();
      EXPECT_TRUE(AcceptableRequestId(id)) << id;
      EXPECT_TRUE(seen.insert(id).second) << id;
    }
  }
  // A random prefix of 12 hex digits, a dash, the counter.
  std::string id = a.Next();
  EXPECT_EQ(id.size(), 21u);
  EXPECT_EQ(id[12], '-');
}

}  // namespace
}  // namespace workbind::app
