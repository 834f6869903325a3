// SqliteTx: the replay log (migrations/0005_notifications.sql).
#include <sqlite3.h>

#include <map>

#include "storage/codec/record_codec.h"
#include "storage/sqlite/sqlite_tx.h"

namespace workbind::storage::sqlite {
namespace {

// Rows per multi-row statement: bounds the number of distinct statement
// texts cached per connection, and the bound parameters (10 per row).
constexpr size_t kRowsPerStatement = 32;

// "(?, ?, ...)" `columns` times, `rows` times, comma-separated.
std::string Tuples(size_t rows, int columns) {
  std::string one = "(";
  for (int i = 0; i < columns; ++i) one += i ? ", ?" : "?";
  one += ")";
  std::string out;
  for (size_t i = 0; i < rows; ++i) {
    if (i) out += ", ";
    out += one;
  }
  return out;
}

}  // namespace

Result<NotificationBounds> SqliteTx::GetNotificationBounds(
    const std::string& user_id, int64_t min_created_ms) {
  NotificationBounds b;
  {
    auto s = c_->Prepare(
        "SELECT last_seq FROM notification_counters WHERE user_id = ?");
    s.Bind(1, user_id);
    if (s.Step()) b.last_seq = s.Int(0);
    while (s.Step()) {
    }
    if (!s.status().ok()) return s.status();
  }
  auto s = c_->Prepare(
      "SELECT seq FROM notifications WHERE user_id = ? AND created_ms >= ? "
      "ORDER BY seq LIMIT 1");
  s.Bind(1, user_id).Bind(2, min_created_ms);
  if (s.Step()) b.oldest_seq = s.Int(0);
  while (s.Step()) {
  }
  if (!s.status().ok()) return s.status();
  return b;
}

Result<std::vector<NotificationHead>> SqliteTx::ListNotificationHeads() {
  auto s = c_->Prepare(
      "SELECT user_id, last_seq FROM notification_counters ORDER BY user_id");
  std::vector<NotificationHead> out;
  while (s.Step()) out.push_back({s.Text(0), s.Int(1)});
  if (!s.status().ok()) return s.status();
  return out;
}

Result<std::vector<NotificationRecord>> SqliteTx::ListNotifications(
    const std::string& user_id, int64_t from_seq, int64_t min_created_ms,
    int64_t limit) {
  auto s = c_->Prepare(
      "SELECT seq, contact_center_id, topic, data, actor_user_id, "
      "reference_id, user_uri, watchers, created_ms FROM notifications "
      "WHERE user_id = ? AND seq >= ? AND created_ms >= ? ORDER BY seq "
      "LIMIT ?");
  s.Bind(1, user_id).Bind(2, from_seq).Bind(3, min_created_ms).Bind(4, limit);
  std::vector<NotificationRecord> out;
  while (s.Step()) {
    NotificationRecord r;
    r.user_id = user_id;
    r.seq = s.Int(0);
    r.contact_center_id = s.Text(1);
    r.topic = s.Text(2);
    r.data_json = s.Text(3);
    r.actor_user_id = s.Text(4);
    r.reference_id = s.Int(5);
    r.user_uri = s.Text(6);
    r.watchers = codec::DecodeWatchers(s.Text(7));
    r.created_ms = s.Int(8);
    out.push_back(std::move(r));
  }
  if (!s.status().ok()) return s.status();
  return out;
}

Status SqliteTx::AppendNotification(NotificationRecord* r, int64_t keep_last) {
  {
    auto s = c_->Prepare(
        "INSERT INTO notification_counters (user_id, last_seq) VALUES (?, 1) "
        "ON CONFLICT(user_id) DO UPDATE SET last_seq = last_seq + 1 "
        "RETURNING last_seq");
    s.Bind(1, r->user_id);
    if (s.Step()) r->seq = s.Int(0);
    while (s.Step()) {
    }
    if (!s.status().ok()) return s.status();
    if (r->seq == 0) return Internal("Notification counter not advanced");
  }
  {
    auto s = c_->Prepare(
        "INSERT INTO notifications (user_id, seq, contact_center_id, topic, "
        "data, actor_user_id, reference_id, user_uri, watchers, created_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    s.Bind(1, r->user_id)
        .Bind(2, r->seq)
        .Bind(3, r->contact_center_id)
        .Bind(4, r->topic)
        .Bind(5, r->data_json)
        .Bind(6, r->actor_user_id)
        .Bind(7, r->reference_id)
        .Bind(8, r->user_uri)
        .Bind(9, codec::EncodeWatchers(r->watchers))
        .Bind(10, r->created_ms);
    WB_RETURN_IF_ERROR(s.Exec(Code::kStorageCreate));
  }
  if (keep_last > 0 && r->seq > keep_last) {
    auto s =
        c_->Prepare("DELETE FROM notifications WHERE user_id = ? AND seq <= ?");
    s.Bind(1, r->user_id).Bind(2, r->seq - keep_last);
    WB_RETURN_IF_ERROR(s.Exec(Code::kStorageDelete));
  }
  return Status::Ok();
}

Status SqliteTx::AppendNotifications(std::vector<NotificationRecord>* batch,
                                     int64_t keep_last) {
  if (batch->empty()) return Status::Ok();
  // How many records each user gets, in user order.
  std::map<std::string, int64_t> counts;
  for (const auto& r : *batch) ++counts[r.user_id];
  // Advance every user's counter at once; the returned last_seq numbers the
  // user's records backwards from the last.
  std::map<std::string, int64_t> next_seq;  // user -> seq of its first record
  for (auto it = counts.begin(); it != counts.end();) {
    const size_t n =
        std::min<size_t>(kRowsPerStatement, std::distance(it, counts.end()));
    auto s = c_->PrepareText(
        "INSERT INTO notification_counters (user_id, last_seq) VALUES " +
        Tuples(n, 2) +
        " ON CONFLICT(user_id) DO UPDATE SET last_seq = last_seq + "
        "excluded.last_seq RETURNING user_id, last_seq");
    int col = 1;
    for (size_t i = 0; i < n; ++i, ++it, col += 2)
      s.Bind(col, it->first).Bind(col + 1, it->second);
    while (s.Step()) {
      const std::string user = s.Text(0);
      next_seq[user] = s.Int(1) - counts[user] + 1;
    }
    if (!s.status().ok()) return s.status();
  }
  if (next_seq.size() != counts.size())
    return Internal("Notification counter not advanced");
  for (auto& r : *batch) r.seq = next_seq[r.user_id]++;
  for (size_t at = 0; at < batch->size(); at += kRowsPerStatement) {
    const size_t n = std::min(kRowsPerStatement, batch->size() - at);
    auto s = c_->PrepareText(
        "INSERT INTO notifications (user_id, seq, contact_center_id, topic, "
        "data, actor_user_id, reference_id, user_uri, watchers, created_ms) "
        "VALUES " +
        Tuples(n, 10));
    int col = 1;
    for (size_t i = at; i < at + n; ++i) {
      const NotificationRecord& r = (*batch)[i];
      s.Bind(col, r.user_id)
          .Bind(col + 1, r.seq)
          .Bind(col + 2, r.contact_center_id)
          .Bind(col + 3, r.topic)
          .Bind(col + 4, r.data_json)
          .Bind(col + 5, r.actor_user_id)
          .Bind(col + 6, r.reference_id)
          .Bind(col + 7, r.user_uri)
          .Bind(col + 8, codec::EncodeWatchers(r.watchers))
          .Bind(col + 9, r.created_ms);
      col += 10;
    }
    WB_RETURN_IF_ERROR(s.Exec(Code::kStorageCreate));
  }
  if (keep_last <= 0) return Status::Ok();
  // next_seq is now each user's last seq + 1.
  std::vector<std::pair<std::string, int64_t>> trims;
  for (const auto& [user, after_last] : next_seq)
    if (after_last - 1 > keep_last)
      trims.emplace_back(user, after_last - 1 - keep_last);
  for (size_t at = 0; at < trims.size(); at += kRowsPerStatement) {
    const size_t n = std::min(kRowsPerStatement, trims.size() - at);
    std::string sql = "DELETE FROM notifications WHERE ";
    for (size_t i = 0; i < n; ++i)
      sql +=
          i ? " OR (user_id = ? AND seq <= ?)" : "(user_id = ? AND seq <= ?)";
    auto s = c_->PrepareText(sql);
    int col = 1;
    for (size_t i = at; i < at + n; ++i, col += 2)
      s.Bind(col, trims[i].first).Bind(col + 1, trims[i].second);
    WB_RETURN_IF_ERROR(s.Exec(Code::kStorageDelete));
  }
  return Status::Ok();
}

Result<int64_t> SqliteTx::DeleteNotificationsBefore(int64_t before_ms) {
  auto s = c_->Prepare("DELETE FROM notifications WHERE created_ms < ?");
  s.Bind(1, before_ms);
  WB_RETURN_IF_ERROR(s.Exec(Code::kStorageDelete));
  return static_cast<int64_t>(sqlite3_changes64(c_->raw()));
}

}  // namespace workbind::storage::sqlite
