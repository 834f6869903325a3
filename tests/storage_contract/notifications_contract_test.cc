// Storage contract for the replay log: per-user numbering, retention by count
// and age, durability, and the counter outliving the user.
#include "backend_fixture.h"

namespace workbind::storage::testing {
namespace {

class NotificationStoreTest : public StoreTest {
 protected:
  // Appends one message for `user` created at `at_ms`; returns its seq.
  int64_t Append(const std::string& user, int64_t at_ms,
                 int64_t keep_last = 0) {
    NotificationRecord r;
    r.user_id = user;
    r.contact_center_id = "cc-1";
    r.topic = "workbins";
    r.data_json = R"({"n":)" + std::to_string(at_ms) + "}";
    r.actor_user_id = user == "u1" ? "u1" : "";
    r.reference_id = user == "u1" ? 7 : 0;
    r.user_uri = "http://x/users/" + user;
    r.watchers = {"s1", "s2"};
    r.created_ms = at_ms;
    Status st = store().Write(
        [&](WriteTx& tx) { return tx.AppendNotification(&r, keep_last); });
    EXPECT_TRUE(st.ok()) << st.message();
    return r.seq;
  }
  std::vector<NotificationRecord> List(const std::string& user, int64_t from,
                                       int64_t min_ms = 0,
                                       int64_t limit = 1000) {
    std::vector<NotificationRecord> out;
    EXPECT_TRUE(store()
                    .Read([&](ReadTx& tx) {
                      WB_ASSIGN_OR_RETURN(
                          out, tx.ListNotifications(user, from, min_ms, limit));
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }
  NotificationBounds Bounds(const std::string& user, int64_t min_ms = 0) {
    NotificationBounds b;
    EXPECT_TRUE(store()
                    .Read([&](ReadTx& tx) {
                      WB_ASSIGN_OR_RETURN(
                          b, tx.GetNotificationBounds(user, min_ms));
                      return Status::Ok();
                    })
                    .ok());
    return b;
  }
};

TEST_P(NotificationStoreTest, NumbersPerUserFromOneAndKeepsEveryField) {
  EXPECT_EQ(Bounds("u1").last_seq, 0);
  EXPECT_EQ(Bounds("u1").oldest_seq, 0);
  EXPECT_EQ(Append("u1", 100), 1);
  EXPECT_EQ(Append("u2", 100), 1);
  EXPECT_EQ(Append("u1", 101), 2);
  EXPECT_EQ(Append("u1", 102), 3);
  Reopen();
  auto all = List("u1", 2);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].seq, 2);
  EXPECT_EQ(all[1].seq, 3);
  EXPECT_EQ(all[0].data_json, R"({"n":101})");
  EXPECT_EQ(all[0].topic, "workbins");
  EXPECT_EQ(all[0].contact_center_id, "cc-1");
  EXPECT_EQ(all[0].actor_user_id, "u1");
  EXPECT_EQ(all[0].reference_id, 7);
  EXPECT_EQ(all[0].user_uri, "http://x/users/u1");
  EXPECT_EQ(all[0].watchers, (std::vector<std::string>{"s1", "s2"}));
  EXPECT_EQ(all[0].created_ms, 101);
  EXPECT_EQ(List("u2", 1).size(), 1u);
  EXPECT_TRUE(List("u2", 1)[0].watchers.size() == 2);
  EXPECT_EQ(List("u1", 1, 0, 1).size(), 1u);  // limit
  EXPECT_EQ(Bounds("u1").last_seq, 3);
  EXPECT_EQ(Bounds("u1").oldest_seq, 1);
}

TEST_P(NotificationStoreTest, KeepsTheLastNAndForgetsOldOnes) {
  for (int i = 0; i < 5; ++i) Append("u1", 100 + i, /*keep_last=*/3);
  auto kept = List("u1", 1);
  ASSERT_EQ(kept.size(), 3u);
  EXPECT_EQ(kept.front().seq, 3);
  EXPECT_EQ(Bounds("u1").oldest_seq, 3);
  EXPECT_EQ(Bounds("u1").last_seq, 5);
  // Age: rows older than the bound are invisible before they are swept.
  EXPECT_EQ(Bounds("u1", 104).oldest_seq, 5);
  EXPECT_EQ(List("u1", 1, 104).size(), 1u);
  int64_t deleted = 0;
  ASSERT_TRUE(store()
                  .Write([&](WriteTx& tx) {
                    WB_ASSIGN_OR_RETURN(deleted,
                                        tx.DeleteNotificationsBefore(104));
                    return Status::Ok();
                  })
                  .ok());
  EXPECT_EQ(deleted, 2);
  EXPECT_EQ(Bounds("u1").oldest_seq, 5);
  EXPECT_EQ(Append("u1", 200), 6);
}

TEST_P(NotificationStoreTest, FailedWriteConsumesNoSeq) {
  Append("u1", 100);
  Status st = store().Write([&](WriteTx& tx) -> Status {
    NotificationRecord r;
    r.user_id = "u1";
    r.contact_center_id = "cc-1";
    r.topic = "t";
    r.data_json = "{}";
    WB_RETURN_IF_ERROR(tx.AppendNotification(&r, 0));
    EXPECT_EQ(r.seq, 2);
    return InvalidArgument("caller fails after appending");
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(Append("u1", 101), 2);
  EXPECT_EQ(List("u1", 1).size(), 2u);
}

// A batch numbers each user's records consecutively in batch order, after
// what the user already had, keeps every field, and trims per user.
TEST_P(NotificationStoreTest, BatchNumbersPerUserInOrderAndTrims) {
  Append("u2", 90);
  auto make = [](const std::string& user, int n) {
    NotificationRecord r;
    r.user_id = user;
    r.contact_center_id = "cc-1";
    r.topic = "t" + std::to_string(n);
    r.data_json = R"({"n":)" + std::to_string(n) + "}";
    r.actor_user_id = "u1";
    r.reference_id = n;
    r.user_uri = "http://x/users/" + user;
    r.watchers =
        n % 2 ? std::vector<std::string>{"s1"} : std::vector<std::string>{};
    r.created_ms = 100 + n;
    return r;
  };
  // More rows than one multi-row statement holds (and users in no order).
  std::vector<NotificationRecord> batch;
  for (int i = 0; i < 40; ++i) batch.push_back(make(i % 3 ? "u1" : "u2", i));
  batch.push_back(make("u3", 40));
  ASSERT_TRUE(store()
                  .Write([&](WriteTx& tx) {
                    return tx.AppendNotifications(&batch, /*keep_last=*/20);
                  })
                  .ok());
  int64_t u1 = 0, u2 = 1;  // u2 had one already
  for (const auto& r : batch) {
    if (r.user_id == "u1") {
      EXPECT_EQ(r.seq, ++u1) << r.topic;
    } else if (r.user_id == "u2") {
      EXPECT_EQ(r.seq, ++u2) << r.topic;
    } else {
      EXPECT_EQ(r.user_id, "u3");
      EXPECT_EQ(r.seq, 1);
    }
  }
  EXPECT_EQ(u1, 26);
  EXPECT_EQ(u2, 15);
  // u1 passed keep_last: only its last 20 are kept; u2 did not.
  auto kept = List("u1", 1);
  ASSERT_EQ(kept.size(), 20u);
  EXPECT_EQ(kept.front().seq, 7);
  EXPECT_EQ(List("u2", 1).size(), 15u);
  auto last = List("u1", 26);
  ASSERT_EQ(last.size(), 1u);
  EXPECT_EQ(last[0].topic, "t38");
  EXPECT_EQ(last[0].data_json, R"({"n":38})");
  EXPECT_EQ(last[0].reference_id, 38);
  EXPECT_EQ(last[0].watchers, std::vector<std::string>{});
  EXPECT_EQ(last[0].created_ms, 138);
  EXPECT_EQ(List("u1", 25)[0].watchers, std::vector<std::string>{"s1"});
  // Later single appends continue the numbering.
  EXPECT_EQ(Append("u3", 200), 2);
  // A failed transaction consumes no seq.
  std::vector<NotificationRecord> more{make("u3", 1)};
  EXPECT_FALSE(store()
                   .Write([&](WriteTx& tx) -> Status {
                     WB_RETURN_IF_ERROR(tx.AppendNotifications(&more, 0));
                     return InvalidArgument("caller fails after appending");
                   })
                   .ok());
  EXPECT_EQ(Append("u3", 201), 3);
  std::vector<NotificationRecord> none;
  EXPECT_TRUE(
      store()
          .Write([&](WriteTx& tx) { return tx.AppendNotifications(&none, 0); })
          .ok());
}

TEST_P(NotificationStoreTest, HeadsGiveEveryUsersHighestSeq) {
  auto heads = [&] {
    std::vector<NotificationHead> out;
    Status st = store().Read([&](ReadTx& tx) -> Status {
      WB_ASSIGN_OR_RETURN(out, tx.ListNotificationHeads());
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok()) << st.message();
    return out;
  };
  EXPECT_TRUE(heads().empty());
  Append("u2", 100);
  Append("u1", 100);
  Append("u2", 101);
  Append("u2", 102, /*keep_last=*/1);  // retention does not lower the head
  auto h = heads();
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[0].user_id, "u1");
  EXPECT_EQ(h[0].last_seq, 1);
  EXPECT_EQ(h[1].user_id, "u2");
  EXPECT_EQ(h[1].last_seq, 3);
}

INSTANTIATE_TEST_SUITE_P(Backends, NotificationStoreTest,
                         ::testing::ValuesIn(Backends()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace workbind::storage::testing
