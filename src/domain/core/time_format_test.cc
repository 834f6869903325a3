#include "domain/core/time_format.h"

#include <gtest/gtest.h>

namespace workbind::domain {
namespace {

// 2024-05-14T09:30:12.000Z
constexpr int64_t kMay14 = 1715679012000;

TEST(TimeFormat, GwsDateInUtc) {
  EXPECT_EQ(FormatGwsDate(kMay14, TimeZone::Utc()),
            "2024-05-14 09:30:12.000+0000");
  EXPECT_EQ(FormatGwsDate(kMay14 + 7, TimeZone::Utc()),
            "2024-05-14 09:30:12.007+0000");
}

TEST(TimeFormat, IsoMillis) {
  EXPECT_EQ(FormatIsoMillis(kMay14 + 118), "2024-05-14T09:30:12.118Z");
  EXPECT_EQ(FormatIsoMillis(0), "1970-01-01T00:00:00.000Z");
}

TEST(TimeFormat, EveryFieldAtItsWidestAndBeforeTheEpoch) {
  // 9999-12-31T23:59:59.999Z and 1969-12-31T23:59:59.999Z.
  EXPECT_EQ(FormatIsoMillis(253402300799999), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatGwsDate(253402300799999, TimeZone::Utc()),
            "9999-12-31 23:59:59.999+0000");
  EXPECT_EQ(FormatIsoMillis(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatGwsDate(-1, TimeZone::Utc()), "1969-12-31 23:59:59.999+0000");
  // Year 10000 and a year before 0 keep the printf form.
  EXPECT_EQ(FormatIsoMillis(253402300800000), "10000-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoMillis(-62167219200001), "-001-12-31T23:59:59.999Z");
}

TEST(TimeFormat, NamedZonesFollowDaylightSaving) {
  auto paris = TimeZone::Load("Europe/Paris");
  if (!paris.ok()) GTEST_SKIP() << "no tz database";
  EXPECT_EQ(FormatGwsDate(kMay14, *paris), "2024-05-14 11:30:12.000+0200");
  // 2024-01-15T12:00:00Z, winter time.
  EXPECT_EQ(FormatGwsDate(1705320000000, *paris),
            "2024-01-15 13:00:00.000+0100");
  auto ny = TimeZone::Load("America/New_York");
  ASSERT_TRUE(ny.ok());
  EXPECT_EQ(FormatGwsDate(kMay14, *ny), "2024-05-14 05:30:12.000-0400");
}

TEST(TimeFormat, UnknownZones) {
  EXPECT_TRUE(TimeZone::Load("UTC").ok());
  EXPECT_FALSE(TimeZone::Load("Mars/Olympus").ok());
  EXPECT_FALSE(TimeZone::Load("../etc/passwd").ok());
}

}  // namespace
}  // namespace workbind::domain
