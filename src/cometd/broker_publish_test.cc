// Broker publishes over the subscription index: exact and wildcard
// subscriptions, one copy per session, unsubscribe, the end of a session, a
// session ended by overflow in the middle of a delivery, and contact-center
// isolation.
#include <gtest/gtest.h>

#include "cometd/broker_test_fixture.h"

namespace workbind::cometd {
namespace {
namespace json = boost::json;
using testing::BrokerTest;
using testing::CapturedReply;

class BrokerPublishTest : public BrokerTest {
 protected:
  BrokerPublishTest() {
    BrokerSettings s;
    s.open_channels = {"/chat/**"};
    Build(s);
  }
  CapturedReply Publish(const std::string& client_id,
                        const std::string& channel,
                        const std::string& cookie = "JSESSIONID=s-alice") {
    return Post(R"([{"id":"6","channel":")" + channel +
                    R"(","data":{"n":1},"clientId":")" + client_id + "\"}]",
                cookie);
  }
  CapturedReply Unsubscribe(const std::string& client_id,
                            const std::string& subscription,
                            const std::string& cookie) {
    return Post(R"([{"id":"4","channel":"/meta/unsubscribe","clientId":")" +
                    client_id + R"(","subscription":)" + subscription + "}]",
                cookie);
  }
};

TEST_F(BrokerPublishTest, ExactAndWildcardSubscribersEachGetOneCopy) {
  std::string alice = Open();
  std::string bob = Open("JSESSIONID=s-bob");
  std::string bob2 = Open("JSESSIONID=s-bob");
  std::string sam = Open("JSESSIONID=s-sam");
  // bob: three patterns matching the channel; bob2: one segment too short.
  Sub(bob, R"(["/chat/room/1","/chat/room/*","/chat/**"])", "JSESSIONID=s-bob");
  Sub(bob2, R"("/chat/*")", "JSESSIONID=s-bob");
  Sub(sam, R"("/chat/room/1/**")", "JSESSIONID=s-sam");
  CapturedReply bob_held = Post(Connect(bob), "JSESSIONID=s-bob");
  CapturedReply bob2_held = Post(Connect(bob2), "JSESSIONID=s-bob");
  CapturedReply sam_held = Post(Connect(sam), "JSESSIONID=s-sam");

  CapturedReply pub = Publish(alice, "/chat/room/1");
  ASSERT_TRUE(pub.done());
  ASSERT_TRUE(bob_held.done());
  EXPECT_EQ(Count(bob_held.messages(), "/chat/room/1"), 1);
  EXPECT_EQ(Find(bob_held.messages(), "/chat/room/1"),
            json::parse(R"({"channel":"/chat/room/1","data":{"n":1}})"));
  EXPECT_FALSE(bob2_held.done());  // /chat/* is one segment only
  EXPECT_FALSE(sam_held.done());   // /chat/room/1/** is below the channel

  CapturedReply deep = Publish(alice, "/chat/room/1/x");
  ASSERT_TRUE(sam_held.done());
  EXPECT_EQ(Count(sam_held.messages(), "/chat/room/1/x"), 1);
  EXPECT_FALSE(bob2_held.done());
}

// The usual connect reply is written as text: exact bytes, string or
// number id.
TEST_F(BrokerPublishTest, ReleasedConnectReplyText) {
  std::string alice = Open();
  std::string bob = Open("JSESSIONID=s-bob");
  Sub(bob, R"("/chat/**")", "JSESSIONID=s-bob");
  CapturedReply held = Post(Connect(bob, "", "12"), "JSESSIONID=s-bob");
  Publish(alice, "/chat/a");
  ASSERT_TRUE(held.done());
  EXPECT_EQ(held.body(),
            R"([{"channel":"/chat/a","data":{"n":1}},{"id":"12",)"
            R"("channel":"/meta/connect","successful":true,"clientId":")" +
                bob + "\"}]");
  CapturedReply numeric =
      Post(R"([{"id":7,"channel":"/meta/connect","connectionType":)"
           R"("long-polling","clientId":")" +
               bob + "\"}]",
           "JSESSIONID=s-bob");
  Publish(alice, "/chat/b");
  ASSERT_TRUE(numeric.done());
  json::object reply = Find(numeric.messages(), "/meta/connect");
  EXPECT_EQ(reply, json::parse(R"({"id":7,"channel":"/meta/connect",)"
                               R"("successful":true,"clientId":")" +
                               bob + "\"}"));
}

TEST_F(BrokerPublishTest, UnsubscribeStopsOnlyThatPattern) {
  std::string alice = Open();
  std::string bob = Open("JSESSIONID=s-bob");
  Sub(bob, R"(["/chat/room/1","/chat/**"])", "JSESSIONID=s-bob");
  ASSERT_EQ(Unsubscribe(bob, R"("/chat/**")", "JSESSIONID=s-bob")
                .messages()
                .back()
                .as_object()
                .at("successful"),
            true);
  CapturedReply held = Post(Connect(bob), "JSESSIONID=s-bob");
  Publish(alice, "/chat/room/2");
  EXPECT_FALSE(held.done());  // /chat/** is gone
  Publish(alice, "/chat/room/1");
  ASSERT_TRUE(held.done());  // /chat/room/1 stays
  EXPECT_EQ(Count(held.messages(), "/chat/room/1"), 1);
  EXPECT_EQ(Count(held.messages(), "/chat/room/2"), 0);

  Unsubscribe(bob, R"("/chat/room/1")", "JSESSIONID=s-bob");
  CapturedReply again = Post(Connect(bob, "", "5"), "JSESSIONID=s-bob");
  Publish(alice, "/chat/room/1");
  EXPECT_FALSE(again.done());
  EXPECT_EQ(broker_->QueuedMessages(), 0u);
}

TEST_F(BrokerPublishTest, EndedSessionsAreNoLongerTargets) {
  std::string alice = Open();
  std::string bob = Open("JSESSIONID=s-bob");
  std::string bob2 = Open("JSESSIONID=s-bob");
  Sub(bob, R"("/chat/**")", "JSESSIONID=s-bob");
  Sub(bob2, R"("/chat/**")", "JSESSIONID=s-bob");
  Post(Disconnect(bob), "JSESSIONID=s-bob");
  CapturedReply held = Post(Connect(bob2), "JSESSIONID=s-bob");
  CapturedReply pub = Publish(alice, "/chat/a");
  ASSERT_TRUE(held.done());
  EXPECT_EQ(Count(held.messages(), "/chat/a"), 1);
  EXPECT_EQ(broker_->QueuedMessages(), 0u);  // nothing queued for bob
  // The HTTP session of bob ends: its sessions go, and so do their entries.
  broker_->HttpSessionEnded("s-bob");
  Publish(alice, "/chat/a");
  EXPECT_EQ(broker_->QueuedMessages(), 0u);
  EXPECT_EQ(broker_->SessionCount(), 1u);
}

TEST_F(BrokerPublishTest, OverflowEndsOneTargetAndTheOthersStillReceive) {
  BrokerSettings s;
  s.open_channels = {"/chat/**"};
  s.max_queue = 1;
  Build(s);
  std::string alice = Open();
  std::string bob = Open("JSESSIONID=s-bob");
  std::string bob2 = Open("JSESSIONID=s-bob");
  Sub(bob, R"("/chat/**")", "JSESSIONID=s-bob");
  Sub(bob2, R"("/chat/b")", "JSESSIONID=s-bob");
  CapturedReply bob_held = Post(Connect(bob), "JSESSIONID=s-bob");
  CapturedReply bob2_held = Post(Connect(bob2), "JSESSIONID=s-bob");
  // Both connects are answered after the two publishes: bob, waiting for
  // that with two events queued, overflows on the second.
  CapturedReply pub =
      Post(R"([{"id":"6","channel":"/chat/a","data":1,"clientId":")" + alice +
           R"("},{"id":"7","channel":"/chat/b","data":2,"clientId":")" + alice +
           "\"}]");
  ASSERT_TRUE(pub.done());
  ASSERT_TRUE(bob_held.done());
  json::object bob_reply = Find(bob_held.messages(), "/meta/connect");
  EXPECT_EQ(bob_reply.at("successful"), false);
  EXPECT_EQ(bob_reply.at("advice").at("reconnect"), "handshake");
  ASSERT_TRUE(bob2_held.done());
  EXPECT_EQ(Count(bob2_held.messages(), "/chat/b"), 1);
  EXPECT_EQ(broker_->SessionCount(), 2u);  // bob ended by overflow
  EXPECT_EQ(broker_->Metrics()
                .sessions_ended_total[static_cast<int>(EndReason::kOverflow)],
            1u);
  Publish(alice, "/chat/b");                 // no dangling target left behind
  EXPECT_EQ(broker_->QueuedMessages(), 1u);  // bob2's, no connect held
}

TEST_F(BrokerPublishTest, ContactCentersAreIsolated) {
  std::string alice = Open();
  std::string carl = Open("JSESSIONID=s-carl");
  Sub(alice, R"("/chat/**")");
  Sub(carl, R"("/chat/**")", "JSESSIONID=s-carl");
  CapturedReply alice_held = Post(Connect(alice));
  CapturedReply carl_held = Post(Connect(carl), "JSESSIONID=s-carl");
  Publish(carl, "/chat/x", "JSESSIONID=s-carl");
  ASSERT_TRUE(carl_held.done());  // the publisher's own copy
  EXPECT_EQ(Count(carl_held.messages(), "/chat/x"), 1);
  EXPECT_FALSE(alice_held.done());
  EXPECT_EQ(broker_->QueuedMessages(), 0u);
}

}  // namespace
}  // namespace workbind::cometd
