// Storage contract under concurrency across stores: two Store instances on
// one database stand for two processes (or two nodes). The conditional
// interaction update must let exactly one of two concurrent pulls win (and
// one of an accept and a revoke of the same offer), a read-modify-write of
// an interaction must not lose a concurrent one, the absence of a keyed row
// (an agent state, an Idempotency-Key) must decide for one of two racing
// writers only, and referenceId counters must never hand out a value twice.
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

// Runs `fn(store, i)` on both stores at once (i = 0, 1), `rounds` times:
// `reset` before each round, `check(round)` after both ended.
template <typename Reset, typename Fn, typename Check>
void Race(Store& one, Store& two, int rounds, const Reset& reset, const Fn& fn,
          const Check& check) {
  for (int round = 0; round < rounds; ++round) {
    ASSERT_TRUE(reset().ok()) << "round " << round;
    std::barrier start(2);
    std::thread a([&] {
      start.arrive_and_wait();
      fn(one, 0);
    });
    std::thread b([&] {
      start.arrive_and_wait();
      fn(two, 1);
    });
    a.join();
    b.join();
    check(round);
  }
}

TEST_P(ConcurrencyTest, AcceptAndRevokeOfOneOfferHaveOneWinner) {
  // The offer: X invited to u1.
  auto offer = [&] {
    return store().Write([](WriteTx& tx) -> Status {
      WB_ASSIGN_OR_RETURN(auto cur, tx.GetInteraction("X"));
      if (!cur) return NotFound("gone");
      InteractionRecord next = *cur;
      next.state = "Invited";
      next.owner_id = "u1";
      next.workbin_id.reset();
      return tx.UpdateInteraction(next, *cur);
    });
  };
  Status results[2];
  auto settle = [&](Store& s, int i) {
    results[i] = s.Write([&](WriteTx& tx) -> Status {
      WB_ASSIGN_OR_RETURN(auto cur, tx.GetInteraction("X"));
      if (!cur) return NotFound("gone");
      if (cur->state != "Invited") return InUse("offer settled");
      InteractionRecord next = *cur;
      if (i == 0) {  // accept
        next.state = "Processing";
      } else {  // revoke (timeout): back to the workbin
        next.state = "InWorkbin";
        next.owner_id.reset();
        next.workbin_id = "w1";
      }
      return tx.UpdateInteraction(next, *cur);
    });
  };
  auto check = [&](int round) {
    ASSERT_EQ(results[0].ok() + results[1].ok(), 1)
        << "round " << round << ": " << results[0].message() << " / "
        << results[1].message();
    std::optional<InteractionRecord> x;
    ASSERT_TRUE(other_
                    ->Read([&](ReadTx& tx) {
                      WB_ASSIGN_OR_RETURN(x, tx.GetInteraction("X"));
                      return Status::Ok();
                    })
                    .ok());
    ASSERT_TRUE(x.has_value());
    EXPECT_EQ(x->state, results[0].ok() ? "Processing" : "InWorkbin")
        << "round " << round;
  };
  Race(store(), *other_, 100, offer, settle, check);
}

TEST_P(ConcurrencyTest, ReadModifyWritesOfOneInteractionAreNotLost) {
  constexpr int kThreadsPerStore = 2, kEach = 20;
  size_t before = 0;
  ASSERT_TRUE(store()
                  .Read([&](ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(auto x, tx.GetInteraction("X"));
                    before = x ? x->user_data.size() : 0;
                    return Status::Ok();
                  })
                  .ok());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2 * kThreadsPerStore; ++t) {
    Store* s = t % 2 == 0 ? &store() : other_.get();
    threads.emplace_back([&, s] {
      for (int i = 0; i < kEach; ++i) {
        Status st = s->Write([&](WriteTx& tx) -> Status {
          WB_ASSIGN_OR_RETURN(auto cur, tx.GetInteraction("X"));
          if (!cur) return NotFound("gone");
          InteractionRecord next = *cur;
          next.user_data += "x";  // not part of the location
          return tx.UpdateInteraction(next, *cur);
        });
        if (!st.ok()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::optional<InteractionRecord> x;
  ASSERT_TRUE(store()
                  .Read([&](ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(x, tx.GetInteraction("X"));
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_TRUE(x.has_value());
  EXPECT_EQ(x->user_data.size(),
            before + static_cast<size_t>(2 * kThreadsPerStore * kEach))
      << "an update was lost";
}

TEST_P(ConcurrencyTest, AbsentRowsDecideForOneOfTwoWriters) {
  int round_now = -1;
  Status agent[2], key[2];
  auto clear = [&] {
    ++round_now;
    return store().Write([](WriteTx& tx) { return tx.DeleteAgentState("u1"); });
  };
  auto claim = [&](Store& s, int i) {
    // Logs u1 in only when it has no contact-center session.
    agent[i] = s.Write([&](WriteTx& tx) -> Status {
      WB_ASSIGN_OR_RETURN(auto cur, tx.GetAgentState("u1"));
      if (cur) return InUse("already logged in");
      AgentStateRecord r;
      r.user_id = "u1";
      r.contact_center_id = "cc-1";
      return tx.PutAgentState(r);
    });
    // Claims an Idempotency-Key only when it is not stored yet.
    const std::string k = "k" + std::to_string(round_now);
    key[i] = s.Write([&](WriteTx& tx) -> Status {
      WB_ASSIGN_OR_RETURN(auto cur, tx.GetIdempotencyKey("u1", k, 0));
      if (cur) return InUse("key taken");
      IdempotencyRecord r;
      r.user_id = "u1";
      r.key = k;
      r.fingerprint = std::to_string(i);
      r.expires_ms = int64_t{1} << 50;
      return tx.PutIdempotencyKey(r);
    });
  };
  auto check = [&](int round) {
    EXPECT_EQ(agent[0].ok() + agent[1].ok(), 1)
        << "round " << round << ": " << agent[0].message() << " / "
        << agent[1].message();
    EXPECT_EQ(key[0].ok() + key[1].ok(), 1)
        << "round " << round << ": " << key[0].message() << " / "
        << key[1].message();
  };
  Race(store(), *other_, 50, clear, claim, check);
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
