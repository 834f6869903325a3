// The cross-node events against a real server (WORKBIND_TEST_PG_DSN, set by
// tests/pg/with_test_postgres.sh in the CTest entry pg_events_test): a
// transaction sends at most one announcement, and a notification whose
// announcement is never heard is still handed over, by the poll.
#include "storage/postgres/pg_events.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "storage/postgres/pg_listener.h"
#include "storage/postgres/pg_store.h"

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

StoreOptions Options(const std::string& node_id) {
  StoreOptions o;
  o.backend = "postgres";
  o.postgres_dsn = Dsn();
  o.postgres_pool_size = 2;
  o.node_id = node_id;
  o.postgres_poll_ms = 100;
  return o;
}

// Strings seen on another thread, waited for with a bound.
class Seen {
 public:
  void Add(std::string s) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      seen_.push_back(std::move(s));
    }
    cv_.notify_all();
  }
  // Waits (at most 15 s) until `s` was seen; returns everything seen.
  std::vector<std::string> WaitFor(const std::string& s) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(15), [&] {
      return std::find(seen_.begin(), seen_.end(), s) != seen_.end();
    });
    return seen_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> seen_;
};

NotificationRecord Note(const std::string& user) {
  NotificationRecord r;
  r.user_id = user;
  r.contact_center_id = "cc-1";
  r.topic = "t";
  r.data_json = "{}";
  r.created_ms = 1;
  return r;
}

TEST(PgEvents, PayloadsRoundTripAndSplitOnlyWhenTheyMust) {
  auto one = AnnouncementPayloads("node-a", true, {"s1", "s2"});
  ASSERT_EQ(one.size(), 1u);
  auto a = ParseAnnouncement(one[0]);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->from, "node-a");
  EXPECT_TRUE(a->notifications);
  EXPECT_EQ(a->ended_sessions, (std::vector<std::string>{"s1", "s2"}));
  EXPECT_TRUE(AnnouncementPayloads("node-a", false, {}).empty());

  std::vector<std::string> many;
  for (int i = 0; i < 400; ++i) many.push_back(std::string(40, 'a' + i % 26));
  auto split = AnnouncementPayloads("node-a", true, many);
  ASSERT_GT(split.size(), 1u);
  size_t sessions = 0;
  for (const auto& p : split) {
    EXPECT_LE(p.size(), kMaxPayloadBytes);
    sessions += ParseAnnouncement(p)->ended_sessions.size();
  }
  EXPECT_EQ(sessions, many.size());
  EXPECT_FALSE(ParseAnnouncement("n:u1:3"));  // the old format is not one
}

TEST(PgEvents, ATransactionSendsOneAnnouncement) {
  ASSERT_FALSE(Dsn().empty()) << "WORKBIND_TEST_PG_DSN must name a server";
  auto opened = OpenPostgresStore(Options("node-a"));
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  Store& store = **opened;
  Seen heard;
  PgListener raw(Dsn(), std::string(kEventChannel),
                 [&](const std::optional<std::string>& p) {
                   heard.Add(p ? *p : "connected");
                 });
  raw.Start();
  // The listener calls with no payload once its LISTEN is in effect.
  ASSERT_EQ(heard.WaitFor("connected").size(), 1u);

  const StoreCounters before = store.Counters();
  Status st = store.Write([](WriteTx& tx) -> Status {
    std::vector<NotificationRecord> batch{Note("u1"), Note("u2"), Note("u1")};
    WB_RETURN_IF_ERROR(tx.AppendNotifications(&batch, 0));
    NotificationRecord more = Note("u3");
    WB_RETURN_IF_ERROR(tx.AppendNotification(&more, 0));
    for (const char* id : {"s1", "s2"}) {
      SessionRecord s;
      s.id = id;
      s.user_id = "u1";
      WB_RETURN_IF_ERROR(tx.PutSession(s));
      WB_RETURN_IF_ERROR(tx.DeleteSession(id));
    }
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok()) << st.message();
  // Announcements arrive in commit order: once the marker committed after
  // the write is heard, everything the write sent was heard before it.
  Exec("NOTIFY workbind_events, 'done'");
  auto seen = heard.WaitFor("done");
  raw.Stop();
  ASSERT_EQ(seen.size(), 3u) << "connected, the write's one announcement, done";
  auto a = ParseAnnouncement(seen[1]);
  ASSERT_TRUE(a) << seen[1];
  EXPECT_EQ(a->from, "node-a");
  EXPECT_TRUE(a->notifications);
  EXPECT_EQ(a->ended_sessions, (std::vector<std::string>{"s1", "s2"}));
  EXPECT_EQ(store.Counters().announcements - before.announcements, 1);
  EXPECT_EQ(store.Counters().write_commits - before.write_commits, 1);
}

TEST(PgEvents, NotificationsWithoutAnAnnouncementArriveByThePoll) {
  auto opened = OpenPostgresStore(Options("node-a"));
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  Store& store = **opened;
  Seen delivered;
  ChangeEvents events;
  events.notification = [&](const std::string& user, int64_t seq) {
    delivered.Add(user + ":" + std::to_string(seq));
  };
  // This listener's node id is the writer's: it ignores the write's
  // announcement (a node delivers its own notifications), so only the poll
  // can find the row.
  auto listener = OpenPgChangeListener(Options("node-a"), events, "");
  listener->Start();
  Status st = store.Write([](WriteTx& tx) {
    NotificationRecord r = Note("p1");
    return tx.AppendNotification(&r, 0);
  });
  ASSERT_TRUE(st.ok()) << st.message();
  auto seen = delivered.WaitFor("p1:1");
  EXPECT_NE(std::find(seen.begin(), seen.end(), "p1:1"), seen.end());

  // A row stored by a transaction that announces nothing at all.
  Exec(
      "BEGIN; INSERT INTO notification_counters (user_id, last_seq, tx) "
      "VALUES ('p2', 1, pg_current_xact_id()); INSERT INTO notifications "
      "(user_id, seq, contact_center_id, topic, data, actor_user_id, "
      "reference_id, user_uri, watchers, created_ms) VALUES ('p2', 1, "
      "'cc-1', 't', '{}', '', 0, '', '', 1); COMMIT");
  seen = delivered.WaitFor("p2:1");
  EXPECT_NE(std::find(seen.begin(), seen.end(), "p2:1"), seen.end());
  listener->Stop();
}

}  // namespace
}  // namespace workbind::storage::postgres
