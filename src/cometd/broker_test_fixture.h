// BrokerTest: the fixture of the broker tests. A Broker and Endpoint over a
// fake clock, authenticator and executor, with users alice and bob (agents),
// sam (supervisor of alice), carl (another contact center) and a system admin;
// requests go through Endpoint::HandleHttp as long-polling POSTs. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "cometd/broker.h"
#include "cometd/endpoint.h"
#include "cometd/test_fakes.h"
#include "common/ids.h"

namespace workbind::cometd::testing {
namespace json = boost::json;

inline const std::string kAlice(32, 'a');
inline const std::string kBob(32, 'b');
inline const std::string kSam(32, 'c');
inline const std::string kCarl(32, 'd');  // another contact center

inline domain::Principal MakeUser(std::string id, std::string cc,
                                  std::vector<std::string> roles) {
  domain::Principal p;
  p.user_id = std::move(id);
  p.user_name = p.user_id.substr(0, 4);
  p.contact_center_id = std::move(cc);
  p.roles = std::move(roles);
  return p;
}

class BrokerTest : public ::testing::Test {
 protected:
  BrokerTest() {
    auth_.AddSession("s-alice", MakeUser(kAlice, "cc1", {"ROLE_AGENT"}));
    auth_.AddSession("s-alice2", MakeUser(kAlice, "cc1", {"ROLE_AGENT"}));
    auth_.AddSession("s-bob", MakeUser(kBob, "cc1", {"ROLE_AGENT"}));
    auth_.AddSession("s-sam", MakeUser(kSam, "cc1", {"ROLE_SUPERVISOR"}));
    auth_.AddSession("s-carl", MakeUser(kCarl, "cc2", {"ROLE_AGENT"}));
    domain::Principal root;
    root.user_id = std::string(32, 'f');
    root.system_admin = true;
    auth_.AddSession("s-root", root);
    auth_.AddBasic("Basic YWxpY2U6cHc=",
                   MakeUser(kAlice, "cc1", {"ROLE_AGENT"}), "s-alice-basic");
    auth_.AddBasic("Basic Ym9iOnB3", MakeUser(kBob, "cc1", {"ROLE_AGENT"}),
                   "s-bob-basic");
    auth_.AllowActFor(kSam, kAlice);
    Build(BrokerSettings{});
  }

  void Build(BrokerSettings settings) {
    endpoint_.reset();
    broker_.reset();
    broker_ = std::make_unique<Broker>(std::move(settings), &auth_, &exec_,
                                       &clock_, replay_);
    endpoint_ = std::make_unique<Endpoint>(broker_.get());
  }

  CapturedReply Post(const std::string& body,
                     const std::string& cookie = "JSESSIONID=s-alice",
                     HeaderList extra = {},
                     const std::string& path = "/api/v2/notifications") {
    HttpRequest req;
    req.method = "POST";
    req.target = path;
    req.headers.emplace_back("Content-Type", "application/json;charset=UTF-8");
    if (!cookie.empty()) req.headers.emplace_back("Cookie", cookie);
    for (auto& h : extra) req.headers.push_back(h);
    req.body = body;
    CapturedReply reply;
    endpoint_->HandleHttp(std::move(req), reply.responder());
    return reply;
  }

  // Handshakes and makes the first connect; returns the clientId.
  std::string Open(const std::string& cookie = "JSESSIONID=s-alice",
                   const std::string& ext = "", bool first_connect = true) {
    CapturedReply hs =
        Post(R"([{"id":"1","channel":"/meta/handshake","version":"1.0",)"
             R"("supportedConnectionTypes":["long-polling"])" +
                 ext + "}]",
             cookie);
    EXPECT_TRUE(hs.done());
    json::object r = hs.messages().at(0).as_object();
    EXPECT_EQ(r.at("successful"), true) << hs.body();
    std::string client_id(r.at("clientId").as_string());
    if (first_connect) {
      CapturedReply c = Post(Connect(client_id), cookie);
      EXPECT_TRUE(c.done());
    }
    return client_id;
  }

  static std::string Connect(const std::string& client_id,
                             const std::string& extra = "",
                             const std::string& id = "2") {
    return R"([{"id":")" + id +
           R"(","channel":"/meta/connect","connectionType":"long-polling",)" +
           R"("clientId":")" + client_id + "\"" + extra + "}]";
  }
  static std::string Subscribe(const std::string& client_id,
                               const std::string& subscription) {
    return R"([{"id":"3","channel":"/meta/subscribe","clientId":")" +
           client_id + R"(","subscription":)" + subscription + "}]";
  }
  static std::string Disconnect(const std::string& client_id) {
    return R"([{"id":"9","channel":"/meta/disconnect","clientId":")" +
           client_id + "\"}]";
  }

  void Sub(const std::string& client_id, const std::string& subscription,
           const std::string& cookie = "JSESSIONID=s-alice") {
    CapturedReply r = Post(Subscribe(client_id, subscription), cookie);
    ASSERT_TRUE(r.done());
    ASSERT_EQ(r.messages().back().as_object().at("successful"), true)
        << r.body();
  }

  static domain::Notification Note(const std::string& user,
                                   const std::string& topic,
                                   const std::string& type, int64_t seq = 0) {
    domain::Notification n;
    n.contact_center_id = user == kCarl ? "cc2" : "cc1";
    n.user_id = user;
    n.user_uri = "http://localhost:8090/api/v2/users/" + user;
    n.topic = topic;
    n.data = json::object{{"messageType", type}};
    n.seq = seq;
    return n;
  }

  static json::object Find(const json::array& msgs, std::string_view channel) {
    for (const auto& m : msgs)
      if (m.as_object().at("channel").as_string() == channel)
        return m.as_object();
    ADD_FAILURE() << "no message on " << channel << " in "
                  << json::serialize(msgs);
    return {};
  }
  static int Count(const json::array& msgs, std::string_view channel) {
    int n = 0;
    for (const auto& m : msgs)
      n += m.as_object().at("channel").as_string() == channel;
    return n;
  }

  testing::FakeClock clock_;
  testing::FakeExecutor exec_;
  testing::FakeAuthenticator auth_;
  domain::ReplayLog* replay_ = nullptr;  // set before Build() to offer replay
  std::unique_ptr<Broker> broker_;
  std::unique_ptr<Endpoint> endpoint_;
};

}  // namespace workbind::cometd::testing
