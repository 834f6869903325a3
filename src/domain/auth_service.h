// AuthService: Basic authentication against Argon2id hashes, JSESSIONID
// sessions stored in the database (so any node can validate them), the
// short-lived verification cache of auth.md §2, and session expiry.
// Thread-safe; every method blocks on storage (call from worker threads).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "domain/directory.h"
#include "domain/event_sink.h"
#include "domain/password.h"
#include "domain/principal.h"
#include "storage/store.h"

namespace workbind::domain {

struct AuthSettings {
  int session_idle_timeout_seconds = 1800;
  int max_sessions_per_user = 100;
  Argon2Params argon2;
};

// What the request carried.
struct Credentials {
  std::optional<std::string> authorization;  // the Authorization header, if any
  std::optional<std::string> session_cookie;  // JSESSIONID, if any
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
  AuthService(storage::Store* store, DirectoryCache* directories,
              EventSink* events, const Clock* clock, AuthSettings settings);

  // Authenticates per auth.md §3.1. kUnauthenticated when the credentials are
  // missing or bad, or the cookie names no live session (then
  // *clear_cookie is set). Storage errors as returned.
  Result<AuthOutcome> Authenticate(const Credentials& credentials,
                                   bool* clear_cookie);

  // Checks Basic credentials without touching any session. Returns the
  // account id; kUnauthenticated when malformed, unknown, wrong or disabled.
  Result<std::string> VerifyBasic(const std::string& authorization);
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
  // Marks activity on a session (CometD messages); writes at most once a
  // minute.
  void Touch(const std::string& session_id);

  void SetLastSessionEndedHook(LastSessionEndedHook hook) {
    last_session_hook_ = std::move(hook);
  }
  // Forgets cached verifications of a user (password changed, disabled).
  void ForgetUser(const std::string& user_name);

  const AuthSettings& settings() const { return settings_; }

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
  bool VerifyCached(const Account& account, const std::string& password);
  Result<storage::SessionRecord> CreateSession(const Account& account);
  Principal MakePrincipal(const Account& account,
                          const storage::SessionRecord& session) const;
  void RunLastSessionHook(const std::vector<std::string>& user_ids);

  storage::Store* store_;
  DirectoryCache* directories_;
  EventSink* events_;
  const Clock* clock_;
  AuthSettings settings_;
  LastSessionEndedHook last_session_hook_;
  unsigned char hmac_key_[32];

  std::mutex mu_;
  std::map<std::string, int64_t> verified_;    // HMAC hex -> expiry ms
  std::map<std::string, int64_t> last_touch_;  // session id -> ms written
};

// Parses "Basic base64(user:password)". nullopt when malformed.
std::optional<std::pair<std::string, std::string>> ParseBasic(
    std::string_view header);

}  // namespace workbind::domain
