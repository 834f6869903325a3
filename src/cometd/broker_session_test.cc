// Broker session lifetime and extensions: queue bound, ack, expiry, HTTP
// session end, shutdown, several clients per browser, timesync.
#include <gtest/gtest.h>

#include "cometd/broker_test_fixture.h"

namespace workbind::cometd {
namespace {
namespace json = boost::json;
using testing::BrokerTest;
using testing::CapturedReply;
using testing::kAlice;
using testing::kBob;
using testing::kCarl;
using testing::kSam;

TEST_F(BrokerTest, QueueOverflowEndsTheSession) {
  BrokerSettings s;
  s.max_queue = 3;
  Build(s);
  std::string cid = Open();
  Sub(cid, R"("/v2/me/*")");
  for (int i = 0; i < 3; ++i)
    broker_->Deliver({Note(kAlice, "workitems", "W")});
  EXPECT_EQ(broker_->QueuedMessages(), 3u);
  EXPECT_EQ(broker_->SessionCount(), 1u);
  broker_->Deliver({Note(kAlice, "workitems", "W")});
  EXPECT_EQ(broker_->SessionCount(), 0u);
  EXPECT_EQ(broker_->QueuedMessages(), 0u);
  EXPECT_EQ(broker_->Metrics()
                .sessions_ended_total[static_cast<int>(EndReason::kOverflow)],
            1u);
  json::object r = Post(Connect(cid)).messages().at(0).as_object();
  EXPECT_EQ(r.at("error"), "402::Unknown client");
  EXPECT_EQ(r.at("advice").at("reconnect"), "handshake");
}

TEST_F(BrokerTest, AckRedeliversUntilAcknowledged) {
  std::string cid = Open("JSESSIONID=s-alice", R"(,"ext":{"ack":true})", false);
  // The handshake reply said ack:true (checked below through batches).
  CapturedReply c1 =
      Post(Connect(cid, R"(,"advice":{"timeout":0},"ext":{"ack":0})"));
  EXPECT_EQ(c1.messages().at(0).at("ext"), json::parse(R"({"ack":1})"));
  Sub(cid, R"("/v2/me/*")");
  broker_->Deliver({Note(kAlice, "workitems", "W", 1)});
  // Not on the subscribe reply: with ack, events ride on connect replies only.
  CapturedReply sub = Post(Subscribe(cid, R"("/v2/me/x")"));
  EXPECT_EQ(sub.messages().size(), 1u);

  CapturedReply c2 = Post(Connect(cid, R"(,"ext":{"ack":1})", "4"));
  ASSERT_TRUE(c2.done());  // events stored: at once
  json::array m2 = c2.messages();
  EXPECT_EQ(Count(m2, "/v2/me/workitems"), 1);
  EXPECT_EQ(Find(m2, "/meta/connect").at("ext"), json::parse(R"({"ack":2})"));

  // The client did not get batch 2: it acks 1 again and receives it again.
  CapturedReply c3 = Post(Connect(cid, R"(,"ext":{"ack":1})", "5"));
  ASSERT_TRUE(c3.done());
  EXPECT_EQ(Count(c3.messages(), "/v2/me/workitems"), 1);
  EXPECT_EQ(Find(c3.messages(), "/meta/connect").at("ext"),
            json::parse(R"({"ack":3})"));

  // Acknowledged: the next connect is held, and a new event releases it.
  CapturedReply c4 = Post(Connect(cid, R"(,"ext":{"ack":3})", "6"));
  EXPECT_FALSE(c4.done());
  EXPECT_EQ(broker_->QueuedMessages(), 0u);
  broker_->Deliver({Note(kAlice, "emails", "E", 2)});
  ASSERT_TRUE(c4.done());
  EXPECT_EQ(Count(c4.messages(), "/v2/me/emails"), 1);
  EXPECT_EQ(Find(c4.messages(), "/meta/connect").at("ext"),
            json::parse(R"({"ack":4})"));

  // Disconnect answers a held connect with the next batch and reconnect none.
  Post(Connect(cid, R"(,"ext":{"ack":4})", "7"));
  CapturedReply held = Post(Connect(cid, R"(,"ext":{"ack":4})", "8"));
  EXPECT_FALSE(held.done());
  Post(Disconnect(cid));
  ASSERT_TRUE(held.done());
  json::object last = held.messages().at(0).as_object();
  EXPECT_EQ(last.at("advice"), json::parse(R"({"reconnect":"none"})"));
  EXPECT_TRUE(last.at("ext").as_object().contains("ack"));
}

TEST_F(BrokerTest, AckHandshakeReply) {
  CapturedReply hs =
      Post(R"([{"id":"1","channel":"/meta/handshake","ext":{"ack":true}}])");
  EXPECT_EQ(hs.messages().at(0).at("ext"), json::parse(R"({"ack":true})"));
  CapturedReply off =
      Post(R"([{"id":"1","channel":"/meta/handshake","ext":{"ack":false}}])");
  EXPECT_FALSE(off.messages().at(0).as_object().contains("ext"));
}

TEST_F(BrokerTest, SessionsExpireWithoutConnects) {
  std::string cid = Open();
  clock_.Advance(9999);
  broker_->Tick();
  EXPECT_EQ(broker_->SessionCount(), 1u);
  clock_.Advance(1001);
  broker_->Tick();
  EXPECT_EQ(broker_->SessionCount(), 0u);
  json::object r = Post(Connect(cid)).messages().at(0).as_object();
  EXPECT_EQ(r.at("advice"),
            json::parse(R"({"reconnect":"handshake","interval":0})"));
}

TEST_F(BrokerTest, HeldSessionsDoNotExpireAndTouchTheirHttpSession) {
  BrokerSettings s;
  s.timeout_ms = 120000;
  s.touch_interval_ms = 30000;
  Build(s);
  std::string cid = Open();
  CapturedReply held = Post(Connect(cid));
  auth_.touched.clear();
  for (int i = 0; i < 4; ++i) {
    clock_.Advance(15000);
    broker_->Tick();
  }
  EXPECT_FALSE(held.done());
  EXPECT_EQ(broker_->SessionCount(), 1u);
  EXPECT_EQ(auth_.touched, (std::vector<std::string>{"s-alice", "s-alice"}));
}

TEST_F(BrokerTest, HttpSessionEndEndsBayeuxSessions) {
  std::string a1 = Open();
  std::string a2 = Open("JSESSIONID=s-alice2");
  CapturedReply held = Post(Connect(a1));
  broker_->HttpSessionEnded("s-alice");
  ASSERT_TRUE(held.done());
  EXPECT_EQ(held.messages().at(0).at("successful"), true);
  EXPECT_EQ(held.messages().at(0).at("advice"),
            json::parse(R"({"reconnect":"none"})"));
  EXPECT_EQ(broker_->SessionCount(), 1u);  // the other HTTP session's stays
  EXPECT_EQ(Post(Subscribe(a1, R"("/v2/me/*")")).messages().at(0).at("error"),
            "402::Unknown client");
  broker_->UserDisabled(kAlice);
  EXPECT_EQ(broker_->SessionCount(), 0u);
  (void)a2;
}

TEST_F(BrokerTest, ShutdownAnswersHeldConnects) {
  std::string cid = Open();
  CapturedReply held = Post(Connect(cid));
  broker_->Shutdown();
  ASSERT_TRUE(held.done());
  // Unsuccessful, so that every client follows the handshake advice.
  EXPECT_EQ(held.messages().at(0).at("advice"),
            json::parse(R"({"reconnect":"handshake","interval":1000})"));
  EXPECT_EQ(held.messages().at(0).at("successful"), false);
  EXPECT_EQ(held.messages().at(0).at("error"), "402::Unknown client");
  CapturedReply later = Post(Connect(cid));
  ASSERT_TRUE(later.done());  // never held after shutdown
  EXPECT_EQ(later.messages().at(0).at("advice").at("reconnect"), "handshake");
  EXPECT_EQ(later.messages().at(0).at("successful"), false);
}

TEST_F(BrokerTest, MultipleClientsPerBrowser) {
  BrokerSettings s;
  s.timeout_ms = 5000;
  Build(s);
  const std::string a = "JSESSIONID=s-alice; BAYEUX_BROWSER=br1";
  const std::string b = "JSESSIONID=s-alice2; BAYEUX_BROWSER=br1";
  std::string c1 = Open(a);
  std::string c2 = Open(b);
  CapturedReply held = Post(Connect(c1), a);
  EXPECT_FALSE(held.done());
  CapturedReply second = Post(Connect(c2), b);
  ASSERT_TRUE(second.done());
  json::object r = second.messages().at(0).as_object();
  EXPECT_EQ(r.at("successful"), true);
  EXPECT_EQ(
      r.at("advice"),
      json::parse(
          R"({"multiple-clients":true,"reconnect":"retry","interval":2000})"));
  // When the first stops holding, the second is held again; its reply
  // carries the normal advice.
  clock_.Advance(5000);
  broker_->Tick();
  ASSERT_TRUE(held.done());
  CapturedReply again = Post(Connect(c2), b);
  EXPECT_FALSE(again.done());
  clock_.Advance(5000);
  broker_->Tick();
  ASSERT_TRUE(again.done());
  EXPECT_EQ(
      again.messages().at(0).at("advice"),
      json::parse(R"({"reconnect":"retry","interval":0,"timeout":5000})"));
  // Without the cookie, connects are not counted.
  CapturedReply c1_held = Post(Connect(c1), a);
  CapturedReply uncounted = Post(Connect(c2), "JSESSIONID=s-alice2");
  EXPECT_FALSE(c1_held.done());
  EXPECT_FALSE(uncounted.done());
}

TEST_F(BrokerTest, MultipleClientsRefusedWithoutInterval) {
  BrokerSettings s;
  s.multi_session_interval_ms = 0;
  Build(s);
  const std::string a = "JSESSIONID=s-alice; BAYEUX_BROWSER=br1";
  const std::string b = "JSESSIONID=s-alice2; BAYEUX_BROWSER=br1";
  std::string c1 = Open(a);
  std::string c2 = Open(b);
  CapturedReply held = Post(Connect(c1), a);
  json::object r = Post(Connect(c2), b).messages().at(0).as_object();
  EXPECT_EQ(r.at("successful"), false);
  EXPECT_EQ(r.at("advice"),
            json::parse(R"({"multiple-clients":true,"reconnect":"none"})"));
}

TEST_F(BrokerTest, Timesync) {
  CapturedReply hs = Post(
      R"([{"id":"1","channel":"/meta/handshake","ext":{"timesync":{"tc":1700000000000,"l":0,"o":0}}}])");
  json::object ts = hs.messages().at(0).at("ext").at("timesync").as_object();
  EXPECT_EQ(ts.at("tc"), 1700000000000);
  EXPECT_EQ(ts.at("ts"), 1700000000000);
  EXPECT_EQ(ts.at("p"), 0);
  EXPECT_EQ(ts.at("a"), 0);
  std::string cid(hs.messages().at(0).at("clientId").as_string());
  // |a| < 25 with l != 0: no timesync in the reply.
  CapturedReply quiet = Post(
      Connect(cid, R"(,"ext":{"timesync":{"tc":1700000000000,"l":10,"o":0}})"));
  EXPECT_FALSE(quiet.messages().at(0).as_object().contains("ext"));
  // No l: tc, ts and p only; p measured when a held reply is written.
  CapturedReply held = Post(Connect(cid, R"(,"ext":{"timesync":{"tc":5}})"));
  clock_.Advance(30000);
  broker_->Tick();
  json::object t = held.messages().at(0).at("ext").at("timesync").as_object();
  EXPECT_EQ(t.size(), 3u);
  EXPECT_EQ(t.at("p"), 30000);
}

}  // namespace
}  // namespace workbind::cometd
