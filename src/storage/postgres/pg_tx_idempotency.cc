// PgTx: Idempotency-Key records (migrations/0008_idempotency.sql).
#include "storage/postgres/pg_tx.h"

namespace workbind::storage::postgres {

Result<std::optional<IdempotencyRecord>> PgTx::GetIdempotencyKey(
    const std::string& user_id, const std::string& key, int64_t now_ms) {
  // Row-locking: the key lock holds the key's presence or absence until
  // the commit; every writer of the key takes it.
  WB_RETURN_IF_ERROR(KeyLock("idempotency_keys\n" + user_id + "\n" + key));
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead,
                  "SELECT fingerprint, done, http_status, body, expires_ms "
                  "FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND "
                  "expires_ms > $3",
                  user_id, key, now_ms));
  if (r.empty()) return std::optional<IdempotencyRecord>();
  IdempotencyRecord out;
  out.user_id = user_id;
  out.key = key;
  out.fingerprint = Text(r[0], 0);
  out.done = r[0][1].as<bool>();
  out.http_status = static_cast<int>(Int(r[0], 2));
  out.body = Text(r[0], 3);
  out.expires_ms = Int(r[0], 4);
  return std::optional<IdempotencyRecord>(std::move(out));
}

Status PgTx::PutIdempotencyKey(const IdempotencyRecord& r) {
  WB_RETURN_IF_ERROR(KeyLock("idempotency_keys\n" + r.user_id + "\n" + r.key));
  return ExecGuarded(
      Code::kStorageCreate,
      "INSERT INTO idempotency_keys (user_id, key, fingerprint, done, "
      "http_status, body, expires_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) "
      "ON CONFLICT (user_id, key) DO UPDATE SET fingerprint = "
      "EXCLUDED.fingerprint, done = EXCLUDED.done, http_status = "
      "EXCLUDED.http_status, body = EXCLUDED.body, expires_ms = "
      "EXCLUDED.expires_ms",
      r.user_id, r.key, r.fingerprint, r.done, int64_t{r.http_status}, r.body,
      r.expires_ms);
}

Status PgTx::DeleteIdempotencyKey(const std::string& user_id,
                                  const std::string& key) {
  WB_RETURN_IF_ERROR(KeyLock("idempotency_keys\n" + user_id + "\n" + key));
  return Exec(Code::kStorageDelete,
              "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2",
              user_id, key);
}

Result<int64_t> PgTx::DeleteExpiredIdempotencyKeys(int64_t now_ms) {
  WB_ASSIGN_OR_RETURN(
      auto r,
      Run(Code::kStorageDelete,
          "DELETE FROM idempotency_keys WHERE expires_ms <= $1", now_ms));
  return static_cast<int64_t>(r.affected_rows());
}

}  // namespace workbind::storage::postgres
