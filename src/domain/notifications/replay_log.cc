#include "domain/notifications/replay_log.h"

#include <boost/json/parse.hpp>

namespace workbind::domain {

Result<ReplayBounds> StoredReplayLog::Bounds(const std::string& user_id) {
  storage::NotificationBounds b;
  Status st = store_->Read([&](storage::ReadTx& tx) -> Status {
    WB_ASSIGN_OR_RETURN(
        b, tx.GetNotificationBounds(user_id, notifier_->RetainedSinceMs()));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return ReplayBounds{b.last_seq, b.oldest_seq};
}

Result<std::vector<Notification>> StoredReplayLog::Since(
    const std::string& user_id, int64_t from_seq) {
  std::vector<storage::NotificationRecord> rows;
  Status st = store_->Read([&](storage::ReadTx& tx) -> Status {
    WB_ASSIGN_OR_RETURN(
        rows,
        tx.ListNotifications(user_id, from_seq, notifier_->RetainedSinceMs(),
                             notifier_->retention().max_messages));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  std::vector<Notification> out;
  out.reserve(rows.size());
  for (auto& r : rows) {
    boost::system::error_code ec;
    boost::json::value data = boost::json::parse(r.data_json, ec);
    if (ec || !data.is_object())
      return Internal("Stored notification " + std::to_string(r.seq) +
                      " of user " + user_id + " is not a JSON object");
    Notification n;
    n.contact_center_id = std::move(r.contact_center_id);
    n.user_id = user_id;
    n.user_uri = std::move(r.user_uri);
    n.topic = std::move(r.topic);
    n.data = std::move(data.as_object());
    n.actor_user_id = std::move(r.actor_user_id);
    n.reference_id = r.reference_id;
    n.seq = r.seq;
    n.watchers = std::move(r.watchers);
    out.push_back(std::move(n));
  }
  return out;
}

Result<int64_t> StoredReplayLog::Sweep() {
  int64_t deleted = 0;
  Status st = store_->Write([&](storage::WriteTx& tx) -> Status {
    WB_ASSIGN_OR_RETURN(
        deleted, tx.DeleteNotificationsBefore(notifier_->RetainedSinceMs()));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return deleted;
}

}  // namespace workbind::domain
