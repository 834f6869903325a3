#include "domain/notifications/notifier.h"

#include <boost/json/serialize.hpp>

namespace workbind::domain {

Notification Notifier::Make(const Directory& dir, const std::string& user_id,
                            std::string topic, boost::json::object data,
                            const std::string& actor_user_id,
                            int64_t reference_id) const {
  Notification n;
  n.contact_center_id = dir.contact_center().id;
  n.user_id = user_id;
  n.user_uri = base_ + "/users/" + user_id;
  n.topic = std::move(topic);
  n.data = std::move(data);
  n.actor_user_id = actor_user_id;
  n.reference_id = reference_id;
  n.watchers = dir.Watchers(user_id);
  return n;
}

Status Notifier::Record(storage::WriteTx& tx, NotificationList* batch) const {
  if (batch->empty()) return Status::Ok();
  const int64_t now = clock_->NowMillis();
  std::vector<storage::NotificationRecord> records;
  records.reserve(batch->size());
  for (const Notification& n : *batch) {
    storage::NotificationRecord r;
    r.user_id = n.user_id;
    r.contact_center_id = n.contact_center_id;
    r.topic = n.topic;
    r.data_json = boost::json::serialize(n.data);
    r.actor_user_id = n.actor_user_id;
    r.reference_id = n.reference_id;
    r.user_uri = n.user_uri;
    r.watchers = n.watchers;
    r.created_ms = now;
    records.push_back(std::move(r));
  }
  WB_RETURN_IF_ERROR(tx.AppendNotifications(&records, retention_.max_messages));
  for (size_t i = 0; i < batch->size(); ++i) (*batch)[i].seq = records[i].seq;
  return Status::Ok();
}

void Notifier::Send(NotificationList batch) const {
  if (batch.empty()) return;
  if (offers_) {
    for (const Notification& n : batch)
      if (n.settles_offer != OfferOutcome::kNone)
        offers_->OfferSettled(n.settles_offer);
  }
  sink_->Deliver(std::move(batch));
}

Status Notifier::Write(
    storage::Store& store,
    const std::function<Status(storage::WriteTx&, NotificationList*)>& fn)
    const {
  NotificationList out;
  Status st = store.Write([&](storage::WriteTx& tx) -> Status {
    out.clear();
    WB_RETURN_IF_ERROR(fn(tx, &out));
    return Record(tx, &out);
  });
  if (!st.ok()) return st;
  Send(std::move(out));
  return Status::Ok();
}

}  // namespace workbind::domain
