// NotificationFeed over a real SQLite store: two Notifiers on one store play
// two nodes; the feed of "this node" must hand every user's notifications to
// its target in seq order, each once, whether they were committed here (in
// any thread order), announced from elsewhere, or only found by a catch-up.
#include "domain/notifications/notification_feed.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "app/open_store.h"
#include "domain/notifications/notifier.h"
#include "domain/notifications/replay_log.h"
#include "domain/testing/interaction_test_env.h"

namespace workbind::domain {
namespace {

using testing::FakeClock;
using testing::RecordingSink;

class NotificationFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("wb-feed-" + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    storage::StoreOptions o;
    o.data_dir = dir_.string();
    store_ = std::move(storage::OpenStore(o)).value();
    here_ = std::make_unique<Notifier>(&capture_, "http://x/api/v2", &clock_);
    elsewhere_ = std::make_unique<Notifier>(&null_, "http://x/api/v2", &clock_);
    log_ = std::make_unique<StoredReplayLog>(store_.get(), here_.get());
    feed_ = std::make_unique<NotificationFeed>(
        store_.get(), log_.get(), &out_,
        [this](const std::string& cc) { remote_centers_.push_back(cc); });
  }
  void TearDown() override {
    feed_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Commits one notification per entry of `users` through `notifier`; the
  // numbered notifications are returned (and, for here_, captured instead of
  // delivered, so that the test decides when the feed sees them).
  NotificationList Commit(const Notifier& notifier,
                          const std::vector<std::string>& users) {
    NotificationList written;
    Status st = notifier.Write(
        *store_, [&](storage::WriteTx&, NotificationList* list) -> Status {
          for (const auto& u : users) {
            Notification n;
            n.contact_center_id = "cc-" + u;
            n.user_id = u;
            n.user_uri = "http://x/api/v2/users/" + u;
            n.topic = "workbins";
            n.data = {{"n", static_cast<int64_t>(++counter_)}};
            list->push_back(std::move(n));
          }
          return Status::Ok();
        });
    EXPECT_TRUE(st.ok()) << st.message();
    return capture_.Take();
  }

  // (user, seq) pairs the target received, in order.
  std::vector<std::pair<std::string, int64_t>> Received() {
    std::vector<std::pair<std::string, int64_t>> v;
    for (const auto& n : out_.Take()) v.emplace_back(n.user_id, n.seq);
    return v;
  }

  std::filesystem::path dir_;
  FakeClock clock_;
  RecordingSink capture_;
  NullEventSink null_;
  RecordingSink out_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<Notifier> here_, elsewhere_;
  std::unique_ptr<StoredReplayLog> log_;
  std::unique_ptr<NotificationFeed> feed_;
  std::vector<std::string> remote_centers_;
  int counter_ = 0;
};

using Seqs = std::vector<std::pair<std::string, int64_t>>;

TEST_F(NotificationFeedTest, StartTakesWhatIsStoredAsDelivered) {
  Commit(*elsewhere_, {"a", "a"});
  ASSERT_TRUE(feed_->Start().ok());
  ASSERT_TRUE(feed_->CatchUp().ok());
  EXPECT_TRUE(Received().empty());
  feed_->Deliver(Commit(*here_, {"a"}));
  EXPECT_EQ(Received(), (Seqs{{"a", 3}}));
}

TEST_F(NotificationFeedTest, LocalCommitsPassThroughOnceInOrder) {
  ASSERT_TRUE(feed_->Start().ok());
  auto first = Commit(*here_, {"a", "b"});
  feed_->Deliver(first);
  feed_->Deliver(first);  // a second delivery of the same rows is dropped
  EXPECT_EQ(Received(), (Seqs{{"a", 1}, {"b", 1}}));
  EXPECT_EQ(feed_->fetched(), 0);
  EXPECT_TRUE(remote_centers_.empty());
}

TEST_F(NotificationFeedTest, ALaterCommitDeliveredFirstBringsTheEarlierOne) {
  ASSERT_TRUE(feed_->Start().ok());
  auto one = Commit(*here_, {"a"});
  auto two = Commit(*here_, {"a", "b"});
  feed_->Deliver(two);  // the thread of the second commit was faster
  feed_->Deliver(one);  // already delivered from the store
  EXPECT_EQ(Received(), (Seqs{{"b", 1}, {"a", 1}, {"a", 2}}));
  EXPECT_EQ(feed_->fetched(), 2);
}

TEST_F(NotificationFeedTest, AnnouncedRowsAreReadAndDeliveredOnce) {
  ASSERT_TRUE(feed_->Start().ok());
  Commit(*elsewhere_, {"a", "a"});
  feed_->Announced("a", 1);  // reads every row above the position
  feed_->Announced("a", 2);  // delivered with the first: no-op
  feed_->Announced("a", 1);
  EXPECT_EQ(Received(), (Seqs{{"a", 1}, {"a", 2}}));
  EXPECT_EQ(remote_centers_, std::vector<std::string>{"cc-a"});
  // A local commit after remote ones continues the order.
  feed_->Deliver(Commit(*here_, {"a"}));
  EXPECT_EQ(Received(), (Seqs{{"a", 3}}));
}

TEST_F(NotificationFeedTest,
       ALocalCommitAfterAnUnannouncedRemoteOneFillsTheGap) {
  ASSERT_TRUE(feed_->Start().ok());
  Commit(*elsewhere_, {"a"});  // its announcement is late
  feed_->Deliver(Commit(*here_, {"a"}));
  feed_->Announced("a", 1);  // arrives now: nothing to do
  EXPECT_EQ(Received(), (Seqs{{"a", 1}, {"a", 2}}));
}

TEST_F(NotificationFeedTest, CatchUpDeliversWhatTheAnnouncementsMissed) {
  ASSERT_TRUE(feed_->Start().ok());
  Commit(*elsewhere_, {"a", "b"});
  Commit(*elsewhere_, {"b", "c"});
  ASSERT_TRUE(feed_->CatchUp().ok());
  ASSERT_TRUE(feed_->CatchUp().ok());  // nothing new the second time
  auto got = Received();
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (Seqs{{"a", 1}, {"b", 1}, {"b", 2}, {"c", 1}}));
  EXPECT_EQ(feed_->fetched(), 4);
}

TEST_F(NotificationFeedTest, RowsRemovedByRetentionAreNotWaitedFor) {
  ASSERT_TRUE(feed_->Start().ok());
  Commit(*elsewhere_, {"a"});
  Commit(*elsewhere_, {"a"});
  ASSERT_TRUE(store_
                  ->Write([](storage::WriteTx& tx) {
                    return tx.DeleteNotificationsBefore(INT64_MAX).status();
                  })
                  .ok());
  feed_->Announced("a", 2);
  EXPECT_TRUE(Received().empty());
  feed_->Deliver(Commit(*here_, {"a"}));  // seq 3 follows the skipped ones
  EXPECT_EQ(Received(), (Seqs{{"a", 3}}));
}

}  // namespace
}  // namespace workbind::domain
