// Broker behaviour over long-polling: handshake, connect hold rules,
// disconnect, delivery, permissions and message errors.
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

TEST_F(BrokerTest, Handshake) {
  CapturedReply hs = Post(
      R"({"id":"1","version":"1.0","minimumVersion":"1.0","channel":"/meta/handshake",)"
      R"("supportedConnectionTypes":["websocket","long-polling","callback-polling"],)"
      R"("advice":{"timeout":60000,"interval":0}})");
  ASSERT_TRUE(hs.done());
  EXPECT_EQ(hs.status(), 200);
  EXPECT_EQ(hs.header("Content-Type"), "application/json;charset=UTF-8");
  std::string cookie = hs.header("Set-Cookie");
  EXPECT_EQ(cookie.rfind("BAYEUX_BROWSER=", 0), 0u);
  EXPECT_NE(cookie.find("; Path=/; HttpOnly; SameSite=Lax"), std::string::npos);
  json::array msgs = hs.messages();
  ASSERT_EQ(msgs.size(), 1u);
  json::object r = msgs[0].as_object();
  EXPECT_EQ(r.at("id"), "1");
  EXPECT_EQ(r.at("channel"), "/meta/handshake");
  EXPECT_EQ(r.at("successful"), true);
  EXPECT_EQ(r.at("version"), "1.0");
  EXPECT_EQ(r.at("minimumVersion"), "1.0");
  EXPECT_EQ(r.at("supportedConnectionTypes"),
            json::parse(R"(["websocket","long-polling"])"));
  EXPECT_TRUE(ids::IsHex32(r.at("clientId").as_string()));
  EXPECT_EQ(
      r.at("advice"),
      json::parse(
          R"({"reconnect":"retry","interval":0,"timeout":30000,"maxInterval":10000})"));
  EXPECT_FALSE(r.contains("ext"));
  EXPECT_EQ(broker_->SessionCount(), 1u);

  // With a BAYEUX_BROWSER cookie no new one is set.
  CapturedReply again = Post(R"([{"id":"1","channel":"/meta/handshake"}])",
                             "JSESSIONID=s-alice; BAYEUX_BROWSER=x");
  EXPECT_EQ(again.header("Set-Cookie"), "");
}

TEST_F(BrokerTest, HandshakeRefusals) {
  auto refused = [&](const std::string& body, const std::string& cookie,
                     const char* error) {
    CapturedReply r = Post(body, cookie);
    ASSERT_TRUE(r.done());
    EXPECT_EQ(r.status(), 200);
    json::object m = r.messages().at(0).as_object();
    EXPECT_EQ(m.at("successful"), false) << r.body();
    EXPECT_EQ(m.at("error"), error);
    EXPECT_EQ(m.at("advice").at("reconnect"), "none");
    EXPECT_FALSE(m.contains("clientId"));
  };
  refused(R"({"id":"1","channel":"/meta/handshake"})", "",
          "403::Handshake denied");
  refused(R"({"id":"1","channel":"/meta/handshake"})", "JSESSIONID=nope",
          "403::Handshake denied");
  refused(R"({"id":"1","channel":"/meta/handshake"})", "JSESSIONID=s-root",
          "403::Handshake denied");
  refused(R"({"id":"1","channel":"/meta/handshake","version":"2.0"})",
          "JSESSIONID=s-alice", "400::Unsupported version");
  refused(
      R"({"id":"1","channel":"/meta/handshake","supportedConnectionTypes":["iframe"]})",
      "JSESSIONID=s-alice", "400::Unsupported connection type");
  EXPECT_EQ(broker_->SessionCount(), 0u);
}

TEST_F(BrokerTest, HandshakeWithBasicCredentials) {
  CapturedReply hs = Post(R"({"id":"1","channel":"/meta/handshake"})", "",
                          {{"Authorization", "Basic YWxpY2U6cHc="}});
  ASSERT_TRUE(hs.done());
  EXPECT_EQ(hs.messages().at(0).at("successful"), true);
  bool jsession = false;
  for (const auto& [k, v] : (*hs.response)->headers)
    jsession = jsession || v == "JSESSIONID=s-alice-basic";
  EXPECT_TRUE(jsession);
  std::string cid(hs.messages().at(0).at("clientId").as_string());
  // Later polls with the bound user's Basic credentials (no cookie) work...
  CapturedReply c =
      Post(Connect(cid), "", {{"Authorization", "Basic YWxpY2U6cHc="}});
  EXPECT_EQ(c.messages().at(0).at("successful"), true);
  // ...with another user's they do not.
  CapturedReply other =
      Post(Connect(cid), "", {{"Authorization", "Basic Ym9iOnB3"}});
  EXPECT_EQ(other.messages().at(0).at("error"), "402::Unknown client");
  // Nor with bad credentials alongside the right cookie.
  CapturedReply bad = Post(Connect(cid), "JSESSIONID=s-alice-basic",
                           {{"Authorization", "Basic bad"}});
  EXPECT_EQ(bad.messages().at(0).at("error"), "402::Unknown client");
  CapturedReply cookie = Post(Connect(cid, R"(,"advice":{"timeout":0})"),
                              "JSESSIONID=s-alice-basic");
  EXPECT_EQ(cookie.messages().at(0).at("successful"), true);
}

TEST_F(BrokerTest, TooManySessions) {
  BrokerSettings s;
  s.max_sessions_per_user = 2;
  Build(s);
  Open("JSESSIONID=s-alice", "", false);
  Open("JSESSIONID=s-alice2", "", false);
  CapturedReply third = Post(R"({"id":"1","channel":"/meta/handshake"})");
  EXPECT_EQ(third.messages().at(0).at("error"), "403::Too many sessions");
  Open("JSESSIONID=s-bob", "", false);  // per user
}

// The publishes of one request release a held connect once, with all their
// events; the publisher's own reply does not wait for it.
TEST_F(BrokerTest, PublishBatchReleasesAHeldConnectOnce) {
  BrokerSettings s;
  s.open_channels = {"/chat/**"};
  Build(s);
  std::string alice = Open();
  std::string bob = Open("JSESSIONID=s-bob");
  Sub(bob, R"("/chat/**")", "JSESSIONID=s-bob");
  CapturedReply bob_held = Post(Connect(bob), "JSESSIONID=s-bob");
  EXPECT_FALSE(bob_held.done());

  CapturedReply pub =
      Post(R"([{"id":"6","channel":"/chat/a","data":1,"clientId":")" + alice +
           R"("},{"id":"7","channel":"/chat/b","data":2,"clientId":")" + alice +
           "\"}]");
  ASSERT_TRUE(pub.done());
  EXPECT_EQ(pub.messages().size(), 2u);
  ASSERT_TRUE(bob_held.done());
  json::array msgs = bob_held.messages();
  EXPECT_EQ(Count(msgs, "/chat/a"), 1);
  EXPECT_EQ(Count(msgs, "/chat/b"), 1);
  EXPECT_EQ(Count(msgs, "/meta/connect"), 1);
  EXPECT_EQ(broker_->Metrics().held_connects, 0u);
}

TEST_F(BrokerTest, FirstConnectAnsweredAtOnceThenHeldUntilEvent) {
  std::string cid = Open("JSESSIONID=s-alice", "", false);
  CapturedReply first = Post(Connect(cid, R"(,"advice":{"timeout":0})"));
  ASSERT_TRUE(first.done());
  json::object r = first.messages().at(0).as_object();
  EXPECT_EQ(r.at("successful"), true);
  EXPECT_EQ(r.at("clientId"), json::value(cid));
  EXPECT_EQ(r.at("id"), "2");
  EXPECT_EQ(
      r.at("advice"),
      json::parse(R"({"reconnect":"retry","interval":0,"timeout":30000})"));

  Sub(cid, R"("/v2/me/*")");
  CapturedReply held = Post(Connect(cid, "", "4"));
  EXPECT_FALSE(held.done());
  EXPECT_EQ(broker_->Metrics().held_connects, 1u);

  auto n = Note(kAlice, "workitems", "WorkitemStateChangeMessage", 118);
  n.actor_user_id = kAlice;
  n.reference_id = 31;
  broker_->Deliver({n});
  ASSERT_TRUE(held.done());
  json::array msgs = held.messages();
  ASSERT_EQ(msgs.size(), 2u);
  // Events first, then the connect reply (§3.4).
  json::object ev = msgs[0].as_object();
  EXPECT_EQ(ev.at("channel"), "/v2/me/workitems");
  EXPECT_EQ(ev.at("data").at("messageType"), "WorkitemStateChangeMessage");
  EXPECT_EQ(ev.at("data").at("referenceId"), 31);
  EXPECT_EQ(ev.at("ext"), json::parse(R"({"seq":118})"));
  EXPECT_FALSE(ev.contains("clientId"));
  EXPECT_FALSE(ev.contains("id"));
  json::object reply = msgs[1].as_object();
  EXPECT_EQ(reply.at("channel"), "/meta/connect");
  EXPECT_EQ(reply.at("id"), "4");
  EXPECT_EQ(reply.at("successful"), true);
  EXPECT_FALSE(reply.contains("advice"));  // unchanged advice is not repeated
  EXPECT_EQ(broker_->Metrics().held_connects, 0u);
  EXPECT_EQ(broker_->Metrics().messages_delivered_total, 1u);
}

TEST_F(BrokerTest, HeldConnectTimesOut) {
  std::string cid = Open();
  CapturedReply held = Post(Connect(cid));
  EXPECT_FALSE(held.done());
  clock_.Advance(29999);
  broker_->Tick();
  EXPECT_FALSE(held.done());
  clock_.Advance(1);
  broker_->Tick();
  ASSERT_TRUE(held.done());
  json::array msgs = held.messages();
  ASSERT_EQ(msgs.size(), 1u);
  EXPECT_EQ(msgs[0].at("successful"), true);
  EXPECT_FALSE(msgs[0].as_object().contains("advice"));
}

TEST_F(BrokerTest, ClientTimeoutShortensHoldAndIsNotEchoed) {
  std::string cid = Open();
  CapturedReply held = Post(Connect(cid, R"(,"advice":{"timeout":1000})"));
  EXPECT_FALSE(held.done());
  clock_.Advance(1000);
  broker_->Tick();
  ASSERT_TRUE(held.done());
  EXPECT_FALSE(held.messages().at(0).as_object().contains("advice"));
  // advice.timeout 0 returns at once.
  CapturedReply now = Post(Connect(cid, R"(,"advice":{"timeout":0})"));
  EXPECT_TRUE(now.done());
}

TEST_F(BrokerTest, ClientIntervalIsEchoed) {
  std::string cid = Open();
  CapturedReply r =
      Post(Connect(cid, R"(,"advice":{"interval":5000,"timeout":0})"));
  ASSERT_TRUE(r.done());
  EXPECT_EQ(
      r.messages().at(0).at("advice"),
      json::parse(R"({"reconnect":"retry","interval":5000,"timeout":30000})"));
  // The session now survives interval + maxInterval without connects.
  clock_.Advance(14000);
  broker_->Tick();
  EXPECT_EQ(broker_->SessionCount(), 1u);
  clock_.Advance(1001);
  broker_->Tick();
  EXPECT_EQ(broker_->SessionCount(), 0u);
}

TEST_F(BrokerTest, BatchedConnectAnsweredAtOnce) {
  std::string cid = Open();
  CapturedReply r = Post(
      R"([{"id":"5","channel":"/meta/subscribe","subscription":"/v2/me/*","clientId":")" +
      cid + R"("},{"id":"6","channel":"/meta/connect","clientId":")" + cid +
      "\"}]");
  ASSERT_TRUE(r.done());
  json::array msgs = r.messages();
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].at("channel"), "/meta/subscribe");
  EXPECT_EQ(msgs[1].at("channel"), "/meta/connect");
}

TEST_F(BrokerTest, SecondConnectSupersedesFirst) {
  std::string cid = Open();
  CapturedReply first = Post(Connect(cid, "", "4"));
  EXPECT_FALSE(first.done());
  CapturedReply second = Post(Connect(cid, "", "5"));
  ASSERT_TRUE(first.done());
  EXPECT_EQ(first.status(), 500);
  EXPECT_EQ(
      first.body(),
      R"({"statusCode":4,"statusMessage":"Superseded by a newer /meta/connect"})");
  EXPECT_FALSE(second.done());  // the newer one is held
  EXPECT_EQ(broker_->Metrics().held_connects, 1u);
  broker_->Deliver({});
  clock_.Advance(30000);
  broker_->Tick();
  ASSERT_TRUE(second.done());
  EXPECT_EQ(second.messages().at(0).at("id"), "5");
}

TEST_F(BrokerTest, DuplicateConnectStatusIsASetting) {
  BrokerSettings s;
  s.duplicate_connect_http_status = 503;
  Build(s);
  std::string cid = Open();
  CapturedReply first = Post(Connect(cid));
  Post(Connect(cid));
  ASSERT_TRUE(first.done());
  EXPECT_EQ(first.status(), 503);
}

TEST_F(BrokerTest, DisconnectReleasesHeldConnect) {
  std::string cid = Open();
  CapturedReply held = Post(Connect(cid, "", "8"));
  CapturedReply d = Post(Disconnect(cid));
  ASSERT_TRUE(held.done());
  json::object h = held.messages().at(0).as_object();
  EXPECT_EQ(h.at("id"), "8");
  EXPECT_EQ(h.at("successful"), true);
  EXPECT_EQ(h.at("advice"), json::parse(R"({"reconnect":"none"})"));
  ASSERT_TRUE(d.done());
  json::object r = d.messages().at(0).as_object();
  EXPECT_EQ(r.at("channel"), "/meta/disconnect");
  EXPECT_EQ(r.at("successful"), true);
  EXPECT_EQ(r.at("clientId"), json::value(cid));
  EXPECT_EQ(broker_->SessionCount(), 0u);

  // Later: connect -> 402 with handshake advice, other messages -> 402 without.
  CapturedReply c = Post(Connect(cid));
  json::object cr = c.messages().at(0).as_object();
  EXPECT_EQ(cr.at("successful"), false);
  EXPECT_EQ(cr.at("error"), "402::Unknown client");
  EXPECT_EQ(cr.at("advice"),
            json::parse(R"({"reconnect":"handshake","interval":0})"));
  EXPECT_FALSE(cr.contains("clientId"));
  CapturedReply s = Post(Subscribe(cid, R"("/v2/me/*")"));
  json::object sr = s.messages().at(0).as_object();
  EXPECT_EQ(sr.at("error"), "402::Unknown client");
  EXPECT_FALSE(sr.contains("advice"));
  CapturedReply d2 = Post(Disconnect(cid));
  EXPECT_EQ(d2.messages().at(0).at("error"), "402::Unknown client");
}

TEST_F(BrokerTest, ConnectReceivedBeforeDisconnectGetsReconnectNone) {
  std::string cid = Open();
  exec_.manual = true;  // the Basic-authenticated connect waits on the executor
  CapturedReply early = Post(Connect(cid, R"(,"advice":{"timeout":0})"), "",
                             {{"Authorization", "Basic YWxpY2U6cHc="}});
  EXPECT_FALSE(early.done());
  clock_.Advance(5);
  exec_.manual = false;
  Post(Disconnect(cid));
  exec_.RunAll();
  ASSERT_TRUE(early.done());
  json::object r = early.messages().at(0).as_object();
  EXPECT_EQ(r.at("successful"), false);
  EXPECT_EQ(r.at("advice"), json::parse(R"({"reconnect":"none"})"));
}

TEST_F(BrokerTest, UnknownOrForeignClient) {
  CapturedReply r = Post(Connect(std::string(32, '0'), "", "5"));
  json::object m = r.messages().at(0).as_object();
  EXPECT_EQ(m.at("id"), "5");
  EXPECT_EQ(m.at("channel"), "/meta/connect");
  EXPECT_EQ(m.at("error"), "402::Unknown client");
  // Alice's clientId used with Bob's cookie, or with no credentials at all.
  std::string cid = Open();
  EXPECT_EQ(Post(Connect(cid), "JSESSIONID=s-bob").messages().at(0).at("error"),
            "402::Unknown client");
  EXPECT_EQ(Post(Connect(cid), "").messages().at(0).at("error"),
            "402::Unknown client");
  // Another HTTP session of the same user is not the bound one either.
  EXPECT_EQ(
      Post(Connect(cid), "JSESSIONID=s-alice2").messages().at(0).at("error"),
      "402::Unknown client");
}

TEST_F(BrokerTest, OneCopyPerSessionWithOverlappingPatterns) {
  std::string cid = Open();
  Sub(cid, R"(["/v2/me/*","/v2/me/workitems","/v2/me/**"])");
  broker_->Deliver(
      {Note(kAlice, "workitems", "WorkitemStateChangeMessage", 1)});
  CapturedReply r = Post(Connect(cid));
  ASSERT_TRUE(r.done());  // events waiting: answered at once
  EXPECT_EQ(Count(r.messages(), "/v2/me/workitems"), 1);
}

TEST_F(BrokerTest, DeliversOnlyToMatchingSubscriptionsOfTheAddressee) {
  std::string alice = Open();
  std::string bob = Open("JSESSIONID=s-bob");
  Sub(alice, R"("/v2/me/workbins")");
  Sub(bob, R"("/v2/me/*")", "JSESSIONID=s-bob");
  broker_->Deliver(
      {Note(kAlice, "workitems", "W"), Note(kAlice, "workbins", "B")});
  CapturedReply a = Post(Connect(alice));
  ASSERT_TRUE(a.done());
  json::array msgs = a.messages();
  EXPECT_EQ(Count(msgs, "/v2/me/workitems"), 0);
  EXPECT_EQ(Count(msgs, "/v2/me/workbins"), 1);
  EXPECT_FALSE(Find(msgs, "/v2/me/workbins").contains("ext"));  // seq 0: no ext
  CapturedReply b = Post(Connect(bob), "JSESSIONID=s-bob");
  EXPECT_FALSE(b.done());  // nothing for bob: held
}

TEST_F(BrokerTest, EventsRideOnOtherReplies) {
  std::string cid = Open();
  Sub(cid, R"("/v2/me/*")");
  broker_->Deliver({Note(kAlice, "channels", "ChannelStateChangeMessageV2")});
  CapturedReply r = Post(Subscribe(cid, R"("/v2/me/workbins")"));
  json::array msgs = r.messages();
  ASSERT_EQ(msgs.size(), 2u);
  EXPECT_EQ(msgs[0].at("channel"), "/v2/me/channels");
  EXPECT_EQ(msgs[1].at("channel"), "/meta/subscribe");
  EXPECT_EQ(broker_->QueuedMessages(), 0u);
}

TEST_F(BrokerTest, MetaChannelsAreNeverSubscribable) {
  std::string cid = Open();
  for (const char* p :
       {R"("/meta/**")", R"("/meta/connect")", R"("/**")", R"("/v2/**")"}) {
    CapturedReply r = Post(Subscribe(cid, p));
    json::object m = r.messages().at(0).as_object();
    EXPECT_EQ(m.at("error"), "403::Subscription denied") << p;
    EXPECT_EQ(m.at("clientId"), json::value(cid));
    EXPECT_EQ(json::serialize(m.at("subscription")), p);
  }
  // All-or-nothing: one refused pattern records nothing.
  CapturedReply mixed = Post(Subscribe(cid, R"(["/v2/me/*","/meta/**"])"));
  EXPECT_EQ(mixed.messages().at(0).at("error"), "403::Subscription denied");
  broker_->Deliver({Note(kAlice, "workitems", "W")});
  EXPECT_FALSE(Post(Connect(cid)).done());
  // /service/** succeeds and records nothing.
  CapturedReply svc = Post(Subscribe(cid, R"("/service/**")"));
  EXPECT_EQ(svc.messages().at(0).at("successful"), true);
}

TEST_F(BrokerTest, SubscribeErrors) {
  std::string cid = Open();
  auto error_of = [&](const std::string& body) {
    return std::string(Post(body).messages().at(0).at("error").as_string());
  };
  EXPECT_EQ(
      error_of(R"([{"channel":"/meta/subscribe","clientId":")" + cid + "\"}]"),
      "403::subscription_missing");
  EXPECT_EQ(error_of(Subscribe(cid, R"("/v2//me")")),
            "403::subscription_invalid");
  EXPECT_EQ(error_of(Subscribe(cid, R"(["/v2/me/*",7])")),
            "403::subscription_invalid");
  BrokerSettings s;
  s.max_subscriptions_per_session = 2;
  Build(s);
  cid = Open();
  Sub(cid, R"(["/v2/me/a","/v2/me/b"])");
  Sub(cid, R"("/v2/me/a")");  // already subscribed: fine
  EXPECT_EQ(error_of(Subscribe(cid, R"("/v2/me/c")")),
            "403::Too many subscriptions");
  CapturedReply un =
      Post(R"([{"id":"4","channel":"/meta/unsubscribe","clientId":")" + cid +
           R"(","subscription":["/v2/me/a","/v2/me/zzz"]}])");
  EXPECT_EQ(un.messages().at(0).at("successful"), true);
  EXPECT_EQ(un.messages().at(0).at("subscription"),
            json::parse(R"(["/v2/me/a","/v2/me/zzz"])"));
  Sub(cid, R"("/v2/me/c")");
}

TEST_F(BrokerTest, PublishRules) {
  BrokerSettings s;
  s.open_channels = {"/chat/**"};
  Build(s);
  std::string alice = Open();
  std::string bob = Open("JSESSIONID=s-bob");
  std::string carl = Open("JSESSIONID=s-carl");
  Sub(alice, R"("/chat/*")");
  Sub(bob, R"("/chat/**")", "JSESSIONID=s-bob");
  Sub(carl, R"("/chat/room1")", "JSESSIONID=s-carl");

  CapturedReply bob_held = Post(Connect(bob), "JSESSIONID=s-bob");
  CapturedReply carl_held = Post(Connect(carl), "JSESSIONID=s-carl");
  EXPECT_FALSE(bob_held.done());

  CapturedReply pub = Post(
      R"([{"id":"6","channel":"/chat/room1","data":{"text":"hi"},"clientId":")" +
      alice + "\"}]");
  json::array msgs = pub.messages();
  // The publisher is subscribed too: its copy rides on the publish response.
  json::object reply = Find(msgs, "/chat/room1");
  EXPECT_EQ(Count(msgs, "/chat/room1"), 2);
  json::object publish_reply = msgs.back().as_object();
  EXPECT_EQ(
      publish_reply,
      json::parse(R"({"id":"6","channel":"/chat/room1","successful":true})"));
  ASSERT_TRUE(bob_held.done());
  json::object copy = Find(bob_held.messages(), "/chat/room1");
  EXPECT_EQ(copy,
            json::parse(R"({"channel":"/chat/room1","data":{"text":"hi"}})"));
  EXPECT_FALSE(carl_held.done());  // other contact center

  auto publish_error = [&](const std::string& channel,
                           const std::string& data) {
    CapturedReply r = Post(R"([{"id":"7","channel":")" + channel + "\"" + data +
                           R"(,"clientId":")" + alice + "\"}]");
    json::object m = r.messages().back().as_object();
    return m.contains("error") ? std::string(m.at("error").as_string())
                               : std::string("ok");
  };
  EXPECT_EQ(publish_error("/v2/me/workitems", R"(,"data":{})"),
            "403::Publish denied");
  EXPECT_EQ(publish_error("/v2/users/x/workitems", R"(,"data":{})"),
            "403::Publish denied");
  EXPECT_EQ(publish_error("/other", R"(,"data":{})"), "403::Publish denied");
  EXPECT_EQ(publish_error("/chat/room1", ""), "400::data missing");
  EXPECT_EQ(publish_error("/service/echo", R"(,"data":1)"), "ok");
}

TEST_F(BrokerTest, SupervisorSubscriptionsAndCopies) {
  std::string sam = Open("JSESSIONID=s-sam");
  std::string alice = Open();
  // Alice (agent) may not watch anyone, Sam may watch Alice but not Bob.
  EXPECT_EQ(
      Post(Subscribe(alice, R"("/v2/users/**")")).messages().at(0).at("error"),
      "403::Subscription denied");
  EXPECT_EQ(
      Post(Subscribe(sam, "\"/v2/users/" + kBob + "/*\""), "JSESSIONID=s-sam")
          .messages()
          .at(0)
          .at("error"),
      "403::Subscription denied");
  Sub(sam, "\"/v2/users/" + kAlice + "/*\"", "JSESSIONID=s-sam");
  Sub(alice, R"("/v2/me/*")");

  CapturedReply sam_held = Post(Connect(sam), "JSESSIONID=s-sam");
  CapturedReply alice_held = Post(Connect(alice));
  auto n = Note(kAlice, "channels", "ChannelStateChangeMessageV2", 117);
  n.actor_user_id = kSam;  // Sam changed Alice's state
  n.reference_id = 13;
  n.watchers = {kSam};
  broker_->Deliver({n});

  ASSERT_TRUE(alice_held.done());
  json::object own = Find(alice_held.messages(), "/v2/me/channels");
  EXPECT_FALSE(own.at("data").as_object().contains("referenceId"));
  EXPECT_EQ(own.at("ext").at("seq"), 117);

  ASSERT_TRUE(sam_held.done());
  json::object copy =
      Find(sam_held.messages(), "/v2/users/" + kAlice + "/channels");
  EXPECT_EQ(copy.at("data").at("userId"), json::value(kAlice));
  EXPECT_EQ(copy.at("data").at("userUri"),
            json::value("http://localhost:8090/api/v2/users/" + kAlice));
  EXPECT_EQ(copy.at("data").at("referenceId"), 13);
  EXPECT_FALSE(copy.contains("ext"));

  // Not a watcher at commit time: no copy, whatever the subscription.
  CapturedReply sam_again = Post(Connect(sam), "JSESSIONID=s-sam");
  auto m = Note(kAlice, "channels", "ChannelStateChangeMessageV2");
  broker_->Deliver({m});
  EXPECT_FALSE(sam_again.done());
  // Replay messages are not copied to supervisors.
  auto r = Note(kAlice, "replay", "ReplayUnavailable");
  r.watchers = {kSam};
  broker_->Deliver({r});
  EXPECT_FALSE(sam_again.done());
}

TEST_F(BrokerTest, InvalidMessagesGetErrorReplies) {
  std::string cid = Open();
  CapturedReply r = Post(
      R"([{"id":"1"},{"id":"2","channel":"/a//b"},{"id":"x-y","channel":"/meta/connect"},)"
      R"({"id":7,"channel":"/meta/subscribe","clientId":")" +
      cid + R"(","subscription":"/v2/me/*"}])");
  json::array msgs = r.messages();
  ASSERT_EQ(msgs.size(), 4u);
  EXPECT_EQ(
      msgs[0],
      json::parse(
          R"({"id":"1","successful":false,"error":"400::channel missing"})"));
  EXPECT_EQ(
      msgs[1],
      json::parse(
          R"({"id":"2","channel":"/a//b","successful":false,"error":"405::invalid channel"})"));
  EXPECT_EQ(
      msgs[2],
      json::parse(
          R"({"channel":"/meta/connect","successful":false,"error":"405::invalid id"})"));
  EXPECT_EQ(msgs[3].at("id"), 7);  // numeric ids are echoed as numbers
  EXPECT_EQ(msgs[3].at("successful"), true);
}

}  // namespace
}  // namespace workbind::cometd
