#include "domain/core/user_data.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace workbind::domain {
namespace {
namespace json = boost::json;

TEST(UserData, ValuesMustBeStringsOrNumbers) {
  EXPECT_TRUE(ValidateUserDataValues({{"a", "x"}, {"b", 2}, {"c", 2.5}}).ok());
  EXPECT_EQ(ValidateUserDataValues({{"a", true}}).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(ValidateUserDataValues({{"a", json::array()}}).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(ValidateUserDataValues({{"a", nullptr}}).code(),
            Code::kInvalidArgument);
}

TEST(UserData, NumbersBeyondTheDoubleRangeAreRefused) {
  // What the parser makes of 1e400 and -1e400.
  const json::value big = json::parse(R"({"n":1e400,"m":-1e400})");
  EXPECT_EQ(ValidateUserDataValues({{"n", big.at("n")}}).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(ValidateUserDataValues({{"m", big.at("m")}}).code(),
            Code::kInvalidArgument);
  // Large but finite numbers, and underflow to zero, are kept.
  const json::value ok = json::parse(R"({"k":1e300,"j":1e-400})");
  EXPECT_TRUE(ValidateUserDataValues(ok.as_object()).ok());
}

TEST(UserData, KeyAndStringLimits) {
  EXPECT_EQ(ValidateUserDataValues({{"", "x"}}).code(), Code::kInvalidArgument);
  EXPECT_TRUE(ValidateUserDataValues({{std::string(128, 'k'), "x"}}).ok());
  EXPECT_EQ(ValidateUserDataValues({{std::string(129, 'k'), "x"}}).code(),
            Code::kInvalidArgument);
  // 128 characters of two bytes each are still 128 characters.
  std::string wide;
  for (int i = 0; i < 128; ++i) wide += "\xC3\xA9";
  EXPECT_TRUE(ValidateUserDataValues({{wide, "x"}}).ok());
  EXPECT_EQ(ValidateUserDataValues({{"a\tb", "x"}}).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(ValidateUserDataValues({{"a\xC2\x85", "x"}}).code(),
            Code::kInvalidArgument);
  EXPECT_TRUE(ValidateUserDataValues({{"a", std::string(16384, 'v')}}).ok());
  EXPECT_EQ(ValidateUserDataValues({{"a", std::string(16385, 'v')}}).code(),
            Code::kInvalidArgument);
}

TEST(UserData, SystemKeysAreReadOnlyAfterTypeChecks) {
  Status st = ValidateUserDataValues({{"Workbin", "x"}});
  EXPECT_EQ(st.code(), Code::kReadOnly);
  EXPECT_EQ(st.message(), "userData key 'Workbin' is read-only");
  // A type error anywhere comes first.
  EXPECT_EQ(
      ValidateUserDataValues({{"InteractionId", "x"}, {"b", true}}).code(),
      Code::kInvalidArgument);
  EXPECT_EQ(ValidateUserDataDeletion({"Outcome", "ContactId"}).code(),
            Code::kReadOnly);
  EXPECT_TRUE(ValidateUserDataDeletion({"Outcome"}).ok());
  for (const char* k :
       {"InteractionId", "ContactId", "Workbin", "WorkbinAgentId",
        "WorkbinPlaceId", "WorkbinAgentGroupId", "WorkbinPlaceGroupId"})
    EXPECT_TRUE(IsSystemUserDataKey(k)) << k;
  EXPECT_FALSE(IsSystemUserDataKey("Subject"));
}

TEST(UserData, MergeKeepsOrderAndCountsKeys) {
  json::object cur{{"InteractionId", "X"}, {"a", 1}};
  auto merged = MergeUserData(cur, {{"a", 2}, {"b", "y"}});
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(SerializeUserData(*merged),
            R"({"InteractionId":"X","a":2,"b":"y"})");
  json::object big;
  for (int i = 0; i < 255; ++i)
    big[std::string("k").append(std::to_string(i))] = i;
  EXPECT_TRUE(MergeUserData(big, {{"last", 1}}).ok());
  EXPECT_EQ(MergeUserData(big, {{"x", 1}, {"y", 2}}).status().code(),
            Code::kInvalidArgument);
}

TEST(UserData, RemoveIgnoresAbsentKeys) {
  std::vector<std::string> removed;
  auto out =
      RemoveUserData({{"a", 1}, {"b", 2}, {"c", 3}}, {"b", "zz"}, &removed);
  EXPECT_EQ(SerializeUserData(out), R"({"a":1,"c":3})");
  EXPECT_EQ(removed, std::vector<std::string>{"b"});
  EXPECT_TRUE(ParseUserData("not json").empty());
}

}  // namespace
}  // namespace workbind::domain
