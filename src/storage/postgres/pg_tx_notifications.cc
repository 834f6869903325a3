// PgTx: the replay log (migrations/0005_notifications.sql).
#include <boost/json.hpp>
#include <map>

#include "storage/codec/record_codec.h"
#include "storage/postgres/pg_tx.h"

namespace workbind::storage::postgres {

// The lowest seq of user $1 that retention by count still keeps: rows below
// it wait for the sweep (DeleteNotificationsBefore) and are never read.
#define WB_NOTIFICATION_FLOOR                                       \
  "(SELECT coalesce(max(keep_from), 0) FROM notification_counters " \
  "WHERE user_id = $1)"

Result<NotificationBounds> PgTx::GetNotificationBounds(
    const std::string& user_id, int64_t min_created_ms) {
  WB_RETURN_IF_ERROR(Escalate());
  NotificationBounds b;
  {
    WB_ASSIGN_OR_RETURN(
        auto r,
        Run(Code::kStorageRead,
            "SELECT last_seq FROM notification_counters WHERE user_id = $1",
            user_id));
    if (!r.empty()) b.last_seq = Int(r[0], 0);
  }
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead,
                  "SELECT seq FROM notifications WHERE user_id = $1 AND "
                  "created_ms >= $2 AND seq >= " WB_NOTIFICATION_FLOOR
                  " ORDER BY seq LIMIT 1",
                  user_id, min_created_ms));
  if (!r.empty()) b.oldest_seq = Int(r[0], 0);
  return b;
}

Result<std::vector<NotificationHead>> PgTx::ListNotificationHeads() {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(auto r, Run(Code::kStorageRead,
                                  "SELECT user_id, last_seq FROM "
                                  "notification_counters ORDER BY user_id"));
  std::vector<NotificationHead> out;
  out.reserve(r.size());
  for (const auto& row : r) out.push_back({Text(row, 0), Int(row, 1)});
  return out;
}

Result<std::vector<NotificationRecord>> PgTx::ListNotifications(
    const std::string& user_id, int64_t from_seq, int64_t min_created_ms,
    int64_t limit) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead,
                  "SELECT seq, contact_center_id, topic, data, actor_user_id, "
                  "reference_id, user_uri, watchers, created_ms FROM "
                  "notifications WHERE user_id = $1 AND seq >= $2 AND "
                  "created_ms >= $3 AND seq >= " WB_NOTIFICATION_FLOOR
                  " ORDER BY seq LIMIT $4",
                  user_id, from_seq, min_created_ms, limit));
  std::vector<NotificationRecord> out;
  for (const auto& row : r) {
    NotificationRecord n;
    n.user_id = user_id;
    n.seq = Int(row, 0);
    n.contact_center_id = Text(row, 1);
    n.topic = Text(row, 2);
    n.data_json = Text(row, 3);
    n.actor_user_id = Text(row, 4);
    n.reference_id = Int(row, 5);
    n.user_uri = Text(row, 6);
    n.watchers = codec::DecodeWatchers(Text(row, 7));
    n.created_ms = Int(row, 8);
    out.push_back(std::move(n));
  }
  return out;
}

Status PgTx::AppendNotification(NotificationRecord* r, int64_t keep_last) {
  // The counter row's lock orders concurrent appends for one user, on any
  // node; the counter outlives the user, so a seq is never reused. The row
  // names the transaction that advanced it last: the other nodes find the
  // users with new notifications by it (pg_events.h).
  {
    WB_ASSIGN_OR_RETURN(
        auto res,
        Run(Code::kStorageCreate,
            "INSERT INTO notification_counters (user_id, last_seq, tx) "
            "VALUES ($1, 1, pg_current_xact_id()) ON CONFLICT (user_id) DO "
            "UPDATE SET last_seq = notification_counters.last_seq + 1, tx = "
            "excluded.tx, keep_from = CASE WHEN $2::bigint > 0 THEN GREATEST("
            "notification_counters.keep_from, notification_counters.last_seq "
            "+ 2 - $2::bigint) ELSE notification_counters.keep_from END "
            "RETURNING last_seq",
            r->user_id, keep_last));
    if (res.empty()) return Internal("Notification counter not advanced");
    r->seq = Int(res[0], 0);
  }
  // The row is the outbox entry of the cross-node feed; the transaction
  // announces that it stored some when it commits (Announce).
  WB_RETURN_IF_ERROR(
      Exec(Code::kStorageCreate,
           "INSERT INTO notifications (user_id, seq, contact_center_id, "
           "topic, data, actor_user_id, reference_id, user_uri, watchers, "
           "created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
           r->user_id, r->seq, r->contact_center_id, r->topic, r->data_json,
           r->actor_user_id, r->reference_id, r->user_uri,
           codec::EncodeWatchers(r->watchers), r->created_ms));
  notifications_stored_ = true;
  return Status::Ok();
}

Status PgTx::AppendNotifications(std::vector<NotificationRecord>* batch,
                                 int64_t keep_last) {
  namespace json = boost::json;
  if (batch->empty()) return Status::Ok();
  for (const auto& r : *batch) {
    if (!Storable(r.user_id) || !Storable(r.contact_center_id) ||
        !Storable(r.topic) || !Storable(r.data_json) ||
        !Storable(r.actor_user_id) || !Storable(r.user_uri))
      return Unstorable(Code::kStorageCreate).status();
    for (const auto& w : r.watchers)
      if (!Storable(w)) return Unstorable(Code::kStorageCreate).status();
  }
  // The batch travels as one JSON parameter per statement; counters are
  // advanced in user order, the order every transaction locks them in.
  std::map<std::string, int64_t> counts;
  for (const auto& r : *batch) ++counts[r.user_id];
  json::array by_user;
  for (const auto& [user, n] : counts)
    by_user.push_back(json::object{{"user_id", user}, {"n", n}});
  WB_ASSIGN_OR_RETURN(
      auto advanced,
      Run(Code::kStorageCreate,
          "INSERT INTO notification_counters (user_id, last_seq, tx, "
          "keep_from) SELECT b.user_id, b.n, pg_current_xact_id(), CASE WHEN "
          "$2::bigint > 0 THEN GREATEST(0, b.n + 1 - $2::bigint) ELSE 0 END "
          "FROM "
          "json_to_recordset($1::json) AS b(user_id text, n bigint) ORDER BY "
          "b.user_id ON CONFLICT (user_id) DO UPDATE SET last_seq = "
          "notification_counters.last_seq + excluded.last_seq, tx = "
          "excluded.tx, keep_from = CASE WHEN $2::bigint > 0 THEN GREATEST("
          "notification_counters.keep_from, notification_counters.last_seq + "
          "excluded.last_seq + 1 - $2::bigint) ELSE "
          "notification_counters.keep_from "
          "END "
          "RETURNING user_id, last_seq",
          json::serialize(by_user), keep_last));
  std::map<std::string, int64_t> next_seq;  // user -> seq of its next record
  for (const auto& row : advanced) {
    const std::string user = Text(row, 0);
    next_seq[user] = Int(row, 1) - counts[user] + 1;
  }
  if (next_seq.size() != counts.size())
    return Internal("Notification counter not advanced");
  json::array rows;
  for (auto& r : *batch) {
    r.seq = next_seq[r.user_id]++;
    rows.push_back(json::object{{"user_id", r.user_id},
                                {"seq", r.seq},
                                {"contact_center_id", r.contact_center_id},
                                {"topic", r.topic},
                                {"data", r.data_json},
                                {"actor_user_id", r.actor_user_id},
                                {"reference_id", r.reference_id},
                                {"user_uri", r.user_uri},
                                {"watchers", codec::EncodeWatchers(r.watchers)},
                                {"created_ms", r.created_ms}});
  }
  // Each row is an outbox entry of the cross-node feed, announced on
  // commit as in AppendNotification.
  WB_RETURN_IF_ERROR(Exec(
      Code::kStorageCreate,
      "INSERT INTO notifications (user_id, seq, contact_center_id, topic, "
      "data, actor_user_id, reference_id, user_uri, watchers, created_ms) "
      "SELECT b.user_id, b.seq, b.contact_center_id, b.topic, b.data, "
      "b.actor_user_id, b.reference_id, b.user_uri, b.watchers, b.created_ms "
      "FROM json_to_recordset($1::json) AS b(user_id text, seq bigint, "
      "contact_center_id text, topic text, data text, actor_user_id text, "
      "reference_id bigint, user_uri text, watchers text, created_ms bigint)",
      json::serialize(rows)));
  notifications_stored_ = true;
  return Status::Ok();
}

Result<int64_t> PgTx::DeleteNotificationsBefore(int64_t before_ms) {
  // The rows retention by count left below the users' floors (never read
  // any more, so not counted), then those past the age limit.
  WB_RETURN_IF_ERROR(
      Exec(Code::kStorageDelete,
           "DELETE FROM notifications n USING notification_counters c WHERE "
           "n.user_id = c.user_id AND n.seq < c.keep_from"));
  WB_ASSIGN_OR_RETURN(
      auto r,
      Run(Code::kStorageDelete,
          "DELETE FROM notifications WHERE created_ms < $1", before_ms));
  return static_cast<int64_t>(r.affected_rows());
}

}  // namespace workbind::storage::postgres
