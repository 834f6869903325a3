// WsLink: frames leave in Push order, back-to-back event batches share a
// frame, and only the Push that finds the queue idle asks for a Flush.
#include "cometd/ws_link.h"

#include <gtest/gtest.h>

#include "cometd/test_fakes.h"

namespace workbind::cometd {
namespace {
namespace json = boost::json;

Batch Events(std::initializer_list<const char*> texts) {
  Batch b;
  for (const char* t : texts)
    b.events.push_back(std::make_shared<const std::string>(t));
  return b;
}

TEST(WsLinkTest, OnlyThePushOntoAnIdleQueueAsksForAFlush) {
  auto conn = std::make_shared<testing::FakeWsConnection>();
  WsLink link(conn);
  EXPECT_TRUE(link.Push(Events({R"({"channel":"/a","data":1})"})));
  EXPECT_FALSE(link.Push(Events({R"({"channel":"/a","data":2})"})));
  Batch reply;
  reply.AddReply(json::object{{"channel", "/meta/connect"}});
  EXPECT_FALSE(link.Push(std::move(reply)));
  EXPECT_FALSE(link.Push(Batch{}));  // empty: nothing queued
  link.Flush();
  ASSERT_EQ(conn->frames.size(), 2u);
  EXPECT_EQ(conn->frames[0],
            R"([{"channel":"/a","data":1},{"channel":"/a","data":2}])");
  EXPECT_EQ(conn->frames[1], R"([{"channel":"/meta/connect"}])");
  // Drained: the next Push asks again.
  EXPECT_TRUE(link.Push(Events({R"({"channel":"/a","data":3})"})));
  link.Flush();
  EXPECT_EQ(conn->frames.size(), 3u);
}

TEST(WsLinkTest, ClosedLinkTakesNothing) {
  auto conn = std::make_shared<testing::FakeWsConnection>();
  WsLink link(conn);
  link.MarkClosed();
  EXPECT_FALSE(link.Push(Events({R"({"channel":"/a","data":1})"})));
  link.Flush();
  EXPECT_TRUE(conn->frames.empty());
}

}  // namespace
}  // namespace workbind::cometd
