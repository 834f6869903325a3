// Authenticator: what the CometD endpoint needs from the authentication layer,
// implemented by the app. Every method may block (database, password hash);
// the broker calls them only on the Executor it was given, never on an I/O
// thread. Implementations must be thread-safe.
#pragma once

#include <string>

#include "common/http_message.h"
#include "common/status.h"
#include "domain/core/principal.h"

namespace workbind::cometd {

class Authenticator {
 public:
  virtual ~Authenticator() = default;

  // Authenticates `req` exactly as a REST request (auth.md §2, §3.1): the
  // JSESSIONID cookie of a live HTTP session, or valid Basic credentials,
  // which create or reuse an HTTP session. Headers the reply must carry
  // (Set-Cookie of a new JSESSIONID, or the clearing of a dead one) are
  // appended to `reply_headers`. Counts as activity on the HTTP session.
  // Returns the principal with http_session_id set, or kUnauthenticated for
  // no, bad or expired credentials. A system admin is returned as such (the
  // broker refuses its handshake).
  virtual Result<domain::Principal> Authenticate(const HttpRequest& req,
                                                 HeaderList* reply_headers) = 0;

  // Checks the Basic credentials of `req` without creating, reusing or
  // touching an HTTP session (notifications.md §2.3: a poll with Basic
  // credentials of the bound user uses the bound session). Returns the
  // user id, or kUnauthenticated when the Authorization header is absent,
  // malformed or wrong, or the user is disabled.
  virtual Result<std::string> VerifyBasic(const HttpRequest& req) = 0;

  // True when `who` may act for user `user_id` (auth.md §7.1: supervisor of
  // one of its groups, ADMIN/APIUSER of its contact center, or itself).
  // Used when a session subscribes to /v2/users/{userId}/...; false for an
  // unknown user.
  virtual bool MayActFor(const domain::Principal& who,
                         const std::string& user_id) = 0;

  // Records activity on the HTTP session (auth.md §3.2). The broker calls it
  // for Bayeux traffic and while a connect is held, at most once per
  // BrokerSettings::touch_interval_ms per Bayeux session. Unknown ids are
  // ignored.
  virtual void TouchSession(const std::string& http_session_id) = 0;
};

}  // namespace workbind::cometd
