#include "domain/directory/auth_service.h"

#include <sodium.h>

#include "common/ids.h"
#include "common/log.h"
#include "common/suspend.h"

namespace workbind::domain {
namespace {

constexpr int64_t kVerifyCacheMs = 5 * 60 * 1000;
constexpr int64_t kTouchEveryMs = 60 * 1000;
// A known session is read again from the store after this long: bounds how
// late this node sees a change made elsewhere that does not end the session
// (ending one is announced at once).
constexpr int64_t kRecheckSessionMs = 5 * 1000;

std::string Hex(const unsigned char* b, size_t n) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out.push_back(d[b[i] >> 4]);
    out.push_back(d[b[i] & 15]);
  }
  return out;
}

// JSESSIONID values are 32 upper-case hex digits; anything else is unknown.
bool IsSessionId(const std::string& s) {
  if (s.size() != 32) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> ParseBasic(
    std::string_view header) {
  if (header.size() < 6) return std::nullopt;
  std::string scheme(header.substr(0, 6));
  for (auto& c : scheme)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme != "basic ") return std::nullopt;
  std::string_view b64 = header.substr(6);
  while (!b64.empty() && b64.front() == ' ') b64.remove_prefix(1);
  while (!b64.empty() && b64.back() == ' ') b64.remove_suffix(1);
  std::string decoded(b64.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(decoded.data()),
                        decoded.size(), b64.data(), b64.size(), nullptr, &len,
                        nullptr, sodium_base64_VARIANT_ORIGINAL) != 0)
    return std::nullopt;
  decoded.resize(len);
  size_t colon = decoded.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return std::make_pair(decoded.substr(0, colon), decoded.substr(colon + 1));
}

AuthService::AuthService(storage::Store* store, DirectoryCache* directories,
                         EventSink* events, const Clock* clock,
                         AuthSettings settings, Executor* slow_work)
    : store_(store),
      directories_(directories),
      events_(events),
      clock_(clock),
      settings_(std::move(settings)),
      slow_work_(slow_work),
      throttle_(settings_.throttle) {
  if (sodium_init() < 0) log::Critical("libsodium failed to initialise");
  randombytes_buf(hmac_key_, sizeof hmac_key_);
  auto dummy = HashPassword(ids::RandomHexUpper(16), settings_.argon2);
  if (dummy.ok())
    dummy_hash_ = std::move(dummy).value();
  else
    log::Error("could not make the dummy password hash: {}",
               dummy.status().message());
}

AuthMetrics AuthService::Metrics() const {
  AuthMetrics m;
  m.password_verifications_total = verifications_.load();
  m.failures_total = failures_.load();
  m.throttled_total = throttled_.load();
  return m;
}

bool AuthService::Verify(const std::string& password, const std::string& hash) {
  verifications_.fetch_add(1);
  return VerifyPassword(password, hash);
}

Status AuthService::CheckBasic(const std::optional<Account>& account,
                               const std::string& user_name,
                               const std::string& password,
                               const std::string& address) {
  const bool usable = account && account->enabled;
  std::string cache_key;
  if (usable) {
    cache_key = VerificationKey(*account, password);
    if (VerifiedRecently(cache_key)) {
      RecordBasic(true, user_name, address);
      return Status::Ok();
    }
  }
  // The throttle is asked again right before the Argon2id run, and the
  // outcome recorded right after it, on the same worker: attempts that
  // arrive together can slip between the check and the record at most as
  // many as the executor has threads (as when requests ran on workers).
  Status st;
  RunOn(slow_work_, [&] {
    st = CheckThrottle(user_name, address);
    if (!st.ok()) return;
    const bool ok = usable ? Verify(password, account->password_hash)
                           : (Verify(password, dummy_hash_), false);
    RecordBasic(ok, user_name, address);
    if (ok) RememberVerified(cache_key);
    st = ok ? Status::Ok() : Unauthenticated();
  });
  return st;
}

Status AuthService::CheckThrottle(const std::string& user_name,
                                  const std::string& address) {
  const int wait =
      throttle_.RetryAfterSeconds(user_name, address, clock_->NowMillis());
  if (wait <= 0) return Status::Ok();
  throttled_.fetch_add(1);
  return TooManyAttempts(wait);
}

void AuthService::RecordBasic(bool ok, const std::string& user_name,
                              const std::string& address) {
  if (ok) {
    throttle_.Succeeded(user_name);
    return;
  }
  failures_.fetch_add(1);
  throttle_.Failed(user_name, address, clock_->NowMillis());
}

Result<std::optional<AuthService::Account>> AuthService::FindAccount(
    storage::ReadTx& tx, const std::string& name) {
  WB_ASSIGN_OR_RETURN(auto user, tx.FindUserByName(name));
  if (user) {
    return std::optional<Account>(
        Account{user->id, user->user_name, user->password_hash,
                user->contact_center_id, user->roles, user->enabled, false});
  }
  WB_ASSIGN_OR_RETURN(auto admin, tx.FindSystemAdminByName(name));
  if (admin) {
    return std::optional<Account>(Account{
        admin->id, admin->user_name, admin->password_hash, "", {}, true, true});
  }
  return std::optional<Account>();
}

Result<std::optional<AuthService::Account>> AuthService::AccountById(
    storage::ReadTx& tx, const std::string& id, bool system_admin) {
  if (!system_admin) {
    WB_ASSIGN_OR_RETURN(auto user, tx.GetUser(id));
    if (!user) return std::optional<Account>();
    return std::optional<Account>(
        Account{user->id, user->user_name, user->password_hash,
                user->contact_center_id, user->roles, user->enabled, false});
  }
  WB_ASSIGN_OR_RETURN(auto admins, tx.ListSystemAdmins());
  for (auto& a : admins)
    if (a.id == id)
      return std::optional<Account>(
          Account{a.id, a.user_name, a.password_hash, "", {}, true, true});
  return std::optional<Account>();
}

std::string AuthService::VerificationKey(const Account& account,
                                         const std::string& password) const {
  std::string material =
      account.user_name + ":" + account.password_hash + ":" + password;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  crypto_auth_hmacsha256_init(&st, hmac_key_, sizeof hmac_key_);
  crypto_auth_hmacsha256_update(
      &st, reinterpret_cast<const unsigned char*>(material.data()),
      material.size());
  crypto_auth_hmacsha256_final(&st, mac);
  sodium_memzero(material.data(), material.size());
  return Hex(mac, sizeof mac);
}

bool AuthService::VerifiedRecently(const std::string& key) {
  const int64_t now = clock_->NowMillis();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = verified_.find(key);
  return it != verified_.end() && it->second > now;
}

void AuthService::RememberVerified(const std::string& key) {
  const int64_t now = clock_->NowMillis();
  std::lock_guard<std::mutex> lock(mu_);
  if (verified_.size() > 100000) verified_.clear();
  verified_[key] = now + kVerifyCacheMs;
}

Result<storage::SessionRecord> AuthService::CreateSession(
    const Account& account) {
  storage::SessionRecord s;
  s.id = ids::RandomHexUpper(16);
  s.csrf_token = ids::RandomUuid4();
  s.user_id = account.id;
  s.system_admin = account.system_admin;
  s.created_ms = s.last_activity_ms = clock_->NowMillis();
  std::vector<std::string> evicted;
  Status st = store_->Write([&](storage::WriteTx& tx) {
    evicted.clear();
    WB_ASSIGN_OR_RETURN(auto existing, tx.ListSessionsOfUser(account.id));
    // Keep room for the new one: end the least recently used beyond the cap.
    size_t cap = settings_.max_sessions_per_user < 1
                     ? 1
                     : settings_.max_sessions_per_user;
    for (size_t i = 0; i + cap <= existing.size(); ++i) {
      WB_RETURN_IF_ERROR(tx.DeleteSession(existing[i].id));
      evicted.push_back(existing[i].id);
    }
    return tx.PutSession(s);
  });
  if (!st.ok()) return st;
  Forget(evicted);
  for (const auto& id : evicted) events_->HttpSessionEnded(id);
  Remember(s, account, s.created_ms,
           directories_->CachedVersion(account.contact_center_id));
  return s;
}

std::optional<AuthService::KnownSession> AuthService::KnownFresh(
    const std::string& id, int64_t now) {
  std::optional<KnownSession> known;
  {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    auto it = sessions_.find(id);
    if (it == sessions_.end()) return std::nullopt;
    const int64_t idle_ms =
        int64_t{settings_.session_idle_timeout_seconds} * 1000;
    if (it->second.last_seen_ms + idle_ms < now) {
      // Expired: the sweep deletes it from the store.
      sessions_.erase(it);
      return std::nullopt;
    }
    if (now - it->second.checked_ms >= kRecheckSessionMs) return std::nullopt;
    known = it->second;
  }
  if (known->directory_version !=
      directories_->CachedVersion(known->account.contact_center_id))
    return std::nullopt;
  return known;
}

int64_t AuthService::Remember(const storage::SessionRecord& record,
                              const Account& account, int64_t checked_ms,
                              int64_t directory_version) {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  KnownSession& k = sessions_[record.id];
  const int64_t seen = std::max(k.last_seen_ms, record.last_activity_ms);
  const int64_t written =
      std::max(k.record.last_activity_ms, record.last_activity_ms);
  k.record = record;
  k.record.last_activity_ms = written;
  k.account = account;
  k.last_seen_ms = seen;
  k.checked_ms = checked_ms;
  k.directory_version = directory_version;
  return seen;
}

void AuthService::Forget(const std::vector<std::string>& session_ids) {
  std::lock_guard<std::mutex> lock(sessions_mu_);
  for (const auto& id : session_ids) {
    sessions_.erase(id);
    unwritten_activity_.erase(id);
    written_activity_.erase(id);
  }
}

void AuthService::SessionEndedElsewhere(const std::string& session_id) {
  Forget({session_id});
}

Principal AuthService::MakePrincipal(
    const Account& account, const storage::SessionRecord& session) const {
  Principal p;
  p.user_id = account.id;
  p.user_name = account.user_name;
  p.contact_center_id = account.contact_center_id;
  p.roles = account.roles;
  p.system_admin = account.system_admin;
  p.http_session_id = session.id;
  p.csrf_token = session.csrf_token;
  return p;
}

Result<AuthOutcome> AuthService::Authenticate(const Credentials& c,
                                              bool* clear_cookie) {
  *clear_cookie = false;
  const int64_t now = clock_->NowMillis();
  const int64_t idle_ms =
      int64_t{settings_.session_idle_timeout_seconds} * 1000;

  // Look up the cookie's session (if any) and the Basic account (if any).
  std::optional<storage::SessionRecord> session;
  std::optional<Account> session_account;
  std::optional<Account> basic_account;
  std::optional<std::pair<std::string, std::string>> basic;
  if (c.authorization) {
    basic = ParseBasic(*c.authorization);
    if (!basic) return Unauthenticated();
    WB_RETURN_IF_ERROR(CheckThrottle(basic->first, c.remote_address));
  }
  const bool has_cookie = c.session_cookie && IsSessionId(*c.session_cookie);
  std::optional<KnownSession> known;
  if (has_cookie) known = KnownFresh(*c.session_cookie, now);
  if (known) {
    session = std::move(known->record);
    session_account = std::move(known->account);
  }
  if ((has_cookie && !known) || basic) {
    int64_t directory_version = -1;
    Status st = store_->Read([&](storage::ReadTx& tx) {
      if (has_cookie && !known) {
        WB_ASSIGN_OR_RETURN(session, tx.GetSession(*c.session_cookie));
        if (session) {
          WB_ASSIGN_OR_RETURN(
              session_account,
              AccountById(tx, session->user_id, session->system_admin));
          if (!session_account || !session_account->enabled) {
            session.reset();
          } else {
            directory_version =
                directories_->CachedVersion(session_account->contact_center_id);
          }
        }
      }
      if (basic) {
        WB_ASSIGN_OR_RETURN(basic_account, FindAccount(tx, basic->first));
      }
      return Status::Ok();
    });
    if (!st.ok()) return st;
    if (has_cookie && !known) {
      if (session) {
        // Activity noted in memory counts, not only what was written.
        const int64_t seen =
            Remember(*session, *session_account, now, directory_version);
        if (seen + idle_ms < now) {
          Forget({session->id});
          session.reset();
        }
      } else {
        Forget({*c.session_cookie});
      }
    }
  }

  if (basic) {
    WB_RETURN_IF_ERROR(CheckBasic(basic_account, basic->first, basic->second,
                                  c.remote_address));
    if (session && session_account &&
        session_account->id == basic_account->id) {
      Touch(session->id);
      return AuthOutcome{MakePrincipal(*basic_account, *session), false};
    }
    WB_ASSIGN_OR_RETURN(auto created, CreateSession(*basic_account));
    return AuthOutcome{MakePrincipal(*basic_account, created), true};
  }
  if (session) {
    Touch(session->id);
    return AuthOutcome{MakePrincipal(*session_account, *session), false};
  }
  *clear_cookie = c.session_cookie.has_value();
  return Unauthenticated();
}

Result<std::string> AuthService::VerifyBasic(
    const std::string& authorization, const std::string& remote_address) {
  auto basic = ParseBasic(authorization);
  if (!basic) return Unauthenticated();
  WB_RETURN_IF_ERROR(CheckThrottle(basic->first, remote_address));
  std::optional<Account> account;
  WB_RETURN_IF_ERROR(store_->Read([&](storage::ReadTx& tx) {
    WB_ASSIGN_OR_RETURN(account, FindAccount(tx, basic->first));
    return Status::Ok();
  }));
  WB_RETURN_IF_ERROR(
      CheckBasic(account, basic->first, basic->second, remote_address));
  return account->id;
}

Result<bool> AuthService::MayActFor(const Principal& who,
                                    const std::string& user_id) {
  if (who.user_id == user_id) return true;
  if (who.system_admin || who.contact_center_id.empty()) return false;
  WB_ASSIGN_OR_RETURN(auto dir, directories_->Get(who.contact_center_id));
  const auto* me = dir->UserById(who.user_id);
  return me != nullptr && dir->MayActFor(*me, user_id);
}

void AuthService::Touch(const std::string& session_id) {
  const int64_t now = clock_->NowMillis();
  std::lock_guard<std::mutex> lock(sessions_mu_);
  int64_t written = 0;
  if (auto it = sessions_.find(session_id); it != sessions_.end()) {
    it->second.last_seen_ms = std::max(it->second.last_seen_ms, now);
    written = it->second.record.last_activity_ms;
  } else {
    auto [w, inserted] = written_activity_.try_emplace(session_id, 0);
    written = w->second;
  }
  if (now - written >= kTouchEveryMs) unwritten_activity_[session_id] = now;
}

Status AuthService::FlushActivity() {
  std::unordered_map<std::string, int64_t> due;
  {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    due.swap(unwritten_activity_);
  }
  if (due.empty()) return Status::Ok();
  Status st = store_->Write([&](storage::WriteTx& tx) {
    for (const auto& [id, ms] : due)
      WB_RETURN_IF_ERROR(tx.TouchSession(id, ms));
    return Status::Ok();
  });
  std::lock_guard<std::mutex> lock(sessions_mu_);
  if (!st.ok()) {
    log::Warn("writing session activity failed: {}", st.message());
    for (const auto& [id, ms] : due) unwritten_activity_.try_emplace(id, ms);
    return st;
  }
  for (const auto& [id, ms] : due) {
    if (auto it = sessions_.find(id); it != sessions_.end())
      it->second.record.last_activity_ms =
          std::max(it->second.record.last_activity_ms, ms);
    else
      written_activity_[id] = ms;
  }
  return Status::Ok();
}

Status AuthService::EndSession(const std::string& session_id,
                               const std::string& user_id) {
  bool last = false;
  Status st = store_->Write([&](storage::WriteTx& tx) {
    WB_RETURN_IF_ERROR(tx.DeleteSession(session_id));
    WB_ASSIGN_OR_RETURN(auto rest, tx.ListSessionsOfUser(user_id));
    last = rest.empty();
    return Status::Ok();
  });
  if (!st.ok()) return st;
  Forget({session_id});
  events_->HttpSessionEnded(session_id);
  if (last) RunLastSessionHook({user_id});
  return Status::Ok();
}

void AuthService::SessionsEnded(const std::vector<std::string>& session_ids,
                                const std::vector<std::string>& user_ids) {
  Forget(session_ids);
  for (const auto& id : session_ids) events_->HttpSessionEnded(id);
  RunLastSessionHook(user_ids);
}

Result<size_t> AuthService::SweepExpired() {
  // Activity seen here first, so that the sweep judges by it.
  (void)FlushActivity();
  const int64_t cutoff = clock_->NowMillis() -
                         int64_t{settings_.session_idle_timeout_seconds} * 1000;
  {
    std::lock_guard<std::mutex> lock(sessions_mu_);
    std::erase_if(sessions_, [cutoff](const auto& e) {
      return e.second.last_seen_ms < cutoff;
    });
    std::erase_if(written_activity_,
                  [cutoff](const auto& e) { return e.second < cutoff; });
  }
  std::vector<std::string> ended;
  std::vector<std::string> users_without_sessions;
  Status st = store_->Write([&](storage::WriteTx& tx) {
    ended.clear();
    users_without_sessions.clear();
    WB_ASSIGN_OR_RETURN(auto sessions, tx.DeleteSessionsIdleSince(cutoff));
    for (const auto& s : sessions) {
      ended.push_back(s.id);
      if (s.system_admin) continue;
      WB_ASSIGN_OR_RETURN(auto rest, tx.ListSessionsOfUser(s.user_id));
      bool seen = false;
      for (const auto& u : users_without_sessions)
        seen = seen || u == s.user_id;
      if (rest.empty() && !seen) users_without_sessions.push_back(s.user_id);
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  if (!ended.empty()) SessionsEnded(ended, users_without_sessions);
  return ended.size();
}

void AuthService::ForgetUser(const std::string& user_name) {
  // Entries are keyed by an HMAC that includes the stored hash, so a changed
  // hash never matches again; a disabled user is refused before the cache.
  // Clearing everything is simple and rare.
  std::lock_guard<std::mutex> lock(mu_);
  verified_.clear();
}

void AuthService::RunLastSessionHook(const std::vector<std::string>& user_ids) {
  if (last_session_hook_ && !user_ids.empty()) last_session_hook_(user_ids);
}

}  // namespace workbind::domain
