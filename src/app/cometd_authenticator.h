// CometdAuthenticator: cometd::Authenticator over domain::AuthService, so
// that a Bayeux session is bound to an authenticated HTTP session exactly as
// a REST request is. Thread-safe; blocking (called on worker threads).
#pragma once

#include "api/v2/api_context.h"
#include "cometd/authenticator.h"
#include "domain/directory/auth_service.h"

namespace workbind::app {

class CometdAuthenticator final : public cometd::Authenticator {
 public:
  CometdAuthenticator(domain::AuthService* auth,
                      const api::ApiSettings* settings)
      : auth_(auth), settings_(settings) {}

  Result<domain::Principal> Authenticate(const HttpRequest& req,
                                         HeaderList* reply_headers) override;
  Result<std::string> VerifyBasic(const HttpRequest& req) override;
  bool MayActFor(const domain::Principal& who,
                 const std::string& user_id) override;
  void TouchSession(const std::string& http_session_id) override;

 private:
  domain::AuthService* auth_;
  const api::ApiSettings* settings_;
};

}  // namespace workbind::app
