// AuthService: Basic authentication against Argon2id hashes, JSESSIONID
// sessions stored in the database (so any node can validate them), the
// short-lived verification cache of auth.md §2, and session expiry.
// Basic credentials cost one Argon2id verification whether or not the user
// exists (an unknown or disabled user is checked against a dummy hash), and
// repeated failures are throttled per user name and per remote address
// (LoginThrottle). Thread-safe; every method waits on storage (call from a
// request fiber or a worker thread, never directly on an I/O thread).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/executor.h"
#include "common/status.h"
#include "domain/core/event_sink.h"
#include "domain/core/principal.h"
#include "domain/directory/directory.h"
#include "domain/directory/login_throttle.h"
#include "domain/directory/password.h"
#include "storage/store.h"

namespace workbind::domain {

struct AuthSettings {
  int session_idle_timeout_seconds = 1800;
  int max_sessions_per_user = 100;
  Argon2Params argon2;
  ThrottleSettings throttle;
};

// What the request carried.
struct Credentials {
  std::optional<std::string> authorization;  // the Authorization header, if any
  std::optional<std::string> session_cookie;  // JSESSIONID, if any
  std::string remote_address;  // peer address (empty: unknown, not throttled)
};

// Counters of the password checks, for /metrics.
struct AuthMetrics {
  uint64_t password_verifications_total = 0;  // Argon2id runs, dummy included
  uint64_t failures_total = 0;   // Basic credentials refused (not throttled)
  uint64_t throttled_total = 0;  // Basic attempts refused by the throttle
};

struct AuthOutcome {
  Principal principal;
  bool new_session = false;  // the reply must set the JSESSIONID cookie
};

// Called when sessions end, with the user ids that no longer have any
// session (their contact-center session must end too).
using LastSessionEndedHook =
    std::function<void(const std::vector<std::string>& user_ids)>;

class AuthService {
 public:
  // `slow_work` (may be null: inline) runs the Argon2id verifications, so
  // that a request fiber does not hold its I/O thread for them.
  AuthService(storage::Store* store, DirectoryCache* directories,
              EventSink* events, const Clock* clock, AuthSettings settings,
              Executor* slow_work = nullptr);

  // Authenticates per auth.md §3.1. kUnauthenticated when the credentials are
  // missing or bad, or the cookie names no live session (then
  // *clear_cookie is set). kTooManyAttempts (with retry_after_seconds) when
  // Basic credentials are given for a user name or from an address that is
  // locked out after repeated failures: refused without checking the
  // password. A request with the cookie alone is never throttled. Storage
  // errors as returned.
  Result<AuthOutcome> Authenticate(const Credentials& credentials,
                                   bool* clear_cookie);

  // Checks Basic credentials without touching any session. Returns the
  // account id; kUnauthenticated when malformed, unknown, wrong or disabled;
  // kTooManyAttempts as for Authenticate (`remote_address` may be empty).
  Result<std::string> VerifyBasic(const std::string& authorization,
                                  const std::string& remote_address = "");
  // True when `who` may act for `user_id` (auth.md §7.1).
  Result<bool> MayActFor(const Principal& who, const std::string& user_id);

  // Ends one HTTP session (EndContactCenterSession, logout): deletes it,
  // tells the EventSink, and runs the last-session hook when it was the
  // user's last one.
  Status EndSession(const std::string& session_id, const std::string& user_id);
  // Ends every session of a user (disabled or deleted user).
  void SessionsEnded(const std::vector<std::string>& session_ids,
                     const std::vector<std::string>& user_ids);
  // Deletes sessions idle for longer than the timeout. Returns how many.
  Result<size_t> SweepExpired();
  // Marks activity on a session (requests, CometD messages) in memory; the
  // store learns of it through FlushActivity, at most once a minute per
  // session.
  void Touch(const std::string& session_id);
  // Writes the activity Touch noted (one write transaction for all).
  Status FlushActivity();
  // A session ended on another node (or by any path that bypassed this
  // service): forgets it, so that its cookie is looked up again.
  void SessionEndedElsewhere(const std::string& session_id);

  void SetLastSessionEndedHook(LastSessionEndedHook hook) {
    last_session_hook_ = std::move(hook);
  }
  // Forgets cached verifications of a user (password changed, disabled).
  void ForgetUser(const std::string& user_name);

  const AuthSettings& settings() const { return settings_; }
  AuthMetrics Metrics() const;

 private:
  struct Account {
    std::string id;
    std::string user_name;
    std::string password_hash;
    std::string contact_center_id;
    std::vector<std::string> roles;
    bool enabled = true;
    bool system_admin = false;
  };
  Result<std::optional<Account>> FindAccount(storage::ReadTx& tx,
                                             const std::string& user_name);
  Result<std::optional<Account>> AccountById(storage::ReadTx& tx,
                                             const std::string& id,
                                             bool system_admin);
  // The key of a remembered verification: an HMAC of name, stored hash and
  // password under a per-process key.
  std::string VerificationKey(const Account& account,
                              const std::string& password) const;
  bool VerifiedRecently(const std::string& key);
  void RememberVerified(const std::string& key);
  // One Argon2id verification (counted).
  bool Verify(const std::string& password, const std::string& hash);
  // Checks one Basic attempt and records its outcome: OK when `account`
  // exists, is enabled and `password` is its password (remembered for 5
  // minutes); else kUnauthenticated, after checking the password against the
  // dummy hash all the same, so that both answers cost the same;
  // kTooManyAttempts when the throttle refuses it. The Argon2id run, with the
  // throttle check before it and the record after it, is on `slow_work_`.
  Status CheckBasic(const std::optional<Account>& account,
                    const std::string& user_name, const std::string& password,
                    const std::string& address);
  // kTooManyAttempts when `user_name` or `address` is locked out now.
  Status CheckThrottle(const std::string& user_name,
                       const std::string& address);
  // Records the outcome of a Basic check with the throttle and counters.
  void RecordBasic(bool ok, const std::string& user_name,
                   const std::string& address);
  Result<storage::SessionRecord> CreateSession(const Account& account);
  Principal MakePrincipal(const Account& account,
                          const storage::SessionRecord& session) const;
  void RunLastSessionHook(const std::vector<std::string>& user_ids);

  storage::Store* store_;
  DirectoryCache* directories_;
  EventSink* events_;
  const Clock* clock_;
  AuthSettings settings_;
  Executor* slow_work_;
  LastSessionEndedHook last_session_hook_;
  unsigned char hmac_key_[32];
  // A hash of a random password with settings_.argon2, made at construction
  // (empty when it could not be made: then the dummy check costs nothing).
  std::string dummy_hash_;
  LoginThrottle throttle_;
  std::atomic<uint64_t> verifications_{0};
  std::atomic<uint64_t> failures_{0};
  std::atomic<uint64_t> throttled_{0};

  // A live session this node has read or made, so that a cookie costs no
  // read of the store. Re-read when older than a few seconds or when the
  // contact center's directory moved on (roles, enabled); forgotten when the
  // session ends here or is announced ended by another node.
  struct KnownSession {
    storage::SessionRecord record;  // last_activity_ms: as last written
    Account account;
    int64_t last_seen_ms = 0;        // latest activity (memory)
    int64_t checked_ms = 0;          // when last read from the store
    int64_t directory_version = -1;  // of the account's contact center then
  };
  // The known session behind `id` when it may be used without a read.
  std::optional<KnownSession> KnownFresh(const std::string& id, int64_t now);
  // Returns the session's latest activity (memory or store).
  int64_t Remember(const storage::SessionRecord& record, const Account& account,
                   int64_t checked_ms, int64_t directory_version);
  void Forget(const std::vector<std::string>& session_ids);

  std::mutex mu_;
  std::map<std::string, int64_t> verified_;  // HMAC hex -> expiry ms

  std::mutex sessions_mu_;
  std::unordered_map<std::string, KnownSession> sessions_;
  // Activity to write: session id -> ms. And the activity last written of
  // sessions touched without being known (CometD only).
  std::unordered_map<std::string, int64_t> unwritten_activity_;
  std::unordered_map<std::string, int64_t> written_activity_;
};

// Parses "Basic base64(user:password)". nullopt when malformed.
std::optional<std::pair<std::string, std::string>> ParseBasic(
    std::string_view header);

}  // namespace workbind::domain
