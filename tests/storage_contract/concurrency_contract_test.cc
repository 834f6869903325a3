// Storage contract under concurrency across stores: two Store instances on
// one database stand for two processes (or two nodes). The conditional
// interaction update must let exactly one of two concurrent pulls win, and
// referenceId counters must never hand out a value twice.
#include <atomic>
#include <barrier>
#include <mutex>
#include <set>
#include <thread>

#include "backend_fixture.h"

namespace workbind::storage::testing {
namespace {

class ConcurrencyTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    ASSERT_TRUE(store()
                    .Write([](WriteTx& tx) {
                      ContactCenterRecord c;
                      c.id = c.name = c.display_name = "cc-1";
                      WB_RETURN_IF_ERROR(tx.PutContactCenter(c));
                      for (const char* id : {"u1", "u2"}) {
                        UserRecord u;
                        u.id = id;
                        u.contact_center_id = "cc-1";
                        u.user_name = std::string("user-") + id;
                        u.password_hash = "x";
                        u.roles = {"ROLE_AGENT"};
                        WB_RETURN_IF_ERROR(tx.PutUser(u));
                      }
                      WB_RETURN_IF_ERROR(
                          tx.PutWorkbin({"w1", "cc-1", "d1", "Agent", "u1"}));
                      InteractionRecord r;
                      r.id = "X";
                      r.contact_center_id = "cc-1";
                      r.media_type = "workitem";
                      r.state = "InWorkbin";
                      r.working_state = "Processing";
                      r.direction = "Inbound";
                      r.workbin_id = "w1";
                      return tx.InsertInteraction(r);
                    })
                    .ok());
    auto other = OpenAnother();
    ASSERT_TRUE(other.ok()) << other.status().message();
    other_ = std::move(other).value();
  }
  void TearDown() override {
    other_.reset();
    StoreTest::TearDown();
  }

  // What the workbin service does for a Pull: read the item, check it is
  // still in the workbin, take it with the conditional update, record it.
  static Status Pull(Store& store, const std::string& user) {
    return store.Write([&](WriteTx& tx) -> Status {
      WB_ASSIGN_OR_RETURN(auto cur, tx.GetInteraction("X"));
      if (!cur) return NotFound("gone");
      if (cur->state != "InWorkbin") return InUse("no longer in the workbin");
      WB_ASSIGN_OR_RETURN(int64_t reference_id, tx.NextReferenceId(user));
      InteractionRecord next = *cur;
      next.state = "Processing";
      next.owner_id = user;
      next.workbin_id.reset();
      WB_RETURN_IF_ERROR(tx.UpdateInteraction(next, *cur));
      HistoryEventRecord e;
      e.interaction_id = "X";
      e.event = "PulledFromWorkbin";
      e.state = "Processing";
      e.user_id = user;
      e.reference_id = reference_id;
      return tx.AppendInteractionHistory(e).status();
    });
  }

  // Puts X back into w1 (whoever holds it).
  Status PutBack() {
    return store().Write([](WriteTx& tx) -> Status {
      WB_ASSIGN_OR_RETURN(auto cur, tx.GetInteraction("X"));
      if (!cur) return NotFound("gone");
      InteractionRecord next = *cur;
      next.state = "InWorkbin";
      next.owner_id.reset();
      next.workbin_id = "w1";
      return tx.UpdateInteraction(next, *cur);
    });
  }

  std::unique_ptr<Store> other_;
};

TEST_P(ConcurrencyTest, ConcurrentPullsThroughTwoStoresHaveOneWinner) {
  constexpr int kRounds = 200;
  int wins[2] = {0, 0};
  for (int round = 0; round < kRounds; ++round) {
    ASSERT_TRUE(PutBack().ok()) << "round " << round;
    Status results[2];
    std::barrier start(2);
    std::thread a([&] {
      start.arrive_and_wait();
      results[0] = Pull(store(), "u1");
    });
    std::thread b([&] {
      start.arrive_and_wait();
      results[1] = Pull(*other_, "u2");
    });
    a.join();
    b.join();
    const int winners = results[0].ok() + results[1].ok();
    ASSERT_EQ(winners, 1) << "round " << round << ": " << results[0].message()
                          << " / " << results[1].message();
    const int loser = results[0].ok() ? 1 : 0;
    ASSERT_EQ(results[loser].code(), Code::kInUse)
        << "round " << round << ": " << results[loser].message();
    ++wins[1 - loser];
    // The stored owner is the winner, and only the winner wrote history.
    std::optional<InteractionRecord> x;
    ASSERT_TRUE(other_
                    ->Read([&](ReadTx& tx) {
                      WB_ASSIGN_OR_RETURN(x, tx.GetInteraction("X"));
                      return Status::Ok();
                    })
                    .ok());
    ASSERT_TRUE(x.has_value());
    EXPECT_EQ(x->owner_id.value_or(""), loser == 1 ? "u1" : "u2");
  }
  std::vector<HistoryEventRecord> history;
  ASSERT_TRUE(store()
                  .Read([&](ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(history,
                                        tx.ListInteractionHistory("X"));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(history.size(), static_cast<size_t>(kRounds));
  EXPECT_EQ(wins[0] + wins[1], kRounds);
}

TEST_P(ConcurrencyTest, ReferenceIdsFromTwoStoresAreNeverReused) {
  constexpr int kThreadsPerStore = 4, kEach = 25;
  std::mutex mu;
  std::vector<int64_t> seen;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2 * kThreadsPerStore; ++t) {
    Store* s = t % 2 == 0 ? &store() : other_.get();
    threads.emplace_back([&, s] {
      for (int i = 0; i < kEach; ++i) {
        int64_t id = 0;
        Status st = s->Write([&](WriteTx& tx) {
          WB_ASSIGN_OR_RETURN(id, tx.NextReferenceId("u1"));
          return Status::Ok();
        });
        if (!st.ok()) {
          ++failures;
          continue;
        }
        std::lock_guard<std::mutex> lock(mu);
        seen.push_back(id);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::set<int64_t> distinct(seen.begin(), seen.end());
  EXPECT_EQ(distinct.size(), seen.size()) << "a referenceId was reused";
  ASSERT_EQ(seen.size(), static_cast<size_t>(2 * kThreadsPerStore * kEach));
  EXPECT_EQ(*distinct.begin(), 1);
  EXPECT_EQ(*distinct.rbegin(), 2 * kThreadsPerStore * kEach);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConcurrencyTest,
                         ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace workbind::storage::testing
