#include "common/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace workbind::ids {
namespace {

// The derived ids of the demo contact center (its documented id table).
TEST(Uuid5, DemoContactCenterIds) {
  EXPECT_EQ(Derive("contact-center/demo"),
            "9dd4189d-90ea-55aa-949a-05882002d93f");
  EXPECT_EQ(StripDashes(Derive("user/demo/alice")),
            "1b90bfb1f4335e9587c3f500f9e4432e");
  EXPECT_EQ(StripDashes(Derive("user/demo/bob")),
            "73d2f7a894d552309abd065b9c122c0b");
  EXPECT_EQ(StripDashes(Derive("user/demo/sam")),
            "e876e3db88f7593d9124b29d562465cb");
  EXPECT_EQ(StripDashes(Derive("user/demo/ops")),
            "2454828ac0b753e9a505e1e8c600567a");
  EXPECT_EQ(StripDashes(Derive("user/demo/feeder")),
            "d15a3bbfd4fb5b91b0eb041de49368ab");
  EXPECT_EQ(Derive("place/demo/place-1"),
            "def7f67c-64b6-55ff-b849-4b3e0e0a867b");
  EXPECT_EQ(Derive("place/demo/place-2"),
            "7dd43587-7a5b-5f9e-87ad-32c0f1487068");
  EXPECT_EQ(Derive("place-group/demo/floor-1"),
            "5507d940-c6ee-5dc2-9dd6-ee9ad274128c");
  EXPECT_EQ(Derive("agent-group/demo/team-a"),
            "efe27d28-2710-5fb0-aadd-d79da75d37f1");
  EXPECT_EQ(Derive("queue/demo/workitems-in"),
            "ce726aca-110f-5a8e-bf93-f585d4a50628");
  EXPECT_EQ(Derive("queue/demo/emails-in"),
            "25c1a1ef-cd8f-55d6-b54b-35f5ca07ea9e");
  EXPECT_EQ(Derive("workbin-definition/demo/email-in-progress"),
            "f98ef68e-797c-5cbc-aa4e-4b8dea4558dc");
  EXPECT_EQ(StripDashes(Derive("system-admin/root")),
            "badd918be7b85f7a9c112ac694b5ead1");
  EXPECT_EQ(Derive("workbin/f98ef68e-797c-5cbc-aa4e-4b8dea4558dc/Agent/"
                   "1b90bfb1f4335e9587c3f500f9e4432e"),
            "3569d15d-3143-5ada-91b1-415626f3dbcc");
}

TEST(Uuid5, Rfc4122DnsExample) {
  // python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
  EXPECT_EQ(Uuid5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

TEST(RandomIds, FormatsAndUniqueness) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string u = RandomUuid4();
    ASSERT_TRUE(IsUuid(u)) << u;
    EXPECT_EQ(u[14], '4');
    EXPECT_TRUE(seen.insert(u).second);
  }
  EXPECT_TRUE(IsHex32(RandomHex(16)));
  std::string upper = RandomHexUpper(16);
  EXPECT_EQ(upper.size(), 32u);
  EXPECT_EQ(upper.find_first_not_of("0123456789ABCDEF"), std::string::npos);
}

TEST(InteractionIds, TimeOrderedAndWellFormed) {
  std::string a = NewInteractionId(1715679012000);
  std::string b = NewInteractionId(1715679012001);
  ASSERT_EQ(a.size(), 16u);
  EXPECT_EQ(a.find_first_not_of("0123456789ABCDEFGHJKMNPQRSTVWXYZ"),
            std::string::npos);
  EXPECT_LT(a.substr(0, 10), b.substr(0, 10));
  EXPECT_TRUE(IsInteractionIdLike(a));
  EXPECT_FALSE(IsInteractionIdLike("bad id"));
  EXPECT_FALSE(IsInteractionIdLike(""));
}

TEST(Formats, Checks) {
  EXPECT_TRUE(IsUuid("3569d15d-3143-5ada-91b1-415626f3dbcc"));
  EXPECT_FALSE(IsUuid("3569D15D-3143-5ada-91b1-415626f3dbcc"));
  EXPECT_FALSE(IsUuid("3569d15d31435ada91b1415626f3dbcc"));
  EXPECT_TRUE(IsContactId("0000DaA3G4VF000Q"));
  EXPECT_FALSE(IsContactId("a b"));
}

}  // namespace
}  // namespace workbind::ids
