// The objects every handler may use, and the per-request Context a handler
// receives. ApiServices is built once in app/ and shared (its members are
// thread-safe); Context is owned by one request.
#pragma once

#include <boost/json.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "api/v2/api_settings.h"
#include "common/clock.h"
#include "common/http_message.h"
#include "domain/core/commit_step.h"
#include "domain/core/event_sink.h"
#include "domain/core/principal.h"
#include "domain/directory/auth_service.h"
#include "domain/directory/directory.h"
#include "http/request.h"

namespace workbind::domain {
class IdempotencyService;
class ProvisioningService;
class AgentStateService;
class InteractionService;
class QueueService;
class ContactService;
class WorkbinService;
}  // namespace workbind::domain

namespace workbind::api {

struct ApiServices {
  ApiSettings settings;
  const Clock* clock = nullptr;
  domain::DirectoryCache* directories = nullptr;
  domain::AuthService* auth = nullptr;
  domain::ProvisioningService* provisioning = nullptr;
  domain::AgentStateService* agent_states = nullptr;
  domain::EventSink* events = nullptr;
  // Interactions, queues, contacts.
  domain::InteractionService* interactions = nullptr;
  domain::QueueService* queues = nullptr;
  domain::ContactService* contacts = nullptr;
  // Workbins.
  domain::WorkbinService* workbins = nullptr;
  // Idempotency-Key (nullptr: the header is ignored).
  domain::IdempotencyService* idempotency = nullptr;
};

struct Context {
  Context(const http::Request& r, const ApiServices& s)
      : request(r), services(s) {}

  const http::Request& request;
  const ApiServices& services;
  domain::Principal principal;  // empty on public routes
  boost::json::object body;     // parsed body of POST/PUT (else empty)
  std::string operation;        // operationName, when the route takes one
  HeaderList reply_headers;     // extra headers for the reply
  bool end_session = false;     // clear the JSESSIONID cookie in the reply
  bool bare_reply = false;  // the success body is sent as is (no statusCode)

  // The caller's contact-center directory (loaded on first use).
  Result<std::shared_ptr<const domain::Directory>> Directory();

  // The request's claimed Idempotency-Key (set by the Dispatcher).
  struct IdempotencyKey {
    std::string key, fingerprint;
  };
  std::optional<IdempotencyKey> idempotency_key;
  // The reply (HTTP status, body) stored with the key inside the change's
  // transaction, when a CommitStep from ReplyStep ran.
  std::optional<std::pair<int, std::string>> stored_reply;
  // A CommitStep for the domain call that makes the request's change: when
  // the request carries an Idempotency-Key, it stores the reply the handler
  // will return, `reply(outcome)`, with the key in the change's transaction
  // (the Dispatcher then stores nothing after). Empty without a key. The
  // step runs on the storage's thread while the handler waits; `reply` must
  // be the handler's success body for that outcome.
  domain::CommitStep ReplyStep(
      std::function<boost::json::object(const domain::ChangeOutcome&)> reply);
  // The uri for a canonical path ("/users/x" -> externalApiUrl + path).
  std::string Uri(std::string_view path) const {
    return services.settings.external_api_url + std::string(path);
  }

 private:
  std::shared_ptr<const domain::Directory> directory_;
};

// A handler returns the success body (statusCode 0 is added when absent) or
// an error Status, rendered by http/error_mapping.
using Handler = Result<boost::json::object> (*)(Context& ctx);

}  // namespace workbind::api
