#include "domain/interactions/interaction_history.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace workbind::domain {
namespace {
namespace json = boost::json;

TEST(InteractionHistory, RendersOnlyTheKeysAnEventHolds) {
  storage::HistoryEventRecord offered;
  offered.seq = 2;
  offered.at_ms = 1715679400118;  // 2024-05-14T09:36:40.118Z
  offered.event = "Offered";
  offered.state = "Invited";
  offered.owner_id = "u1";
  offered.from_queue = "workitems-in";
  offered.details = R"({"reason":"routing"})";
  EXPECT_EQ(json::serialize(RenderHistoryEvent(offered)),
            R"({"seq":2,"at":"2024-05-14T09:36:40.118Z","event":"Offered",)"
            R"("state":"Invited","ownerId":"u1","fromQueue":"workitems-in",)"
            R"("details":{"reason":"routing"}})");

  storage::HistoryEventRecord added;
  added.seq = 6;
  added.at_ms = 0;
  added.event = "AddedToWorkbin";
  added.user_id = "u1";
  added.user_name = "alice";
  added.reference_id = 16;
  added.state = "InWorkbin";
  added.to_workbin_id = "w1";
  EXPECT_EQ(
      json::serialize(RenderHistoryEvent(added)),
      R"({"seq":6,"at":"1970-01-01T00:00:00.000Z","event":"AddedToWorkbin",)"
      R"("userId":"u1","userName":"alice","referenceId":16,)"
      R"("state":"InWorkbin","toWorkbinId":"w1"})");
}

TEST(InteractionHistory, ActorsAndOffereesAppear) {
  std::vector<storage::HistoryEventRecord> events(2);
  events[0].user_id = "feeder";
  events[1].owner_id = "alice";
  EXPECT_TRUE(AppearsInHistory(events, "feeder"));
  EXPECT_TRUE(AppearsInHistory(events, "alice"));
  EXPECT_FALSE(AppearsInHistory(events, "carol"));
  EXPECT_FALSE(AppearsInHistory(events, ""));
}

}  // namespace
}  // namespace workbind::domain
