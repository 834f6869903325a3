// IdempotencyService: the Idempotency-Key of POST requests (extensions.md
// §3). A key is claimed before the request runs (an in-progress record), and
// completed with the reply when it succeeded or released when it failed.
// The reply is stored inside the change's own transaction (CompleteIn, run
// as the operation's CommitStep), so the change and its reply commit
// together. Operations that take no CommitStep store it right after their
// commit (Complete); a process stopped between the two leaves that key
// refused as "in progress" until it expires, so a change is never applied
// twice.
// Thread-safe; the Store and Clock must outlive it.
#pragma once

#include <cstdint>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "storage/store.h"

namespace workbind::domain {

struct IdempotencyClaim {
  bool replay = false;  // true: answer with the stored reply
  int http_status = 0;
  std::string body;
};

class IdempotencyService {
 public:
  IdempotencyService(storage::Store* store, const Clock* clock, int64_t ttl_ms)
      : store_(store), clock_(clock), ttl_ms_(ttl_ms) {}

  // kInvalidArgument unless `key` is 1-255 printable ASCII characters.
  static Status CheckKey(const std::string& key);

  // A new key is claimed for `fingerprint` (the caller must Complete or
  // Release it); a done key with the same fingerprint gives its reply.
  // kInUse: the key was used for a different request, or its first request
  // is in progress.
  Result<IdempotencyClaim> Claim(const std::string& user_id,
                                 const std::string& key,
                                 const std::string& fingerprint);
  // Stores the successful reply; the key is kept for the TTL from now.
  Status Complete(const std::string& user_id, const std::string& key,
                  const std::string& fingerprint, int http_status,
                  const std::string& body);
  // Complete inside `tx`, the transaction of the change the reply answers.
  Status CompleteIn(storage::WriteTx& tx, const std::string& user_id,
                    const std::string& key, const std::string& fingerprint,
                    int http_status, const std::string& body) const;
  // Forgets a claimed key (its request failed: a retry runs as new).
  Status Release(const std::string& user_id, const std::string& key);
  // Deletes expired keys; returns how many.
  Result<int64_t> Sweep();

 private:
  storage::Store* store_;
  const Clock* clock_;
  int64_t ttl_ms_;
};

}  // namespace workbind::domain
