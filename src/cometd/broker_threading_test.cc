// The Broker under real threads: the timer thread answers held connects, and
// concurrent delivery and polling lose, duplicate and reorder nothing.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <thread>

#include "cometd/endpoint.h"
#include "cometd/test_fakes.h"

namespace workbind::cometd {
namespace {
namespace json = boost::json;
using testing::CapturedReply;

const std::string kAlice(32, 'a');

class ThreadingTest : public ::testing::Test {
 protected:
  ThreadingTest() {
    domain::Principal alice;
    alice.user_id = kAlice;
    alice.contact_center_id = "cc1";
    alice.roles = {"ROLE_AGENT"};
    auth_.AddSession("s-alice", alice);
  }

  // A long-polling request answered on any thread; Wait() blocks for it.
  struct Pending {
    std::shared_ptr<std::mutex> mu = std::make_shared<std::mutex>();
    std::shared_ptr<std::condition_variable> cv =
        std::make_shared<std::condition_variable>();
    std::shared_ptr<std::optional<HttpResponse>> response =
        std::make_shared<std::optional<HttpResponse>>();
    HttpResponse Wait(std::chrono::milliseconds limit) {
      std::unique_lock<std::mutex> lock(*mu);
      cv->wait_for(lock, limit, [&] { return response->has_value(); });
      return response->value_or(HttpResponse{0, {}, "", false});
    }
  };
  Pending Post(Endpoint* endpoint, const std::string& body) {
    Pending p;
    HttpRequest req;
    req.method = "POST";
    req.target = "/api/v2/notifications";
    req.headers = {{"Cookie", "JSESSIONID=s-alice"},
                   {"Content-Type", "application/json"}};
    req.body = body;
    auto mu = p.mu;
    auto cv = p.cv;
    auto response = p.response;
    endpoint->HandleHttp(std::move(req), [mu, cv, response](HttpResponse r) {
      std::lock_guard<std::mutex> lock(*mu);
      *response = std::move(r);
      cv->notify_all();
    });
    return p;
  }
  static std::string ClientIdOf(const HttpResponse& r) {
    return std::string(json::parse(r.body).at(0).at("clientId").as_string());
  }

  SystemClock clock_;
  testing::FakeExecutor exec_;
  testing::FakeAuthenticator auth_;
};

TEST_F(ThreadingTest, TimerThreadAnswersHeldConnects) {
  BrokerSettings s;
  s.timeout_ms = 150;
  Endpoint endpoint(s, &auth_, &exec_, &clock_);
  std::string cid =
      ClientIdOf(Post(&endpoint, R"([{"channel":"/meta/handshake"}])")
                     .Wait(std::chrono::seconds(1)));
  std::string connect =
      R"([{"channel":"/meta/connect","clientId":")" + cid + "\"}]";
  Post(&endpoint, connect).Wait(std::chrono::seconds(1));
  auto start = std::chrono::steady_clock::now();
  HttpResponse held = Post(&endpoint, connect).Wait(std::chrono::seconds(5));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(held.status, 200);
  EXPECT_GE(took, std::chrono::milliseconds(140));
  EXPECT_LT(took, std::chrono::milliseconds(2000));
  endpoint.Shutdown();
}

TEST_F(ThreadingTest, ConcurrentDeliveryKeepsOrderPerSession) {
  constexpr int kEvents = 2000;
  Endpoint endpoint(BrokerSettings{}, &auth_, &exec_, &clock_);
  auto wait = std::chrono::seconds(5);
  // A long-polling session and a WebSocket session of the same user.
  std::string lp = ClientIdOf(
      Post(&endpoint, R"([{"channel":"/meta/handshake"}])").Wait(wait));
  Post(
      &endpoint,
      R"([{"channel":"/meta/subscribe","subscription":"/v2/me/*","clientId":")" +
          lp + "\"}]")
      .Wait(wait);
  auto conn = std::make_shared<testing::FakeWsConnection>();
  HttpRequest upgrade;
  upgrade.method = "GET";
  upgrade.target = "/api/v2/notifications";
  upgrade.headers = {{"Upgrade", "websocket"},
                     {"Cookie", "JSESSIONID=s-alice"}};
  auto ws = endpoint.AcceptWebSocket(upgrade, conn);
  ASSERT_NE(ws, nullptr);
  bool accepted = false;
  ws->DecideUpgrade(
      [&](std::optional<HttpResponse> refusal) { accepted = !refusal; });
  ASSERT_TRUE(accepted);
  ws->OnMessage(R"([{"channel":"/meta/handshake"}])");
  std::string wsid(conn->Take().at(0).at(0).at("clientId").as_string());
  ws->OnMessage(
      R"([{"channel":"/meta/subscribe","subscription":"/v2/me/**","clientId":")" +
      wsid + "\"}]");

  std::thread producer([&] {
    for (int i = 1; i <= kEvents; ++i) {
      domain::Notification n;
      n.contact_center_id = "cc1";
      n.user_id = kAlice;
      n.topic = "workitems";
      n.data = json::object{{"messageType", "W"}};
      n.seq = i;
      endpoint.Deliver({n});
    }
  });
  std::thread ws_client([&] {
    for (int i = 0; i < 200; ++i)
      ws->OnMessage(
          R"([{"channel":"/meta/connect","advice":{"timeout":0},"clientId":")" +
          wsid + "\"}]");
  });
  std::vector<int64_t> lp_seqs;
  std::string connect =
      R"([{"channel":"/meta/connect","clientId":")" + lp + "\"}]";
  while (static_cast<int>(lp_seqs.size()) < kEvents) {
    HttpResponse r = Post(&endpoint, connect).Wait(wait);
    if (r.status != 200) {
      ADD_FAILURE() << "status " << r.status << " " << r.body;
      break;
    }
    json::value body = json::parse(r.body);
    for (const auto& m : body.as_array())
      if (m.at("channel") == "/v2/me/workitems")
        lp_seqs.push_back(m.at("ext").at("seq").as_int64());
  }
  producer.join();
  ws_client.join();
  for (int i = 0; i < kEvents; ++i) ASSERT_EQ(lp_seqs[i], i + 1);
  std::vector<int64_t> ws_seqs;
  for (const auto& frame : conn->Take())
    for (const auto& m : frame)
      if (m.at("channel") == "/v2/me/workitems")
        ws_seqs.push_back(m.at("ext").at("seq").as_int64());
  ASSERT_EQ(static_cast<int>(ws_seqs.size()), kEvents);
  for (int i = 0; i < kEvents; ++i) ASSERT_EQ(ws_seqs[i], i + 1);
  endpoint.Shutdown();
}

}  // namespace
}  // namespace workbind::cometd
