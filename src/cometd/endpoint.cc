#include "cometd/endpoint.h"

#include <algorithm>
#include <utility>

#include "cometd/channel.h"
#include "cometd/request_decoding.h"
#include "cometd/websocket_channel.h"
#include "common/ids.h"

namespace workbind::cometd {
namespace json = boost::json;
namespace {

constexpr std::string_view kDefaultJsonpCallback = "jsonpcallback";

bool IsUpgradeToWebSocket(const HttpRequest& req) {
  std::string_view upgrade = req.Header("Upgrade");
  return EqualsIgnoreCase(upgrade, "websocket");
}

bool ValidJsonpCallback(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Adds the CORS headers of auth.md §5 to every reply of a request whose
// Origin is allowed.
Responder WithCors(Responder respond, std::string origin, bool preflight) {
  return [respond = std::move(respond), origin = std::move(origin),
          preflight](HttpResponse r) {
    r.SetHeader("Access-Control-Allow-Origin", origin);
    r.SetHeader("Access-Control-Allow-Credentials", "true");
    r.SetHeader("Access-Control-Expose-Headers",
                "X-CSRF-HEADER, X-CSRF-TOKEN, Idempotent-Replayed");
    r.SetHeader("Vary", "Origin");
    if (preflight) {
      r.SetHeader("Access-Control-Allow-Methods",
                  "GET, POST, PUT, DELETE, OPTIONS");
      r.SetHeader("Access-Control-Allow-Headers",
                  "X-Requested-With, Content-Type, Accept, Origin, Cookie, "
                  "Authorization, "
                  "X-CSRF-TOKEN, Idempotency-Key");
      r.SetHeader("Access-Control-Max-Age", "120");
    }
    respond(std::move(r));
  };
}

void Refuse(Responder respond, const Status& why, HeaderList headers = {}) {
  SendError(HttpReply{std::move(respond), std::move(headers), {}}, why);
}

bool IsSingleHandshake(const std::vector<json::object>& messages) {
  if (messages.size() != 1) return false;
  const json::value* c = messages[0].if_contains("channel");
  if (c == nullptr || !c->is_string()) return false;
  return NormalizeChannel(c->get_string()) == std::string(kMetaHandshake);
}

}  // namespace

Endpoint::Endpoint(BrokerSettings settings, Authenticator* authenticator,
                   Executor* executor, const Clock* clock)
    : owned_broker_(std::make_unique<Broker>(std::move(settings), authenticator,
                                             executor, clock)),
      broker_(owned_broker_.get()),
      origin_policy_(broker_->settings().external_api_url,
                     broker_->settings().cors_allowed_origins) {
  broker_->Start();
}

Endpoint::Endpoint(Broker* broker)
    : broker_(broker),
      origin_policy_(broker_->settings().external_api_url,
                     broker_->settings().cors_allowed_origins) {}

Endpoint::~Endpoint() = default;

void Endpoint::Deliver(std::vector<domain::Notification> notifications) {
  broker_->Deliver(std::move(notifications));
}

void Endpoint::HttpSessionEnded(const std::string& http_session_id) {
  // The Bayeux sessions first (a held connect's final reply is queued on its
  // socket), then the sockets themselves, which close after that reply.
  broker_->HttpSessionEnded(http_session_id);
  for (const auto& channel : sockets_.Take(http_session_id))
    channel->SessionEnded();
}

void Endpoint::UserDisabled(const std::string& user_id) {
  broker_->UserDisabled(user_id);
}

void Endpoint::Shutdown() { broker_->Shutdown(); }

BrokerMetrics Endpoint::Metrics() const { return broker_->Metrics(); }

size_t Endpoint::SessionCount() const { return broker_->SessionCount(); }

size_t Endpoint::QueuedMessages() const { return broker_->QueuedMessages(); }

bool Endpoint::IsNotificationsPath(std::string_view path) {
  if (path.substr(0, kNotificationsPath.size()) != kNotificationsPath)
    return false;
  std::string_view rest = path.substr(kNotificationsPath.size());
  return rest.empty() || rest == "/" || rest == "/handshake" ||
         rest == "/connect" || rest == "/subscribe" || rest == "/unsubscribe" ||
         rest == "/disconnect";
}

void Endpoint::HandleHttp(HttpRequest request, Responder respond) {
  const BrokerSettings& settings = broker_->settings();
  std::string path(PathOf(request.target));
  if (!IsNotificationsPath(path)) {
    Refuse(std::move(respond), NotFound("No such resource: " + path));
    return;
  }
  if (std::string_view origin = request.Header("Origin"); !origin.empty()) {
    const auto& allowed = settings.cors_allowed_origins;
    if (std::find(allowed.begin(), allowed.end(), origin) != allowed.end())
      respond = WithCors(std::move(respond), std::string(origin),
                         request.method == "OPTIONS");
  }
  if (request.transport_error == TransportError::kHeaderTooLarge) {
    Refuse(std::move(respond), InvalidArgument("Request headers too large"));
    return;
  }
  const std::string& method = request.method;
  if (method == "OPTIONS") {
    HttpResponse response;
    SetJsonHeaders(&response);
    response.body = R"({"statusCode":0})";
    respond(std::move(response));
    return;
  }
  if (method == "GET") {
    if (IsUpgradeToWebSocket(request)) {
      if (!settings.TransportEnabled(kWebSocket)) {
        Refuse(std::move(respond),
               InvalidArgument("WebSocket transport is disabled"));
      } else if (path != kNotificationsPath) {
        Refuse(
            std::move(respond),
            InvalidArgument(
                "WebSocket upgrade is accepted on /api/v2/notifications only"));
      } else if (!OriginAllowed(request)) {
        Refuse(std::move(respond),
               Status(Code::kForbidden, "Origin not allowed"));
      } else {
        // No Basic challenge to a browser script (security.md).
        HeaderList challenge;
        if (!FromBrowserScript(request))
          challenge.emplace_back("WWW-Authenticate",
                                 "Basic realm=\"workbind\"");
        Refuse(std::move(respond), Unauthenticated(), std::move(challenge));
      }
      return;
    }
    std::optional<std::string> message = QueryParam(request.target, "message");
    if (!settings.TransportEnabled(kCallbackPolling) || !message) {
      Refuse(std::move(respond),
             InvalidArgument(
                 settings.TransportEnabled(kCallbackPolling)
                     ? "Missing required parameter 'message'"
                     : "Use POST (long-polling) or a WebSocket upgrade"));
      return;
    }
    std::string callback = QueryParam(request.target, "jsonp")
                               .value_or(std::string(kDefaultJsonpCallback));
    if (!ValidJsonpCallback(callback)) {
      Refuse(std::move(respond),
             InvalidArgument("Invalid jsonp callback name"));
      return;
    }
    Poll(std::move(request), std::move(respond), *message,
         Transport::kCallbackPolling, std::move(callback));
    return;
  }
  if (method == "POST") {
    if (!settings.TransportEnabled(kLongPolling)) {
      Refuse(std::move(respond),
             InvalidArgument("Long-polling transport is disabled"));
      return;
    }
    if (request.transport_error == TransportError::kBodyTooLarge ||
        static_cast<int64_t>(request.body.size()) >
            settings.max_message_bytes) {
      Refuse(std::move(respond),
             Status(Code::kPayloadTooLarge,
                    "Bayeux request exceeds " +
                        std::to_string(settings.max_message_bytes) + " bytes"));
      return;
    }
    BodyText body = ReadBodyText(request);
    if (body.error) {
      Refuse(std::move(respond), *body.error);
      return;
    }
    Poll(std::move(request), std::move(respond), body.text,
         Transport::kLongPolling, {});
    return;
  }
  Refuse(std::move(respond),
         Status(Code::kMethodNotAllowed,
                "Method " + method + " not allowed on " + path),
         {{"Allow", "GET, POST"}});
}

void Endpoint::Poll(HttpRequest request, Responder respond,
                    const std::string& text, Transport transport,
                    std::string jsonp_callback) {
  const BrokerSettings& settings = broker_->settings();
  if (static_cast<int64_t>(text.size()) > settings.max_message_bytes) {
    Refuse(std::move(respond),
           Status(Code::kPayloadTooLarge,
                  "Bayeux request exceeds " +
                      std::to_string(settings.max_message_bytes) + " bytes"));
    return;
  }
  DecodeResult decoded = DecodeMessages(text);
  if (decoded.error) {
    Refuse(std::move(respond), *decoded.error);
    return;
  }
  const Clock* clock = broker_->clock();
  RequestContext ctx;
  ctx.transport = transport;
  ctx.auth.session_cookies = CookieValues(request, "JSESSIONID");
  ctx.auth.basic = request.HasHeader("Authorization");
  std::vector<std::string> browser = CookieValues(request, "BAYEUX_BROWSER");
  if (!browser.empty()) ctx.browser_id = browser.front();
  ctx.received_at = clock->SteadyNow();
  ctx.received_wall_ms = clock->NowMillis();

  HttpReply reply{std::move(respond), {}, std::move(jsonp_callback)};
  bool handshake = IsSingleHandshake(decoded.messages);
  if (handshake && ctx.browser_id.empty()) {
    std::string cookie = "BAYEUX_BROWSER=" + ids::RandomHex(16) +
                         "; Path=/; HttpOnly; SameSite=Lax";
    if (settings.secure_cookies || request.secure) cookie += "; Secure";
    reply.headers.emplace_back("Set-Cookie", std::move(cookie));
  }
  bool blocking = handshake || ctx.auth.basic ||
                  Broker::NeedsBlockingWork(decoded.messages);
  if (!blocking) {
    broker_->HandleHttpMessages(std::move(decoded.messages), std::move(ctx),
                                std::move(reply));
    return;
  }
  // Authentication (and MayActFor) may block: continue on the Executor.
  struct Job {
    HttpRequest request;
    std::vector<json::object> messages;
    RequestContext ctx;
    HttpReply reply;
    bool handshake;
  };
  auto job =
      std::make_shared<Job>(Job{std::move(request), std::move(decoded.messages),
                                std::move(ctx), std::move(reply), handshake});
  Broker* broker = broker_;
  broker->executor()->Post([broker, job] {
    Authenticator* auth = broker->authenticator();
    if (job->handshake) {
      Result<domain::Principal> p =
          auth->Authenticate(job->request, &job->reply.headers);
      if (p.ok())
        job->ctx.principal = std::move(p).value();
      else if (p.status().code() == Code::kTooManyAttempts)
        job->ctx.auth_refusal = p.status().message();
    } else if (job->ctx.auth.basic) {
      Result<std::string> user = auth->VerifyBasic(job->request);
      if (user.ok()) job->ctx.auth.basic_user_id = std::move(user).value();
    }
    broker->HandleHttpMessages(std::move(job->messages), std::move(job->ctx),
                               std::move(job->reply));
  });
}

std::shared_ptr<net::WebSocketHandler> Endpoint::AcceptWebSocket(
    const HttpRequest& upgrade_request,
    std::shared_ptr<net::WebSocketConnection> connection) {
  if (!broker_->settings().TransportEnabled(kWebSocket)) return nullptr;
  if (PathOf(upgrade_request.target) != kNotificationsPath) return nullptr;
  if (!OriginAllowed(upgrade_request)) return nullptr;
  if (CookieValues(upgrade_request, "JSESSIONID").empty() &&
      !upgrade_request.HasHeader("Authorization")) {
    return nullptr;
  }
  return std::make_shared<WebSocketChannel>(
      broker_, &sockets_, std::move(connection), upgrade_request);
}

bool Endpoint::OriginAllowed(const HttpRequest& request) const {
  std::string_view origin = request.Header("Origin");
  return origin.empty() ||
         origin_policy_.Allows(origin, request.Header("Host"));
}

}  // namespace workbind::cometd
