#include "domain/workbins/workbin_operations.h"

#include <gtest/gtest.h>

namespace workbind::domain {
namespace {

TEST(WorkbinOperations, ParsesEveryAddAndPullName) {
  struct Case {
    const char* name;
    bool add;
    const char* media;
  };
  for (const Case& c :
       {Case{"AddInteraction", true, ""},
        Case{"AddInteractionToWorkbin", true, ""},
        Case{"AddEmail", true, "email"}, Case{"AddChat", true, "chat"},
        Case{"AddWorkitem", true, "workitem"}, Case{"AddTweet", true, "tweet"},
        Case{"AddFacebook", true, "facebook"},
        Case{"AddFacebooksession", true, "facebooksession"},
        Case{"AddOpenmedia", true, "openmedia"},
        Case{"PullInteraction", false, ""}, Case{"PullEmail", false, "email"},
        Case{"PullChat", false, "chat"},
        Case{"PullWorkitem", false, "workitem"},
        Case{"PullTweet", false, "tweet"},
        Case{"PullFacebook", false, "facebook"},
        Case{"PullFacebooksession", false, "facebooksession"},
        Case{"PullOpenmedia", false, "openmedia"}}) {
    auto op = ParseWorkbinItemOperation(c.name);
    ASSERT_TRUE(op.has_value()) << c.name;
    EXPECT_EQ(op->add, c.add) << c.name;
    EXPECT_EQ(op->media, c.media) << c.name;
  }
  for (const char* bad : {"Add", "Pull", "PullInteractionToWorkbin",
                          "Subscribe", "addEmail", "AddEmails", ""})
    EXPECT_FALSE(ParseWorkbinItemOperation(bad).has_value()) << bad;
}

TEST(WorkbinOperations, MediaMatching) {
  EXPECT_TRUE(WorkbinOperationMatches("", "email"));
  EXPECT_TRUE(WorkbinOperationMatches("", "promotion"));
  EXPECT_TRUE(WorkbinOperationMatches("email", "email"));
  EXPECT_FALSE(WorkbinOperationMatches("email", "workitem"));
  EXPECT_TRUE(WorkbinOperationMatches("tweet", "tweet"));
  EXPECT_TRUE(WorkbinOperationMatches("openmedia", "promotion"));
  EXPECT_FALSE(WorkbinOperationMatches("openmedia", "tweet"));
  EXPECT_FALSE(WorkbinOperationMatches("openmedia", "facebooksession"));
  EXPECT_FALSE(WorkbinOperationMatches("openmedia", "workitem"));
}

}  // namespace
}  // namespace workbind::domain
