#include "domain/notifications/notification_feed.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/log.h"

namespace workbind::domain {

Status NotificationFeed::Start() {
  std::vector<storage::NotificationHead> heads;
  WB_RETURN_IF_ERROR(store_->Read([&](storage::ReadTx& tx) -> Status {
    WB_ASSIGN_OR_RETURN(heads, tx.ListNotificationHeads());
    return Status::Ok();
  }));
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& h : heads) {
    int64_t& pos = position_[h.user_id];
    pos = std::max(pos, h.last_seq);
  }
  return Status::Ok();
}

bool NotificationFeed::AcceptLocked(const Notification& n) {
  int64_t& pos = position_[n.user_id];
  if (n.seq != pos + 1) return false;
  pos = n.seq;
  return true;
}

void NotificationFeed::Deliver(std::vector<Notification> batch) {
  // Users whose notifications in this batch do not follow their position:
  // delivered from the store, after the others, with what came between.
  std::map<std::string, int64_t> gaps;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Notification> now;
    now.reserve(batch.size());
    for (Notification& n : batch) {
      if (n.seq <= 0) {  // not numbered: not part of the feed
        now.push_back(std::move(n));
        continue;
      }
      auto gap = gaps.find(n.user_id);
      if (gap != gaps.end()) {
        gap->second = std::max(gap->second, n.seq);
        continue;
      }
      if (AcceptLocked(n)) {
        now.push_back(std::move(n));
      } else if (n.seq > position_[n.user_id]) {
        gaps[n.user_id] = n.seq;
      }  // else: delivered already
    }
    if (!now.empty()) target_->Deliver(std::move(now));
  }
  for (const auto& [user, through] : gaps) {
    Status st = FillFrom(user, through, false);
    if (!st.ok())
      log::Warn("notifications of user {} up to {} not delivered: {}", user,
                through, st.message());
  }
}

void NotificationFeed::Announced(const std::string& user_id, int64_t seq) {
  // A no-op (no read) when `seq` was delivered already.
  Status st = FillFrom(user_id, seq, true);
  if (!st.ok())
    log::Warn("announced notification {} of user {} not delivered: {}", seq,
              user_id, st.message());
}

Status NotificationFeed::CatchUp() {
  std::vector<storage::NotificationHead> heads;
  WB_RETURN_IF_ERROR(store_->Read([&](storage::ReadTx& tx) -> Status {
    WB_ASSIGN_OR_RETURN(heads, tx.ListNotificationHeads());
    return Status::Ok();
  }));
  for (const auto& h : heads)
    WB_RETURN_IF_ERROR(FillFrom(h.user_id, h.last_seq, true));
  return Status::Ok();
}

Status NotificationFeed::FillFrom(const std::string& user_id, int64_t through,
                                  bool remote) {
  for (;;) {
    int64_t from = 0;
    {
      std::lock_guard<std::mutex> lock(mu_);
      from = position_[user_id] + 1;
    }
    if (from > through) return Status::Ok();
    WB_ASSIGN_OR_RETURN(auto rows, log_->Since(user_id, from));
    std::set<std::string> centers;  // of the rows delivered, for the hook
    {
      std::lock_guard<std::mutex> lock(mu_);
      int64_t& pos = position_[user_id];
      std::vector<Notification> out;
      for (Notification& n : rows) {
        if (n.seq <= pos) continue;  // delivered meanwhile
        pos = n.seq;
        if (remote && on_remote_) centers.insert(n.contact_center_id);
        out.push_back(std::move(n));
      }
      // Nothing left at or below `through`: the missing rows are gone
      // (retention) and are not waited for.
      if (rows.empty()) pos = std::max(pos, through);
      fetched_ += static_cast<int64_t>(out.size());
      if (!out.empty()) target_->Deliver(std::move(out));
    }
    for (const auto& cc : centers) on_remote_(cc);
    if (rows.empty()) return Status::Ok();
  }
}

int64_t NotificationFeed::fetched() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fetched_;
}

}  // namespace workbind::domain
