// Test doubles for the cometd unit tests: a settable clock, an in-memory
// Authenticator, an executor that runs tasks at once or on demand, captured
// HTTP replies and a recording WebSocket connection. Test-only.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cometd/authenticator.h"
#include "cometd/request_decoding.h"
#include "common/clock.h"
#include "common/executor.h"
#include "common/http_message.h"
#include "net/websocket.h"

namespace workbind::cometd::testing {

class FakeClock final : public Clock {
 public:
  int64_t NowMillis() const override { return 1700000000000 + offset_ms_; }
  std::chrono::steady_clock::time_point SteadyNow() const override {
    return std::chrono::steady_clock::time_point(
        std::chrono::milliseconds(1000000 + offset_ms_));
  }
  void Advance(int64_t ms) { offset_ms_ += ms; }

 private:
  int64_t offset_ms_ = 0;
};

// Runs tasks at once, or queues them until RunAll() when `manual`.
class FakeExecutor final : public Executor {
 public:
  void Post(std::function<void()> task) override {
    if (!manual) {
      task();
      return;
    }
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(std::move(task));
  }
  void RunAll() {
    for (;;) {
      std::function<void()> t;
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (tasks_.empty()) return;
        t = std::move(tasks_.front());
        tasks_.pop_front();
      }
      t();
    }
  }
  bool manual = false;

 private:
  std::mutex mu_;
  std::deque<std::function<void()>> tasks_;
};

// Users by JSESSIONID cookie and by Authorization header value.
class FakeAuthenticator final : public Authenticator {
 public:
  void AddSession(const std::string& cookie, domain::Principal p) {
    p.http_session_id = cookie;
    sessions_[cookie] = std::move(p);
  }
  // Basic credentials `header` authenticate `p`, creating HTTP session
  // `new_session` (with a Set-Cookie) when no cookie of that user is sent.
  void AddBasic(const std::string& header, domain::Principal p,
                const std::string& new_session) {
    p.http_session_id = new_session;
    basic_[header] = std::move(p);
  }
  // The HTTP session `cookie` ends (its cookie no longer authenticates).
  void RemoveSession(const std::string& cookie) { sessions_.erase(cookie); }
  void AllowActFor(const std::string& who, const std::string& user) {
    act_for_.insert({who, user});
  }

  Result<domain::Principal> Authenticate(const HttpRequest& req,
                                         HeaderList* reply_headers) override {
    std::string_view authz = req.Header("Authorization");
    if (!authz.empty()) {
      auto it = basic_.find(std::string(authz));
      if (it == basic_.end()) return Unauthenticated();
      reply_headers->emplace_back("Set-Cookie",
                                  "JSESSIONID=" + it->second.http_session_id);
      return it->second;
    }
    for (const auto& cookie : CookieValues(req, "JSESSIONID")) {
      auto it = sessions_.find(cookie);
      if (it != sessions_.end()) return it->second;
    }
    return Unauthenticated();
  }
  Result<std::string> VerifyBasic(const HttpRequest& req) override {
    auto it = basic_.find(std::string(req.Header("Authorization")));
    if (it == basic_.end()) return Unauthenticated();
    return it->second.user_id;
  }
  bool MayActFor(const domain::Principal& who,
                 const std::string& user_id) override {
    return who.user_id == user_id || act_for_.count({who.user_id, user_id}) > 0;
  }
  void TouchSession(const std::string& http_session_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    touched.push_back(http_session_id);
  }
  std::vector<std::string> touched;

 private:
  std::mutex mu_;
  std::map<std::string, domain::Principal> sessions_;
  std::map<std::string, domain::Principal> basic_;
  std::set<std::pair<std::string, std::string>> act_for_;
};

// The reply of one HTTP request, once given.
struct CapturedReply {
  std::shared_ptr<std::optional<HttpResponse>> response =
      std::make_shared<std::optional<HttpResponse>>();
  int calls_ = 0;

  Responder responder() {
    auto r = response;
    return [r](HttpResponse resp) {
      EXPECT_FALSE(r->has_value()) << "Responder called twice";
      *r = std::move(resp);
    };
  }
  bool done() const { return response->has_value(); }
  int status() const { return response->value().status; }
  const std::string& body() const { return response->value().body; }
  boost::json::array messages() const {
    return boost::json::parse(body()).as_array();
  }
  std::string header(std::string_view name) const {
    for (const auto& [k, v] : (*response)->headers)
      if (EqualsIgnoreCase(k, name)) return v;
    return {};
  }
};

class FakeWsConnection final : public net::WebSocketConnection {
 public:
  bool Send(std::string text) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (closed) return false;
    frames.push_back(std::move(text));
    return true;
  }
  void Close() override { CloseWithCode(1000); }
  void CloseWithCode(int code) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (!closed) close_code = code;
    closed = true;
  }
  const std::string& remote_address() const override { return address_; }
  // Frames sent so far, parsed, then forgotten.
  std::vector<boost::json::array> Take() {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<boost::json::array> out;
    for (const auto& f : frames)
      out.push_back(boost::json::parse(f).as_array());
    frames.clear();
    return out;
  }
  std::vector<std::string> frames;
  bool closed = false;
  int close_code = 0;  // the code of the first close

 private:
  std::mutex mu_;
  std::string address_ = "127.0.0.1";
};

}  // namespace workbind::cometd::testing
