#include "app/cometd_authenticator.h"

#include "http/request.h"
#include "http/session_cookie.h"

namespace workbind::app {

Result<domain::Principal> CometdAuthenticator::Authenticate(
    const HttpRequest& req, HeaderList* reply_headers) {
  http::Request parsed(req);
  domain::Credentials creds;
  if (req.HasHeader("Authorization"))
    creds.authorization = std::string(req.Header("Authorization"));
  creds.session_cookie = parsed.Cookie("JSESSIONID");
  creds.remote_address = req.remote_address;
  bool clear_cookie = false;
  auto outcome = auth_->Authenticate(creds, &clear_cookie);
  const auto& same_site = settings_->cookie_same_site;
  const bool secure = settings_->secure_cookies || req.secure;
  if (!outcome.ok()) {
    if (clear_cookie)
      reply_headers->emplace_back("Set-Cookie",
                                  http::ClearSessionCookie(same_site, secure));
    return outcome.status();
  }
  if (outcome->new_session)
    reply_headers->emplace_back(
        "Set-Cookie", http::SessionCookie(outcome->principal.http_session_id,
                                          same_site, secure));
  return std::move(outcome->principal);
}

Result<std::string> CometdAuthenticator::VerifyBasic(const HttpRequest& req) {
  if (!req.HasHeader("Authorization")) return Unauthenticated();
  return auth_->VerifyBasic(std::string(req.Header("Authorization")),
                            req.remote_address);
}

bool CometdAuthenticator::MayActFor(const domain::Principal& who,
                                    const std::string& user_id) {
  auto r = auth_->MayActFor(who, user_id);
  return r.ok() && *r;
}

void CometdAuthenticator::TouchSession(const std::string& http_session_id) {
  auth_->Touch(http_session_id);
}

}  // namespace workbind::app
