// Test fixture for the interaction services and the router: a fresh SQLite
// store with one contact center (alice and bob agents of team-a, sam its
// supervisor, feeder an API user, queues q and q2 to team-a, an Agent
// workbin "inbox" of alice and of bob and a team-a workbin), the services
// wired as the app wires them, a fake clock and a sink that records every
// notification. Test-only.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <filesystem>
#include <memory>
#include <mutex>

#include "app/open_store.h"
#include "domain/agents/agent_state_service.h"
#include "domain/interactions/contact_service.h"
#include "domain/interactions/interaction_service.h"
#include "domain/interactions/queue_service.h"
#include "domain/provisioning/interaction_usage.h"
#include "domain/routing/router.h"
#include "domain/workbins/workbin_service.h"

namespace workbind::domain::testing {

class FakeClock : public Clock {
 public:
  int64_t NowMillis() const override { return now; }
  std::chrono::steady_clock::time_point SteadyNow() const override {
    return std::chrono::steady_clock::time_point(
        std::chrono::milliseconds(now));
  }
  std::atomic<int64_t> now{1'715'679'012'000};
};

class RecordingSink : public EventSink {
 public:
  void Deliver(std::vector<Notification> n) override {
    std::lock_guard<std::mutex> lock(mu);
    for (auto& x : n) all.push_back(std::move(x));
  }
  void HttpSessionEnded(const std::string&) override {}
  std::vector<Notification> Take() {
    std::lock_guard<std::mutex> lock(mu);
    return std::exchange(all, {});
  }
  std::mutex mu;
  std::vector<Notification> all;
};

inline const char* kCc = "11111111-1111-5111-8111-111111111111";
inline const char* kQueueId = "22222222-2222-5222-8222-222222222222";
inline const char* kQueue2Id = "33333333-3333-5333-8333-333333333333";
inline const char* kGroupId = "44444444-4444-5444-8444-444444444444";
inline const char* kAlice = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
inline const char* kBob = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
inline const char* kSam = "cccccccccccccccccccccccccccccccc";
inline const char* kFeeder = "dddddddddddddddddddddddddddddddd";
inline const char* kAliceWb = "55555555-5555-5555-8555-555555555551";
inline const char* kBobWb = "55555555-5555-5555-8555-555555555552";
inline const char* kTeamWb = "55555555-5555-5555-8555-555555555553";

class InteractionEnv : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = std::filesystem::temp_directory_path() /
           ("wb-interactions-" + std::to_string(getpid()) + "-" +
            std::to_string(counter++));
    std::filesystem::remove_all(dir_);
    Open();
    ASSERT_TRUE(
        store_
            ->Write([](storage::WriteTx& tx) {
              storage::ContactCenterRecord cc;
              cc.id = kCc;
              cc.name = "test";
              cc.display_name = "Test";
              cc.features = {"api-multimedia"};
              cc.capacity = {{"workitem", 1}, {"email", 1}, {"chat", 2}};
              WB_RETURN_IF_ERROR(tx.PutContactCenter(cc));
              auto user = [&](const char* id, const char* name,
                              const char* role) {
                storage::UserRecord u;
                u.id = id;
                u.contact_center_id = kCc;
                u.user_name = name;
                u.first_name = name;
                u.password_hash = "x";
                u.roles = {role};
                return tx.PutUser(u);
              };
              WB_RETURN_IF_ERROR(user(kAlice, "alice", "ROLE_AGENT"));
              WB_RETURN_IF_ERROR(user(kBob, "bob", "ROLE_AGENT"));
              WB_RETURN_IF_ERROR(user(kSam, "sam", "ROLE_SUPERVISOR"));
              WB_RETURN_IF_ERROR(user(kFeeder, "feeder", "ROLE_APIUSER"));
              WB_RETURN_IF_ERROR(tx.PutAgentGroup(
                  {kGroupId, kCc, "team-a", {kAlice, kBob}, {kSam}}));
              WB_RETURN_IF_ERROR(
                  tx.PutQueue({kQueueId, kCc, "q", "", kGroupId}));
              WB_RETURN_IF_ERROR(
                  tx.PutQueue({kQueue2Id, kCc, "q2", "", kGroupId}));
              const char* inbox = "66666666-6666-5666-8666-666666666661";
              const char* team = "66666666-6666-5666-8666-666666666662";
              WB_RETURN_IF_ERROR(tx.PutWorkbinDefinition(
                  {inbox, kCc, "inbox", "Inbox", "Agent", std::nullopt}));
              WB_RETURN_IF_ERROR(
                  tx.PutWorkbinDefinition({team, kCc, "backlog", "Backlog",
                                           "AgentGroup", std::nullopt}));
              WB_RETURN_IF_ERROR(
                  tx.PutWorkbin({kAliceWb, kCc, inbox, "Agent", kAlice}));
              WB_RETURN_IF_ERROR(
                  tx.PutWorkbin({kBobWb, kCc, inbox, "Agent", kBob}));
              return tx.PutWorkbin(
                  {kTeamWb, kCc, team, "AgentGroup", kGroupId});
            })
            .ok());
    Wire();
  }

  void TearDown() override {
    Unwire();
    std::filesystem::remove_all(dir_);
  }

  void Open() {
    storage::StoreOptions o;
    o.data_dir = dir_.string();
    o.sqlite_synchronous_full = false;
    store_ = std::move(storage::OpenStore(o)).value();
  }

  void Wire() {
    directories_ = std::make_unique<DirectoryCache>(store_.get());
    notifier_ = std::make_unique<Notifier>(&sink_, "http://h/api/v2", &clock_);
    renderer_ = std::make_unique<InteractionRenderer>("http://h/api/v2",
                                                      TimeZone::Utc());
    router_ =
        std::make_unique<Router>(store_.get(), directories_.get(),
                                 notifier_.get(), renderer_.get(), &clock_);
    interactions_ = std::make_unique<InteractionService>(Deps());
    queues_ = std::make_unique<QueueService>(Deps());
    agents_ = std::make_unique<AgentStateService>(
        store_.get(), directories_.get(), notifier_.get(), &clock_);
    agents_->SetObserver(router_.get());
    workbins_ = std::make_unique<WorkbinService>(Deps());
  }

  // What the interaction, queue and workbin services are built from.
  ServiceDeps Deps() {
    return ServiceDeps{.store = store_.get(),
                       .directories = directories_.get(),
                       .notifier = notifier_.get(),
                       .renderer = renderer_.get(),
                       .clock = &clock_,
                       .trigger = router_.get()};
  }

  void Unwire() {
    workbins_.reset();
    agents_.reset();
    queues_.reset();
    interactions_.reset();
    router_.reset();
    store_.reset();
  }

  // Closes and reopens the store and every service (a server restart).
  void Restart() {
    Unwire();
    Open();
    Wire();
  }

  static Principal Who(const char* id, const char* name, const char* role) {
    Principal p;
    p.user_id = id;
    p.user_name = name;
    p.contact_center_id = kCc;
    p.roles = {role};
    return p;
  }
  Principal alice() const { return Who(kAlice, "alice", "ROLE_AGENT"); }
  Principal bob() const { return Who(kBob, "bob", "ROLE_AGENT"); }
  Principal sam() const { return Who(kSam, "sam", "ROLE_SUPERVISOR"); }
  Principal feeder() const { return Who(kFeeder, "feeder", "ROLE_APIUSER"); }

  // Logs the user in on `channels`, then sets each Ready (or NotReady).
  void Login(const Principal& p, const std::vector<std::string>& channels,
             bool ready = true) {
    ASSERT_TRUE(agents_->Start(p, channels, std::nullopt).ok());
    for (const auto& c : channels)
      ASSERT_TRUE(agents_->SetState(p, p.user_id, c, ready, std::nullopt).ok());
  }
  void SetReady(const Principal& p, const std::string& channel, bool ready) {
    ASSERT_TRUE(
        agents_->SetState(p, p.user_id, channel, ready, std::nullopt).ok());
  }

  std::string Submit(const std::string& media, const char* queue = kQueueId,
                     std::optional<std::string> contact = std::nullopt) {
    SubmitRequest r;
    r.media_type = media;
    r.contact_id = contact;
    auto result = queues_->Submit(feeder(), queue, r);
    EXPECT_TRUE(result.ok()) << result.status().message();
    return result.ok() ? result->id : "";
  }

  Result<int64_t> Do(const Principal& p, const std::string& id,
                     InteractionOp op, OperationRequest r = {}) {
    r.op = op;
    return interactions_->Operate(p, ItemRoute::kAlias, "", id, r);
  }

  storage::InteractionRecord Get(const std::string& id) {
    std::optional<storage::InteractionRecord> r;
    EXPECT_TRUE(store_
                    ->Read([&](storage::ReadTx& tx) {
                      WB_ASSIGN_OR_RETURN(r, tx.GetInteraction(id));
                      return Status::Ok();
                    })
                    .ok());
    EXPECT_TRUE(r.has_value()) << id;
    return r.value_or(storage::InteractionRecord{});
  }

  // Expects interaction `id` where `before` left it (state, owner, workbin,
  // user data), still with `events` history events, and nothing notified.
  void ExpectUntouched(const std::string& id,
                       const storage::InteractionRecord& before,
                       size_t events) {
    const auto after = Get(id);
    EXPECT_EQ(after.state, before.state);
    EXPECT_EQ(after.owner_id, before.owner_id);
    EXPECT_EQ(after.workbin_id, before.workbin_id);
    EXPECT_EQ(after.user_data, before.user_data);
    EXPECT_EQ(History(id).size(), events);
    EXPECT_TRUE(sink_.Take().empty());
  }

  std::vector<storage::HistoryEventRecord> History(const std::string& id) {
    std::vector<storage::HistoryEventRecord> h;
    EXPECT_TRUE(store_
                    ->Read([&](storage::ReadTx& tx) {
                      WB_ASSIGN_OR_RETURN(h, tx.ListInteractionHistory(id));
                      return Status::Ok();
                    })
                    .ok());
    return h;
  }

  // The queue's waitingCount, as provisioning reads it.
  int64_t Waiting(const char* queue_id) {
    int64_t n = -1;
    InteractionUsage usage;
    EXPECT_TRUE(store_
                    ->Read([&](storage::ReadTx& tx) {
                      WB_ASSIGN_OR_RETURN(n,
                                          usage.WaitingInQueue(tx, queue_id));
                      return Status::Ok();
                    })
                    .ok());
    return n;
  }

  // The notifications sent so far to `user_id` on `topic`.
  std::vector<Notification> For(const std::vector<Notification>& all,
                                const std::string& user_id,
                                const std::string& topic) {
    std::vector<Notification> out;
    for (const auto& n : all)
      if (n.user_id == user_id && n.topic == topic) out.push_back(n);
    return out;
  }

  static std::string StateIn(const Notification& n, const char* key) {
    return std::string(n.data.at(key).as_object().at("state").as_string());
  }

  std::filesystem::path dir_;
  FakeClock clock_;
  RecordingSink sink_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<DirectoryCache> directories_;
  std::unique_ptr<Notifier> notifier_;
  std::unique_ptr<InteractionRenderer> renderer_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<InteractionService> interactions_;
  std::unique_ptr<QueueService> queues_;
  std::unique_ptr<AgentStateService> agents_;
  std::unique_ptr<WorkbinService> workbins_;
};

}  // namespace workbind::domain::testing
