// PgListener against a real server (WORKBIND_TEST_PG_DSN, set by
// tests/pg/with_test_postgres.sh in the CTest entry pg_listener_test):
// notifications arrive with their payload, and after its backend is
// terminated the listener reconnects, asks for a catch-up and hears again.
#include "storage/postgres/pg_listener.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <pqxx/pqxx>
#include <thread>
#include <vector>

namespace workbind::storage::postgres {
namespace {

std::string Dsn() {
  const char* dsn = std::getenv("WORKBIND_TEST_PG_DSN");
  return dsn ? dsn : "";
}

void Exec(const std::string& sql) {
  pqxx::connection c(Dsn());
  pqxx::nontransaction(c).exec(sql);
}

// Every wake of the listener, in order ("" stands for a catch-up).
class Recorder {
 public:
  void Add(const std::optional<std::string>& payload) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      seen_.push_back(payload ? *payload : "");
    }
    cv_.notify_all();
  }
  // Waits until `n` wakes were seen; returns them.
  std::vector<std::string> WaitFor(size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(15),
                 [&] { return seen_.size() >= n; });
    return seen_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> seen_;
};

TEST(PgListener, DeliversPayloadsAndCatchesUpAfterItsBackendIsKilled) {
  ASSERT_FALSE(Dsn().empty()) << "WORKBIND_TEST_PG_DSN must name a server";
  Recorder rec;
  PgListener listener(Dsn(), "wb_listener_test",
                      [&](const std::optional<std::string>& p) { rec.Add(p); });
  listener.Start();
  ASSERT_EQ(rec.WaitFor(1), std::vector<std::string>{""});  // first catch-up
  const int first_pid = listener.backend_pid();
  ASSERT_NE(first_pid, 0);

  Exec("NOTIFY wb_listener_test, '41'");
  Exec("NOTIFY wb_listener_test, '42'");
  EXPECT_EQ(rec.WaitFor(3), (std::vector<std::string>{"", "41", "42"}));

  Exec("SELECT pg_terminate_backend(" + std::to_string(first_pid) + ")");
  auto seen = rec.WaitFor(4);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[3], "") << "a reconnection asks for a catch-up";
  EXPECT_EQ(listener.connections(), 2);
  EXPECT_NE(listener.backend_pid(), first_pid);

  Exec("NOTIFY wb_listener_test, '43'");
  EXPECT_EQ(rec.WaitFor(5).back(), "43");

  const auto t0 = std::chrono::steady_clock::now();
  listener.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
  EXPECT_EQ(listener.backend_pid(), 0);
}

}  // namespace
}  // namespace workbind::storage::postgres
