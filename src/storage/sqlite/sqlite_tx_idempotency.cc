// SqliteTx: Idempotency-Key records (migrations/0008_idempotency.sql).
#include <sqlite3.h>

#include "storage/sqlite/sqlite_tx.h"

namespace workbind::storage::sqlite {

Result<std::optional<IdempotencyRecord>> SqliteTx::GetIdempotencyKey(
    const std::string& user_id, const std::string& key, int64_t now_ms) {
  auto s = c_->Prepare(
      "SELECT fingerprint, done, http_status, body, expires_ms FROM "
      "idempotency_keys WHERE user_id = ? AND key = ? AND expires_ms > ?");
  s.Bind(1, user_id).Bind(2, key).Bind(3, now_ms);
  std::optional<IdempotencyRecord> out;
  if (s.Step()) {
    IdempotencyRecord r;
    r.user_id = user_id;
    r.key = key;
    r.fingerprint = s.Text(0);
    r.done = s.Int(1) != 0;
    r.http_status = static_cast<int>(s.Int(2));
    r.body = s.Text(3);
    r.expires_ms = s.Int(4);
    out = std::move(r);
  }
  while (s.Step()) {
  }
  if (!s.status().ok()) return s.status();
  return out;
}

Status SqliteTx::PutIdempotencyKey(const IdempotencyRecord& r) {
  auto s = c_->Prepare(
      "INSERT OR REPLACE INTO idempotency_keys (user_id, key, fingerprint, "
      "done, http_status, body, expires_ms) VALUES (?, ?, ?, ?, ?, ?, ?)");
  s.Bind(1, r.user_id)
      .Bind(2, r.key)
      .Bind(3, r.fingerprint)
      .Bind(4, r.done)
      .Bind(5, int64_t{r.http_status})
      .Bind(6, r.body)
      .Bind(7, r.expires_ms);
  return s.Exec(Code::kStorageCreate);
}

Status SqliteTx::DeleteIdempotencyKey(const std::string& user_id,
                                      const std::string& key) {
  auto s =
      c_->Prepare("DELETE FROM idempotency_keys WHERE user_id = ? AND key = ?");
  s.Bind(1, user_id).Bind(2, key);
  return s.Exec(Code::kStorageDelete);
}

Result<int64_t> SqliteTx::DeleteExpiredIdempotencyKeys(int64_t now_ms) {
  auto s = c_->Prepare("DELETE FROM idempotency_keys WHERE expires_ms <= ?");
  s.Bind(1, now_ms);
  WB_RETURN_IF_ERROR(s.Exec(Code::kStorageDelete));
  return static_cast<int64_t>(sqlite3_changes64(c_->raw()));
}

}  // namespace workbind::storage::sqlite
