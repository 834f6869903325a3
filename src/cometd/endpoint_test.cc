// Endpoint: HTTP-level replies, callback-polling and the WebSocket transport.
#include "cometd/endpoint.h"

#include <gtest/gtest.h>

#include "cometd/test_fakes.h"

namespace workbind::cometd {
namespace {
namespace json = boost::json;
using testing::CapturedReply;
using testing::FakeWsConnection;

const std::string kAlice(32, 'a');

class EndpointTest : public ::testing::Test {
 protected:
  EndpointTest() {
    domain::Principal alice;
    alice.user_id = kAlice;
    alice.contact_center_id = "cc1";
    alice.roles = {"ROLE_AGENT"};
    auth_.AddSession("s-alice", alice);
    domain::Principal sam = alice;
    sam.user_id = std::string(32, 'c');
    sam.roles = {"ROLE_SUPERVISOR"};
    auth_.AddSession("s-sam", sam);
    auth_.AllowActFor(sam.user_id, kAlice);
    Build(BrokerSettings{});
  }
  void Build(BrokerSettings s) {
    endpoint_.reset();
    broker_.reset();
    broker_ = std::make_unique<Broker>(std::move(s), &auth_, &exec_, &clock_);
    endpoint_ = std::make_unique<Endpoint>(broker_.get());
  }
  CapturedReply Send(const std::string& method, const std::string& target,
                     const std::string& body = "", HeaderList headers = {}) {
    HttpRequest req;
    req.method = method;
    req.target = target;
    req.headers = std::move(headers);
    // Long-polling bodies are JSON unless a test says otherwise.
    if (method == "POST" && !req.HasHeader("Content-Type"))
      req.headers.emplace_back("Content-Type", "application/json");
    req.body = body;
    CapturedReply reply;
    endpoint_->HandleHttp(std::move(req), reply.responder());
    EXPECT_TRUE(reply.done());
    return reply;
  }
  HttpRequest Upgrade(const std::string& cookie) {
    HttpRequest req;
    req.method = "GET";
    req.target = "/api/v2/notifications";
    req.headers = {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}};
    if (!cookie.empty()) req.headers.emplace_back("Cookie", cookie);
    return req;
  }

  testing::FakeClock clock_;
  testing::FakeExecutor exec_;
  testing::FakeAuthenticator auth_;
  std::unique_ptr<Broker> broker_;
  std::unique_ptr<Endpoint> endpoint_;
};

TEST_F(EndpointTest, Paths) {
  for (const char* p :
       {"/api/v2/notifications", "/api/v2/notifications/",
        "/api/v2/notifications/handshake", "/api/v2/notifications/connect",
        "/api/v2/notifications/subscribe", "/api/v2/notifications/unsubscribe",
        "/api/v2/notifications/disconnect"})
    EXPECT_TRUE(Endpoint::IsNotificationsPath(p)) << p;
  EXPECT_FALSE(Endpoint::IsNotificationsPath("/api/v2/notifications/foo"));
  EXPECT_FALSE(Endpoint::IsNotificationsPath("/api/v2/notificationsx"));
  CapturedReply r = Send("POST", "/api/v2/notifications/foo", "[]");
  EXPECT_EQ(r.status(), 404);
  EXPECT_EQ(
      r.body(),
      R"({"statusCode":6,"statusMessage":"No such resource: /api/v2/notifications/foo"})");
}

TEST_F(EndpointTest, MethodsAndOptions) {
  CapturedReply put = Send("PUT", "/api/v2/notifications");
  EXPECT_EQ(put.status(), 405);
  EXPECT_EQ(put.header("Allow"), "GET, POST");
  EXPECT_EQ(
      put.body(),
      R"({"statusCode":3,"statusMessage":"Method PUT not allowed on /api/v2/notifications"})");
  CapturedReply options = Send("OPTIONS", "/api/v2/notifications/connect");
  EXPECT_EQ(options.status(), 200);
  EXPECT_EQ(options.body(), R"({"statusCode":0})");
  CapturedReply get = Send("GET", "/api/v2/notifications");
  EXPECT_EQ(get.status(), 400);
  EXPECT_EQ(json::parse(get.body()).at("statusCode"), 10);
}

TEST_F(EndpointTest, Cors) {
  BrokerSettings s;
  s.cors_allowed_origins = {"https://desk.example"};
  Build(s);
  CapturedReply pre = Send("OPTIONS", "/api/v2/notifications/handshake", "",
                           {{"Origin", "https://desk.example"}});
  EXPECT_EQ(pre.header("Access-Control-Allow-Origin"), "https://desk.example");
  EXPECT_EQ(pre.header("Access-Control-Allow-Credentials"), "true");
  EXPECT_EQ(pre.header("Access-Control-Max-Age"), "120");
  EXPECT_EQ(pre.header("Vary"), "Origin");
  CapturedReply post = Send(
      "POST", "/api/v2/notifications", R"({"channel":"/meta/handshake"})",
      {{"Origin", "https://desk.example"}, {"Cookie", "JSESSIONID=s-alice"}});
  EXPECT_EQ(post.header("Access-Control-Allow-Origin"), "https://desk.example");
  EXPECT_EQ(post.header("Access-Control-Max-Age"), "");
  CapturedReply other =
      Send("POST", "/api/v2/notifications", R"({"channel":"/meta/handshake"})",
           {{"Origin", "https://evil.example"}});
  EXPECT_EQ(other.header("Access-Control-Allow-Origin"), "");
}

TEST_F(EndpointTest, BodyErrors) {
  CapturedReply malformed =
      Send("POST", "/api/v2/notifications", "[{\"channel\":");
  EXPECT_EQ(malformed.status(), 400);
  EXPECT_EQ(json::parse(malformed.body()).at("statusCode"), 10);
  EXPECT_NE(malformed.body().find("Malformed JSON at byte 12"),
            std::string::npos)
      << malformed.body();
  EXPECT_EQ(Send("POST", "/api/v2/notifications", "[]").status(), 400);
  EXPECT_EQ(Send("POST", "/api/v2/notifications", "\"x\"").status(), 400);
  CapturedReply two =
      Send("POST", "/api/v2/notifications",
           R"([{"channel":"/meta/handshake"},{"channel":"/meta/connect"}])");
  EXPECT_EQ(
      two.body(),
      R"({"statusCode":10,"statusMessage":"A handshake must be the only message of its request"})");
  std::string big =
      "[{\"channel\":\"/a\",\"data\":\"" + std::string(70000, 'x') + "\"}]";
  CapturedReply large = Send("POST", "/api/v2/notifications", big);
  EXPECT_EQ(large.status(), 413);
  EXPECT_EQ(
      large.body(),
      R"({"statusCode":10,"statusMessage":"Bayeux request exceeds 65536 bytes"})");
  CapturedReply charset =
      Send("POST", "/api/v2/notifications", "[]",
           {{"Content-Type", "application/json;charset=ebcdic"}});
  EXPECT_EQ(charset.status(), 400);
}

// What a cross-site page can post without a CORS preflight (a form, or no
// Content-Type) is refused before any Bayeux processing.
TEST_F(EndpointTest, NonJsonBodyIsRefused) {
  const std::string handshake = R"([{"channel":"/meta/handshake"}])";
  for (const char* type : {"application/x-www-form-urlencoded", "text/plain",
                           "multipart/form-data"}) {
    CapturedReply r = Send(
        "POST", "/api/v2/notifications/handshake",
        type[0] == 'a'
            ? "message=%5B%7B%22channel%22%3A%22%2Fmeta%2Fhandshake%22%7D%5D"
            : handshake,
        {{"Content-Type", type}, {"Cookie", "JSESSIONID=s-alice"}});
    EXPECT_EQ(r.status(), 415) << type;
    EXPECT_EQ(
        r.body(),
        R"({"statusCode":10,"statusMessage":"Content-Type must be application/json"})");
  }
  HttpRequest req;
  req.method = "POST";
  req.target = "/api/v2/notifications";
  req.headers = {{"Cookie", "JSESSIONID=s-alice"}};
  req.body = handshake;
  CapturedReply none;
  endpoint_->HandleHttp(std::move(req), none.responder());
  ASSERT_TRUE(none.done());
  EXPECT_EQ(none.status(), 415);
  EXPECT_EQ(broker_->SessionCount(), 0u);
}

TEST_F(EndpointTest, CallbackPolling) {
  CapturedReply off =
      Send("GET", "/api/v2/notifications?message=%5B%5D&jsonp=cb");
  EXPECT_EQ(off.status(), 400);
  BrokerSettings s;
  s.transports = {"long-polling", "callback-polling"};
  Build(s);
  std::string msg =
      "%5B%7B%22id%22%3A%221%22%2C%22channel%22%3A%22%2Fmeta%2Fhandshake%22%7D%"
      "5D";
  CapturedReply r =
      Send("GET", "/api/v2/notifications/handshake?jsonp=cb_1&message=" + msg,
           "", {{"Cookie", "JSESSIONID=s-alice"}});
  EXPECT_EQ(r.status(), 200);
  EXPECT_EQ(r.header("Content-Type"), "text/javascript;charset=UTF-8");
  ASSERT_EQ(r.body().rfind("cb_1([{", 0), 0u) << r.body();
  EXPECT_EQ(r.body().back(), ')');
  CapturedReply d = Send("GET", "/api/v2/notifications?message=" + msg, "",
                         {{"Cookie", "JSESSIONID=s-alice"}});
  EXPECT_EQ(d.body().rfind("jsonpcallback(", 0), 0u);
  EXPECT_EQ(
      Send("GET", "/api/v2/notifications?jsonp=a%3Bb&message=" + msg).status(),
      400);
}

TEST_F(EndpointTest, RefusedUpgrades) {
  auto conn = std::make_shared<FakeWsConnection>();
  EXPECT_EQ(endpoint_->AcceptWebSocket(Upgrade(""), conn), nullptr);
  CapturedReply r =
      Send("GET", "/api/v2/notifications", "", Upgrade("").headers);
  EXPECT_EQ(r.status(), 401);
  EXPECT_EQ(r.header("WWW-Authenticate"), "Basic realm=\"workbind\"");
  EXPECT_EQ(r.body(), R"({"statusCode":20,"statusMessage":"Access denied"})");

  BrokerSettings s;
  s.transports = {"long-polling"};
  Build(s);
  EXPECT_EQ(endpoint_->AcceptWebSocket(Upgrade("JSESSIONID=s-alice"), conn),
            nullptr);
  CapturedReply off = Send("GET", "/api/v2/notifications", "",
                           Upgrade("JSESSIONID=s-alice").headers);
  EXPECT_EQ(off.status(), 400);
  EXPECT_EQ(
      off.body(),
      R"({"statusCode":10,"statusMessage":"WebSocket transport is disabled"})");
}

class WebSocketTest : public EndpointTest {
 protected:
  std::shared_ptr<net::WebSocketHandler> Open(
      const std::string& cookie = "JSESSIONID=s-alice") {
    conn_ = std::make_shared<FakeWsConnection>();
    auto handler = endpoint_->AcceptWebSocket(Upgrade(cookie), conn_);
    EXPECT_NE(handler, nullptr);
    if (!handler) return handler;
    std::optional<std::optional<HttpResponse>> decision = Decide(handler.get());
    EXPECT_TRUE(decision.has_value() && !decision->has_value())
        << "the upgrade was refused";
    return handler;
  }
  // The handler's decision on its upgrade (the executor runs inline):
  // nullopt outside when none came, an empty inside when accepted.
  static std::optional<std::optional<HttpResponse>> Decide(
      net::WebSocketHandler* h) {
    std::optional<std::optional<HttpResponse>> decision;
    h->DecideUpgrade(
        [&](std::optional<HttpResponse> refusal) { decision = refusal; });
    return decision;
  }
  json::object Handshake(net::WebSocketHandler* h,
                         const std::string& ext = "") {
    h->OnMessage(R"([{"id":"1","channel":"/meta/handshake","version":"1.0",)"
                 R"("supportedConnectionTypes":["websocket"])" +
                 ext + "}]");
    auto frames = conn_->Take();
    EXPECT_EQ(frames.size(), 1u);
    return frames.at(0).at(0).as_object();
  }
  static std::string Msg(const std::string& channel, const std::string& cid,
                         const std::string& extra = "",
                         const std::string& id = "2") {
    return R"([{"id":")" + id + R"(","channel":")" + channel +
           R"(","clientId":")" + cid + "\"" + extra + "}]";
  }
  std::shared_ptr<FakeWsConnection> conn_;
};

TEST_F(WebSocketTest, HandshakeConnectAndPushedEvents) {
  auto h = Open();
  json::object hs = Handshake(h.get());
  ASSERT_EQ(hs.at("successful"), true);
  std::string cid(hs.at("clientId").as_string());

  h->OnMessage(Msg("/meta/connect", cid,
                   R"(,"connectionType":"websocket","advice":{"timeout":0})"));
  auto frames = conn_->Take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].at(0).at("advice").at("reconnect"), "retry");
  h->OnMessage(
      Msg("/meta/subscribe", cid, R"(,"subscription":"/v2/me/*")", "3"));
  EXPECT_EQ(conn_->Take().at(0).at(0).at("successful"), true);

  h->OnMessage(Msg("/meta/connect", cid, "", "4"));
  EXPECT_TRUE(conn_->Take().empty());  // held
  domain::Notification n;
  n.contact_center_id = "cc1";
  n.user_id = kAlice;
  n.topic = "workitems";
  n.data = json::object{{"messageType", "W"}};
  n.seq = 5;
  broker_->Deliver({n});
  frames = conn_->Take();
  ASSERT_EQ(frames.size(),
            1u);  // the event in its own frame; the connect stays held
  ASSERT_EQ(frames[0].size(), 1u);
  EXPECT_EQ(frames[0][0].at("channel"), "/v2/me/workitems");
  EXPECT_EQ(broker_->Metrics().held_connects, 1u);

  // A second connect answers the first with successful:true.
  h->OnMessage(Msg("/meta/connect", cid, "", "5"));
  frames = conn_->Take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0][0].at("id"), "4");
  EXPECT_EQ(frames[0][0].at("successful"), true);
  EXPECT_FALSE(frames[0][0].as_object().contains("error"));

  // Closing the socket drops the held connect but keeps the session.
  h->OnClose();
  EXPECT_EQ(broker_->Metrics().held_connects, 0u);
  EXPECT_EQ(broker_->SessionCount(), 1u);
  // Events while no socket is attached wait in the queue...
  broker_->Deliver({n});
  EXPECT_EQ(broker_->QueuedMessages(), 1u);
  // ...and are taken by the next connect, here over long-polling.
  HttpRequest req;
  req.method = "POST";
  req.target = "/api/v2/notifications/connect";
  req.headers = {{"Cookie", "JSESSIONID=s-alice"},
                 {"Content-Type", "application/json"}};
  req.body = Msg("/meta/connect", cid);
  CapturedReply lp;
  endpoint_->HandleHttp(std::move(req), lp.responder());
  ASSERT_TRUE(lp.done());
  EXPECT_EQ(lp.messages().size(), 2u);
}

TEST_F(WebSocketTest, QueuedFramesJoinIntoOneMessageArray) {
  auto h = Open();
  std::string text = R"([{"channel":"/a","data":1}])";
  ASSERT_TRUE(h->JoinMessages(
      &text, R"([{"channel":"/b","data":2},{"channel":"/c","data":3}])"));
  json::value joined = json::parse(text);
  ASSERT_TRUE(joined.is_array());
  ASSERT_EQ(joined.as_array().size(), 3u);
  EXPECT_EQ(joined.at(0).at("channel"), "/a");
  EXPECT_EQ(joined.at(1).at("channel"), "/b");
  EXPECT_EQ(joined.at(2).at("channel"), "/c");
  // Only non-empty arrays join; a refusal leaves the text unchanged.
  const std::string before = text;
  EXPECT_FALSE(h->JoinMessages(&text, "[]"));
  EXPECT_FALSE(h->JoinMessages(&text, R"({"channel":"/d"})"));
  EXPECT_EQ(text, before);
  std::string empty = "[]";
  EXPECT_FALSE(h->JoinMessages(&empty, R"([{"channel":"/d"}])"));
}

TEST_F(WebSocketTest, AckSessionsGetEventsOnlyWithConnectReplies) {
  auto h = Open();
  json::object hs = Handshake(h.get(), R"(,"ext":{"ack":true})");
  EXPECT_EQ(hs.at("ext").at("ack"), true);
  std::string cid(hs.at("clientId").as_string());
  h->OnMessage(Msg("/meta/connect", cid, R"(,"ext":{"ack":0})"));
  h->OnMessage(
      Msg("/meta/subscribe", cid, R"(,"subscription":"/v2/me/*")", "3"));
  conn_->Take();
  h->OnMessage(Msg("/meta/connect", cid, R"(,"ext":{"ack":1})", "4"));
  EXPECT_TRUE(conn_->Take().empty());
  domain::Notification n;
  n.contact_center_id = "cc1";
  n.user_id = kAlice;
  n.topic = "workitems";
  n.data = json::object{{"messageType", "W"}};
  broker_->Deliver({n});
  auto frames = conn_->Take();
  ASSERT_EQ(frames.size(), 1u);
  ASSERT_EQ(frames[0].size(), 2u);  // event + connect reply in one frame
  EXPECT_EQ(frames[0][1].at("ext").at("ack"), 2);
}

TEST_F(WebSocketTest, HandshakesWaitForTheirAuthentication) {
  auto h = Open();
  exec_.manual = true;
  h->OnMessage(R"([{"id":"1","channel":"/meta/handshake"}])");
  EXPECT_TRUE(conn_->Take().empty());
  exec_.RunAll();
  auto frames = conn_->Take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0][0].at("successful"), true);
}

TEST_F(WebSocketTest, FramesNeedingTheAuthenticatorKeepTheirOrder) {
  auto h = Open("JSESSIONID=s-sam");
  std::string cid(Handshake(h.get()).at("clientId").as_string());
  exec_.manual = true;
  h->OnMessage(Msg("/meta/subscribe", cid,
                   R"(,"subscription":"/v2/users/)" + kAlice + R"(/*")", "3"));
  h->OnMessage(
      Msg("/meta/subscribe", cid, R"(,"subscription":"/v2/me/*")", "4"));
  EXPECT_TRUE(conn_->Take().empty());  // both wait for the executor
  exec_.RunAll();
  auto frames = conn_->Take();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0][0].at("id"), "3");
  EXPECT_EQ(frames[0][0].at("successful"), true);
  EXPECT_EQ(frames[1][0].at("id"), "4");
}

TEST_F(WebSocketTest, EmptyFramesAreKeepAlives) {
  auto h = Open();
  h->OnMessage("[]");
  EXPECT_TRUE(conn_->Take().empty());
  EXPECT_FALSE(conn_->closed);
  EXPECT_EQ(Handshake(h.get()).at("successful"), true);
}

TEST_F(WebSocketTest, ProtocolErrorsCloseTheSocket) {
  auto h = Open();
  h->OnMessage("[{\"channel\":");
  EXPECT_TRUE(conn_->closed);
  auto h2 = Open();
  h2->OnMessage(std::string(70000, ' '));
  EXPECT_TRUE(conn_->closed);
}

}  // namespace
}  // namespace workbind::cometd

namespace workbind::cometd {
namespace {

TEST_F(WebSocketTest, UpgradeWithCredentialsThatDoNotAuthenticateIsRefused) {
  auto conn = std::make_shared<FakeWsConnection>();
  auto h = endpoint_->AcceptWebSocket(Upgrade("JSESSIONID=00"), conn);
  ASSERT_NE(h, nullptr);
  auto decision = Decide(h.get());
  ASSERT_TRUE(decision.has_value());
  ASSERT_TRUE(decision->has_value()) << "accepted a dead cookie";
  const HttpResponse& r = **decision;
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, R"({"statusCode":20,"statusMessage":"Access denied"})");
}

TEST_F(WebSocketTest, UpgradeFromAForeignOriginIsRefusedWith403) {
  BrokerSettings s;
  s.external_api_url = "http://wb.example:8090/api/v2";
  s.cors_allowed_origins = {"https://desk.example"};
  Build(s);
  auto conn = std::make_shared<FakeWsConnection>();
  for (const char* origin : {"http://evil.example", "null"}) {
    HttpRequest up = Upgrade("JSESSIONID=s-alice");
    up.headers.emplace_back("Origin", origin);
    up.headers.emplace_back("Host", "wb.example:8090");
    EXPECT_EQ(endpoint_->AcceptWebSocket(up, conn), nullptr) << origin;
    CapturedReply r = Send("GET", "/api/v2/notifications", "", up.headers);
    EXPECT_EQ(r.status(), 403) << origin;
    EXPECT_EQ(r.body(),
              R"({"statusCode":3,"statusMessage":"Origin not allowed"})");
  }
  for (const char* origin :
       {"http://wb.example:8090", "https://desk.example"}) {
    HttpRequest up = Upgrade("JSESSIONID=s-alice");
    up.headers.emplace_back("Origin", origin);
    up.headers.emplace_back("Host", "wb.example:8090");
    EXPECT_NE(endpoint_->AcceptWebSocket(up, conn), nullptr) << origin;
  }
}

TEST_F(WebSocketTest, EndOfTheHttpSessionClosesTheSocket) {
  auto h = Open();
  json::object hs = Handshake(h.get());
  std::string cid(hs.at("clientId").as_string());
  h->OnMessage(Msg("/meta/connect", cid,
                   R"(,"connectionType":"websocket","advice":{"timeout":0})"));
  conn_->Take();
  h->OnMessage(Msg("/meta/connect", cid, "", "3"));
  EXPECT_TRUE(conn_->Take().empty());  // held
  auth_.RemoveSession("s-alice");
  endpoint_->HttpSessionEnded("s-alice");
  auto frames = conn_->Take();
  ASSERT_EQ(frames.size(), 1u) << "the held connect's final reply";
  EXPECT_EQ(frames[0][0].at("advice").at("reconnect"), "none");
  EXPECT_TRUE(conn_->closed);
  EXPECT_EQ(conn_->close_code, 1008);
}

TEST_F(WebSocketTest, EveryHandshakeIsAuthenticatedAgainstTheLiveSession) {
  auto h = Open();
  json::object hs = Handshake(h.get());
  ASSERT_EQ(hs.at("successful"), true);
  std::string cid(hs.at("clientId").as_string());
  h->OnMessage(Msg("/meta/disconnect", cid));
  conn_->Take();
  // The session ends without the announcement reaching this node yet: the
  // cached principal of the upgrade must not be used.
  auth_.RemoveSession("s-alice");
  json::object again = Handshake(h.get());
  EXPECT_EQ(again.at("successful"), false);
  EXPECT_TRUE(conn_->closed);
  EXPECT_EQ(conn_->close_code, 1008);
}

}  // namespace
}  // namespace workbind::cometd
