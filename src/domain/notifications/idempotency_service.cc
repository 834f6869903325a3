#include "domain/notifications/idempotency_service.h"

namespace workbind::domain {

Status IdempotencyService::CheckKey(const std::string& key) {
  bool printable = !key.empty() && key.size() <= 255;
  for (char c : key) printable = printable && c >= 0x20 && c <= 0x7e;
  if (!printable)
    return InvalidArgument(
        "Header 'Idempotency-Key' must be 1-255 printable ASCII characters");
  return Status::Ok();
}

Result<IdempotencyClaim> IdempotencyService::Claim(
    const std::string& user_id, const std::string& key,
    const std::string& fingerprint) {
  WB_RETURN_IF_ERROR(CheckKey(key));
  IdempotencyClaim claim;
  const int64_t now = clock_->NowMillis();
  Status st = store_->Write([&](storage::WriteTx& tx) -> Status {
    claim = IdempotencyClaim{};
    WB_ASSIGN_OR_RETURN(auto found, tx.GetIdempotencyKey(user_id, key, now));
    if (!found) {
      storage::IdempotencyRecord r;
      r.user_id = user_id;
      r.key = key;
      r.fingerprint = fingerprint;
      r.expires_ms = now + ttl_ms_;
      return tx.PutIdempotencyKey(r);
    }
    if (found->fingerprint != fingerprint)
      return InUse("Idempotency-Key '" + key +
                   "' was used for a different request");
    if (!found->done)
      return InUse("A request with Idempotency-Key '" + key +
                   "' is in progress");
    claim.replay = true;
    claim.http_status = found->http_status;
    claim.body = std::move(found->body);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return claim;
}

Status IdempotencyService::Complete(const std::string& user_id,
                                    const std::string& key,
                                    const std::string& fingerprint,
                                    int http_status, const std::string& body) {
  return store_->Write([&](storage::WriteTx& tx) {
    return CompleteIn(tx, user_id, key, fingerprint, http_status, body);
  });
}

Status IdempotencyService::CompleteIn(storage::WriteTx& tx,
                                      const std::string& user_id,
                                      const std::string& key,
                                      const std::string& fingerprint,
                                      int http_status,
                                      const std::string& body) const {
  storage::IdempotencyRecord r;
  r.user_id = user_id;
  r.key = key;
  r.fingerprint = fingerprint;
  r.done = true;
  r.http_status = http_status;
  r.body = body;
  r.expires_ms = clock_->NowMillis() + ttl_ms_;
  return tx.PutIdempotencyKey(r);
}

Status IdempotencyService::Release(const std::string& user_id,
                                   const std::string& key) {
  return store_->Write([&](storage::WriteTx& tx) {
    return tx.DeleteIdempotencyKey(user_id, key);
  });
}

Result<int64_t> IdempotencyService::Sweep() {
  int64_t n = 0;
  Status st = store_->Write([&](storage::WriteTx& tx) -> Status {
    WB_ASSIGN_OR_RETURN(n,
                        tx.DeleteExpiredIdempotencyKeys(clock_->NowMillis()));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return n;
}

}  // namespace workbind::domain
