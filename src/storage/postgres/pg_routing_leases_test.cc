// The routing leases against a real server (WORKBIND_TEST_PG_DSN, set by
// tests/pg/with_test_postgres.sh in the CTest entry pg_routing_leases_test):
// of two nodes on one database one holds a contact center's lease, the
// other's wake reaches it, and when the holder's connection ends (its
// backend terminated, or the node stopped) a lease is held again within the
// lease period.
#include "storage/postgres/pg_routing_leases.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <pqxx/pqxx>
#include <vector>

namespace workbind::storage::postgres {
namespace {

using std::chrono::seconds;

std::string Dsn() {
  const char* dsn = std::getenv("WORKBIND_TEST_PG_DSN");
  return dsn ? dsn : "";
}

std::string Query(const std::string& sql) {
  pqxx::connection c(Dsn());
  const pqxx::result r = pqxx::nontransaction(c).exec(sql);
  return r.empty() || r[0][0].is_null() ? "" : r[0][0].c_str();
}

// The contact centers of the events of one node, in order.
class Events {
 public:
  LeaseEvents Make() {
    LeaseEvents e;
    e.gained = [this](const std::string& cc) { Add(&gained_, cc); };
    e.woken = [this](const std::string& cc) { Add(&woken_, cc); };
    return e;
  }
  // Waits up to `wait` until `n` gains (woken: wakes) were seen.
  size_t WaitGained(size_t n, seconds wait) { return WaitFor(&gained_, n, wait); }
  size_t WaitWoken(size_t n, seconds wait) { return WaitFor(&woken_, n, wait); }

 private:
  void Add(std::vector<std::string>* to, const std::string& cc) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      to->push_back(cc);
    }
    cv_.notify_all();
  }
  size_t WaitFor(std::vector<std::string>* of, size_t n, seconds wait) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, wait, [&] { return of->size() >= n; });
    return of->size();
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> gained_, woken_;
};

StoreOptions Options() {
  StoreOptions o;
  o.backend = "postgres";
  o.postgres_dsn = Dsn();
  o.postgres_routing_lease_seconds = 1;
  return o;
}

TEST(PgRoutingLeases, OneHolderAndATakeoverWithinTheLeasePeriod) {
  ASSERT_FALSE(Dsn().empty()) << "WORKBIND_TEST_PG_DSN must name a server";
  const std::string cc = "8d3a6b44-0f5e-4a59-9a43-6a2f3c9e0a11";
  Events ea, eb;
  auto a = OpenPgRoutingLeases(Options(), ea.Make(), "lease-test-a");
  auto b = OpenPgRoutingLeases(Options(), eb.Make(), "lease-test-b");

  EXPECT_FALSE(a->Held(cc));  // not tried yet
  a->Start();
  ASSERT_EQ(ea.WaitGained(1, seconds(10)), 1u);
  EXPECT_TRUE(a->Held(cc));
  EXPECT_EQ(a->held_count(), 1);

  // B wants the lease and wakes the holder in its first check, after its
  // attempt: when A hears the wake, B has tried and failed.
  EXPECT_FALSE(b->Held(cc));
  b->WakeHolder(cc);
  b->Start();
  ASSERT_GE(ea.WaitWoken(1, seconds(10)), 1u);
  EXPECT_FALSE(b->Held(cc));
  EXPECT_EQ(b->held_count(), 0);
  EXPECT_TRUE(a->Held(cc));
  EXPECT_EQ(Query("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                  "AND classid = " +
                  std::to_string(kRoutingLeaseClass) + " AND granted"),
            "1");

  // A's backend dies: A notices and reports no lease; one of the two holds
  // it again within the lease period (A may win it back on reconnecting).
  const std::string pid = Query(
      "SELECT pid FROM pg_stat_activity WHERE application_name = "
      "'lease-test-a'");
  ASSERT_FALSE(pid.empty());
  ASSERT_EQ(Query("SELECT pg_terminate_backend(" + pid + ")"), "t");
  const size_t regained_a = ea.WaitGained(2, seconds(1));
  const size_t gained_b = eb.WaitGained(1, seconds(5));
  if (gained_b == 0) {
    ASSERT_EQ(ea.WaitGained(2, seconds(5)), 2u) << "nobody took the lease";
  }
  (void)regained_a;
  EXPECT_EQ(a->held_count() + b->held_count(), 1);

  // The holder stops (its connection closes): the other takes over within
  // the lease period (1 s here; the wait allows for a loaded machine).
  RoutingLeases* holder = a->held_count() == 1 ? a.get() : b.get();
  RoutingLeases* standby = holder == a.get() ? b.get() : a.get();
  Events& standby_events = holder == a.get() ? eb : ea;
  const size_t before = standby_events.WaitGained(0, seconds(0));
  holder->Stop();
  EXPECT_EQ(holder->held_count(), 0);
  ASSERT_EQ(standby_events.WaitGained(before + 1, seconds(5)), before + 1)
      << "the standby did not take over";
  EXPECT_TRUE(standby->Held(cc));
  standby->Stop();
  EXPECT_EQ(standby->held_count(), 0);
}

}  // namespace
}  // namespace workbind::storage::postgres
