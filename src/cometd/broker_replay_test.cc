// The replay extension (extensions.md §2) at the broker: handshake bounds and
// availability, replay on subscribe within the window, the merge with live
// events that arrive while the log is read, and ReplayUnavailable.
#include <map>

#include "cometd/broker_test_fixture.h"

namespace workbind::cometd::testing {
namespace {

// A replay log in memory: every notification ever recorded per user; the
// ones with seq < oldest are "no longer retained".
class FakeReplayLog final : public domain::ReplayLog {
 public:
  void Add(domain::Notification n) { log_[n.user_id].push_back(std::move(n)); }
  int64_t oldest = 1;
  bool fail = false;

  Result<domain::ReplayBounds> Bounds(const std::string& user) override {
    if (fail) return Internal("log down");
    domain::ReplayBounds b;
    for (const auto& n : log_[user]) {
      b.last_seq = std::max(b.last_seq, n.seq);
      if (n.seq >= oldest && (b.oldest_seq == 0 || n.seq < b.oldest_seq))
        b.oldest_seq = n.seq;
    }
    return b;
  }
  Result<std::vector<domain::Notification>> Since(const std::string& user,
                                                  int64_t from) override {
    ++reads;
    if (fail) return Internal("log down");
    std::vector<domain::Notification> out;
    for (const auto& n : log_[user])
      if (n.seq >= from && n.seq >= oldest) out.push_back(n);
    return out;
  }
  int reads = 0;

 private:
  std::map<std::string, std::vector<domain::Notification>> log_;
};

class BrokerReplayTest : public BrokerTest {
 protected:
  BrokerReplayTest() {
    // alice's seq 1..10: odd ones on workbins, even ones on channels.
    for (int64_t seq = 1; seq <= 10; ++seq)
      log_.Add(Note(kAlice, seq % 2 ? "workbins" : "channels",
                    "M" + std::to_string(seq), seq));
    log_.oldest = 5;
    replay_ = &log_;
    Build(BrokerSettings{});
  }

  // Handshakes with ext.replay = `replay`; returns (clientId, ext.replay).
  std::pair<std::string, json::object> Handshake(const std::string& replay) {
    CapturedReply hs =
        Post(R"([{"id":"1","channel":"/meta/handshake","version":"1.0",)"
             R"("supportedConnectionTypes":["long-polling"],"ext":{"replay":)" +
             replay + "}}]");
    json::object r = hs.messages().at(0).as_object();
    EXPECT_EQ(r.at("successful"), true) << hs.body();
    json::object ext;
    if (const auto* e = r.if_contains("ext"))
      if (const auto* rp = e->as_object().if_contains("replay"))
        ext = rp->as_object();
    std::string id(r.at("clientId").as_string());
    EXPECT_TRUE(Post(Connect(id)).done());
    return {id, ext};
  }
  // The events the next connect returns (it must not be held).
  json::array Events(const std::string& id) {
    CapturedReply c = Post(Connect(id, "", "5"));
    EXPECT_TRUE(c.done()) << "connect was held: nothing queued";
    json::array events;
    if (!c.done()) return events;
    for (auto& m : c.messages())
      if (m.as_object().at("channel") != "/meta/connect") events.push_back(m);
    return events;
  }
  // Subscribes; returns the events that rode along on the reply.
  json::array SubscribeEvents(const std::string& id, const std::string& sub) {
    CapturedReply r = Post(Subscribe(id, sub));
    json::array events;
    bool ok = false;
    for (auto& m : r.messages()) {
      if (m.as_object().at("channel") == "/meta/subscribe")
        ok = m.as_object().at("successful") == true;
      else
        events.push_back(m);
    }
    EXPECT_TRUE(ok) << r.body();
    return events;
  }
  static std::vector<int64_t> Seqs(const json::array& events) {
    std::vector<int64_t> out;
    for (const auto& e : events)
      out.push_back(e.as_object().at("ext").at("seq").as_int64());
    return out;
  }

  FakeReplayLog log_;
};

TEST_F(BrokerReplayTest, HandshakeReportsBoundsAndAvailability) {
  auto [id, plain] = Handshake("{}");
  EXPECT_EQ(plain, (json::object{{"lastSeq", 10}, {"oldestSeq", 5}}));
  struct Case {
    std::string ask;
    int64_t echoed;
    bool available;
  } cases[] = {
      {R"({"fromSeq":7})", 7, true},    {R"({"fromSeq":5})", 5, true},
      {R"({"fromSeq":4})", 4, false},   {R"({"fromSeq":11})", 11, true},
      {R"({"fromSeq":12})", 12, false}, {R"({"fromSeq":0})", 1, false},
      {R"({"fromSeq":-3})", 1, false}};
  for (const auto& c : cases) {
    auto [cid, ext] = Handshake(c.ask);
    EXPECT_EQ(ext.at("fromSeq").as_int64(), c.echoed) << c.ask;
    EXPECT_EQ(ext.at("available").as_bool(), c.available) << c.ask;
    EXPECT_EQ(ext.at("lastSeq").as_int64(), 10);
  }
}

TEST_F(BrokerReplayTest, EmptyLogIsAvailableFromOne) {
  auth_.AddSession("s-new", MakeUser(std::string(32, 'e'), "cc1", {}));
  CapturedReply hs =
      Post(R"([{"id":"1","channel":"/meta/handshake","version":"1.0",)"
           R"("supportedConnectionTypes":["long-polling"],)"
           R"("ext":{"replay":{"fromSeq":1}}}])",
           "JSESSIONID=s-new");
  json::object ext =
      hs.messages().at(0).as_object().at("ext").at("replay").as_object();
  EXPECT_EQ(
      ext, (json::object{{"lastSeq", 0}, {"fromSeq", 1}, {"available", true}}));
}

TEST_F(BrokerReplayTest, SubscribeReplaysMatchingMessagesInOrder) {
  auto [id, ext] = Handshake(R"({"fromSeq":6})");
  ASSERT_EQ(ext.at("available"), true);
  Sub(id, R"("/v2/me/workbins")");
  json::array events = Events(id);
  EXPECT_EQ(Seqs(events), (std::vector<int64_t>{7, 9}));
  for (const auto& e : events) {
    EXPECT_EQ(e.at("channel"), "/v2/me/workbins");
    EXPECT_EQ(e.at("ext").at("replayed"), true);
  }
  EXPECT_EQ(events[0].at("data").at("messageType"), "M7");
  // A later subscribe in the window replays only what it adds, and nothing
  // twice.
  Sub(id, R"("/v2/me/*")");
  EXPECT_EQ(Seqs(Events(id)), (std::vector<int64_t>{6, 8, 10}));
}

TEST_F(BrokerReplayTest, LiveEventsDuringTheReadAreMergedOnce) {
  auto [id, ext] = Handshake(R"({"fromSeq":8})");
  exec_.manual = true;  // the log read waits on the executor
  Sub(id, R"("/v2/me/*")");
  // Seq 10 was committed before the read but is delivered now; 11 is new.
  broker_->Deliver({Note(kAlice, "workbins", "M9", 9),
                    Note(kAlice, "channels", "M10", 10),
                    Note(kAlice, "workbins", "M11", 11)});
  log_.Add(Note(kAlice, "workbins", "M11", 11));
  exec_.RunAll();
  exec_.manual = false;
  json::array events = Events(id);
  EXPECT_EQ(Seqs(events), (std::vector<int64_t>{8, 9, 10, 11}));
  EXPECT_EQ(events[0].at("ext").at("replayed"), true);
  // Live delivery continues normally, once.
  broker_->Deliver({Note(kAlice, "workbins", "M12", 12),
                    Note(kAlice, "workbins", "M12", 12)});
  EXPECT_EQ(Seqs(Events(id)), (std::vector<int64_t>{12}));
}

TEST_F(BrokerReplayTest, GapSendsReplayUnavailableOnce) {
  auto [id, ext] = Handshake(R"({"fromSeq":2})");
  ASSERT_EQ(ext.at("available"), false);
  Sub(id, R"("/v2/me/channels")");  // does not match /v2/me/replay
  broker_->Deliver({Note(kAlice, "channels", "M11", 11)});
  EXPECT_EQ(Seqs(Events(id)), (std::vector<int64_t>{11}));
  // Delivered with the subscribe reply.
  json::array events = SubscribeEvents(id, R"("/v2/me/*")");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("channel"), "/v2/me/replay");
  EXPECT_EQ(events[0].at("data"),
            (json::object{{"messageType", "ReplayUnavailable"},
                          {"fromSeq", 2},
                          {"lastSeq", 10},
                          {"oldestSeq", 5}}));
  EXPECT_EQ(events[0].as_object().count("ext"), 0u);
  EXPECT_TRUE(SubscribeEvents(id, R"("/v2/me/replay")").empty());
  broker_->Deliver({Note(kAlice, "workbins", "M12", 12)});
  EXPECT_EQ(Seqs(Events(id)), (std::vector<int64_t>{12}));
  EXPECT_EQ(log_.reads, 0);
}

TEST_F(BrokerReplayTest, SubscribeAfterTheWindowIsNotReplayed) {
  auto [id, ext] = Handshake(R"({"fromSeq":5})");
  clock_.Advance(30001);
  Sub(id, R"("/v2/me/*")");
  broker_->Deliver({Note(kAlice, "workbins", "M11", 11)});
  EXPECT_EQ(Seqs(Events(id)), (std::vector<int64_t>{11}));
  EXPECT_EQ(log_.reads, 0);
}

TEST_F(BrokerReplayTest, UnreadableLogTellsTheClientToReRead) {
  log_.fail = true;
  auto [id, ext] = Handshake(R"({"fromSeq":7})");
  EXPECT_EQ(ext.at("available"), false);
  json::array events = SubscribeEvents(id, R"("/v2/me/*")");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("data").at("messageType"), "ReplayUnavailable");
}

TEST_F(BrokerTest, ReplayIsNotOfferedWithoutALog) {
  CapturedReply hs =
      Post(R"([{"id":"1","channel":"/meta/handshake","version":"1.0",)"
           R"("supportedConnectionTypes":["long-polling"],)"
           R"("ext":{"replay":{"fromSeq":1}}}])");
  json::object r = hs.messages().at(0).as_object();
  EXPECT_EQ(r.at("successful"), true);
  EXPECT_EQ(r.count("ext"), 0u);
}

}  // namespace
}  // namespace workbind::cometd::testing
