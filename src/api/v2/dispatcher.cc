#include "api/v2/dispatcher.h"

#include <chrono>
#include <optional>

#include "common/log.h"
#include "domain/notifications/idempotency_service.h"
#include "http/error_mapping.h"
#include "http/json_util.h"
#include "http/session_cookie.h"

namespace workbind::api {
namespace json = boost::json;
namespace {

bool HasAnyRole(const domain::Principal& p,
                const std::vector<std::string>& roles) {
  if (roles.empty()) return true;
  for (const auto& r : roles)
    if (p.HasRole(r)) return true;
  return false;
}

std::string RolesMessage(const std::vector<std::string>& roles) {
  std::string m = "Requires ";
  for (size_t i = 0; i < roles.size(); ++i) {
    if (i) m += i + 1 == roles.size() ? " or " : ", ";
    m += roles[i];
  }
  return m;
}

// The access check of one route or operation (conventions.md §4 step 6).
Status CheckAccess(const domain::Principal& p, const Access& a) {
  if (p.system_admin) {
    if (!a.system_admin)
      return PermissionDenied("Not allowed for a system administrator");
    return Status::Ok();
  }
  if (!a.users) return PermissionDenied("Requires a system administrator");
  if (!HasAnyRole(p, a.roles)) return PermissionDenied(RolesMessage(a.roles));
  return Status::Ok();
}

Status NoSuchResource(const http::Request& req) {
  return NotFound("No such resource: " + req.path());
}

bool IsWrite(const std::string& m) {
  return m == "POST" || m == "PUT" || m == "DELETE";
}

}  // namespace

Result<std::shared_ptr<const domain::Directory>> Context::Directory() {
  if (directory_) return directory_;
  if (principal.contact_center_id.empty()) return NotFound("No such resource");
  WB_ASSIGN_OR_RETURN(directory_,
                      services.directories->Get(principal.contact_center_id));
  return directory_;
}

domain::CommitStep Context::ReplyStep(
    std::function<json::object(const domain::ChangeOutcome&)> reply) {
  if (!idempotency_key || !services.idempotency) return {};
  return [this, reply = std::move(reply)](
             storage::WriteTx& tx,
             const domain::ChangeOutcome& outcome) -> Status {
    HttpResponse r = bare_reply ? http::BareJsonResponse(reply(outcome))
                                : http::JsonResponse(reply(outcome));
    WB_RETURN_IF_ERROR(services.idempotency->CompleteIn(
        tx, principal.user_id, idempotency_key->key,
        idempotency_key->fingerprint, r.status, r.body));
    stored_reply.emplace(r.status, std::move(r.body));
    return Status::Ok();
  };
}

Dispatcher::Dispatcher(const ApiServices* services, RequestObserver observer)
    : services_(services),
      observer_(std::move(observer)),
      origins_(services->settings.external_api_url,
               services->settings.cors_allowed_origins) {
  const auto& routes = Routes();
  for (size_t i = 0; i < routes.size(); ++i)
    router_.Add(routes[i].method, routes[i].pattern, i);
}

HttpResponse Dispatcher::Dispatch(HttpRequest raw) {
  const auto start = std::chrono::steady_clock::now();
  http::Request req(std::move(raw));
  const Route* route = nullptr;
  std::string user, operation;
  HttpResponse r;
  try {
    r = Run(req, &route, &user, &operation);
  } catch (const std::exception& e) {
    log::Error("request {} {} failed: {}", req.method(), req.path(), e.what());
    r = http::ErrorResponse(Internal("Internal error"));
  }
  // No Basic challenge to a browser script: the browser would prompt, then
  // cache and replay the credentials on later (cross-site) requests.
  if (r.status == 401 && FromBrowserScript(req.raw()))
    RemoveHeader(&r, "WWW-Authenticate");
  AddCors(req, req.method() == "OPTIONS", &r);
  if (observer_) {
    int status_code = 0;
    // Error bodies start with {"statusCode":N — read N back for the log.
    const bool has_status_code = r.body.rfind("{\"statusCode\":", 0) == 0;
    if (has_status_code) status_code = std::atoi(r.body.c_str() + 14);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    static const std::string kNone;
    bool replayed = false;
    for (const auto& [name, value] : r.headers)
      replayed = replayed || name == "Idempotent-Replayed";
    observer_({req.method(), route ? route->pattern : kNone, req.path(),
               r.status, status_code, seconds, user, operation, replayed,
               has_status_code, req.raw().target, req.raw().remote_address});
  }
  return r;
}

HttpResponse Dispatcher::Reject(const HttpRequest& raw, const Status& status) {
  HttpResponse r = http::ErrorResponse(status);
  r.close = true;
  return r;
}

HttpResponse Dispatcher::Run(const http::Request& req, const Route** route_out,
                             std::string* user, std::string* operation) {
  const ApiSettings& settings = services_->settings;
  // 1. Request size.
  if (req.raw().transport_error == TransportError::kHeaderTooLarge) {
    auto r = http::ErrorResponse(
        InvalidArgument("Request headers exceed " +
                        std::to_string(settings.max_header_bytes) + " bytes"));
    r.close = true;
    return r;
  }
  if (req.raw().transport_error == TransportError::kBodyTooLarge) {
    auto r = http::ErrorResponse(Status(
        Code::kPayloadTooLarge, "Request body exceeds " +
                                    std::to_string(settings.max_body_bytes) +
                                    " bytes"));
    r.close = true;
    return r;
  }
  // 2. Route and method.
  if (req.bad_path()) return http::ErrorResponse(NoSuchResource(req));
  http::Router::Match m = router_.Find(req.method(), req.segments());
  if (m.kind == http::Router::Match::kNoRoute)
    return http::ErrorResponse(NoSuchResource(req));
  if (req.method() == "OPTIONS") return http::JsonResponse({});
  if (m.kind == http::Router::Match::kNoMethod) {
    auto r = http::ErrorResponse(
        Status(Code::kMethodNotAllowed,
               "Method " + req.method() + " not allowed on " + req.path()));
    std::string allow;
    for (const auto& a : m.allowed) allow += (allow.empty() ? "" : ", ") + a;
    r.SetHeader("Allow", allow);
    return r;
  }
  // 2b. Media type: every POST/PUT declares a JSON body (415, statusCode
  // 10), so that a browser sends none without a CORS preflight. Checked
  // before authentication: a refused request opens no session and gets no
  // Basic challenge, and it tells a stranger nothing step 2 did not.
  if (req.method() == "POST" || req.method() == "PUT") {
    if (Status st = http::CheckJsonContentType(req); !st.ok())
      return http::ErrorResponse(st);
  }
  const Route& route = Routes()[m.route];
  *route_out = &route;
  http::Request& mreq = const_cast<http::Request&>(req);
  for (auto& [k, v] : m.params) mreq.SetParam(k, v);

  Context ctx(req, *services_);
  HeaderList session_headers;
  // Secure cookies: by setting, or for this request when it came over HTTPS.
  const bool secure_cookies = settings.secure_cookies || req.raw().secure;
  auto finish = [&](Result<json::object> result) {
    const bool ok = result.ok();
    HttpResponse r = !ok ? http::ErrorResponse(result.status())
                     : ctx.bare_reply
                         ? http::BareJsonResponse(std::move(result).value())
                         : http::JsonResponse(std::move(result).value());
    if (const auto& k = ctx.idempotency_key) {
      // Stored only after success (statusCode 0 or 7); a failure frees the
      // key for a retry. A handler whose change took ctx.ReplyStep() stored
      // it in that change's transaction; the others store it now.
      const bool stored = ctx.stored_reply &&
                          ctx.stored_reply->first == r.status &&
                          ctx.stored_reply->second == r.body;
      if (ok && ctx.stored_reply && !stored)
        log::Warn(
            "{} {}: the reply stored with Idempotency-Key '{}' "
            "differs from the one sent; storing the latter",
            req.method(), route.pattern, k->key);
      Status kept =
          !ok ? services_->idempotency->Release(ctx.principal.user_id, k->key)
          : stored ? Status::Ok()
                   : services_->idempotency->Complete(ctx.principal.user_id,
                                                      k->key, k->fingerprint,
                                                      r.status, r.body);
      if (!kept.ok())
        log::Warn("Idempotency-Key '{}' of {}: {}", k->key,
                  ctx.principal.user_name, kept.message());
    }
    for (auto& h : session_headers) r.headers.push_back(h);
    for (auto& h : ctx.reply_headers) r.headers.push_back(h);
    if (ctx.end_session) {
      r.headers.emplace_back(
          "Set-Cookie",
          http::ClearSessionCookie(settings.cookie_same_site, secure_cookies));
    }
    return r;
  };

  if (!route.is_public) {
    // 3. Authentication.
    domain::Credentials creds;
    if (req.raw().HasHeader("Authorization"))
      creds.authorization = std::string(req.Header("Authorization"));
    creds.session_cookie = req.Cookie("JSESSIONID");
    creds.remote_address = req.raw().remote_address;
    bool clear_cookie = false;
    auto auth = services_->auth->Authenticate(creds, &clear_cookie);
    if (!auth.ok()) {
      ctx.end_session = clear_cookie;
      return finish(auth.status());
    }
    ctx.principal = std::move(auth->principal);
    *user = ctx.principal.user_name;
    if (auth->new_session) {
      session_headers.emplace_back(
          "Set-Cookie",
          http::SessionCookie(ctx.principal.http_session_id,
                              settings.cookie_same_site, secure_cookies));
    }
    if (settings.csrf && (auth->new_session || req.method() == "GET")) {
      session_headers.emplace_back("X-CSRF-HEADER", "X-CSRF-TOKEN");
      session_headers.emplace_back("X-CSRF-TOKEN", ctx.principal.csrf_token);
    }
    // 4a. Origin, for writes authenticated by the cookie alone: a browser
    // page of a foreign origin may not act with the user's session, token or
    // not (defence in depth behind the CSRF token).
    if (IsWrite(req.method()) && !creds.authorization &&
        req.raw().HasHeader("Origin") &&
        !origins_.Allows(req.Header("Origin"), req.Header("Host"))) {
      return finish(Status(Code::kForbidden, "Origin not allowed"));
    }
    // 4b. CSRF, for writes authenticated by the cookie alone.
    if (settings.csrf && IsWrite(req.method()) && !creds.authorization &&
        req.Header("X-CSRF-TOKEN") != ctx.principal.csrf_token) {
      return finish(Status(Code::kForbidden, "Missing or invalid Csrf token"));
    }
    // 5. Feature.
    if (!route.feature.empty() && !ctx.principal.system_admin) {
      auto dir = ctx.Directory();
      if (!dir.ok()) return finish(dir.status());
      if (!(*dir)->FeatureEnabled(route.feature))
        return finish(NoSuchResource(req));
    }
    // 6. Role (deferred for routes whose access depends on the operation).
    if (route.operations.empty() && !route.update_without_operation) {
      if (Status st = CheckAccess(ctx.principal, route.access); !st.ok())
        return finish(st);
    } else if (ctx.principal.system_admin) {
      bool any = route.access.system_admin;
      for (const auto& op : route.operations)
        any = any || op.access.system_admin;
      if (!any) return finish(CheckAccess(ctx.principal, route.access));
    }
  }

  // 7. Body.
  if (req.method() == "POST" || req.method() == "PUT") {
    auto body = http::ParseBodyObject(req);
    if (!body.ok()) return finish(body.status());
    ctx.body = std::move(body).value();
  }

  // 7b. Idempotency-Key (extensions.md §3), before any later check so that
  // a replay never fails on what its first run changed.
  if (req.method() == "POST" && !route.is_public && services_->idempotency &&
      req.raw().HasHeader("Idempotency-Key") &&
      !ctx.principal.user_id.empty()) {
    std::string key(req.Header("Idempotency-Key"));
    std::string fingerprint = req.method() + " " + req.raw().target + "\n" +
                              http::CanonicalJson(json::value(ctx.body));
    auto claim =
        services_->idempotency->Claim(ctx.principal.user_id, key, fingerprint);
    if (!claim.ok()) return finish(claim.status());
    if (claim->replay) {
      HttpResponse r =
          http::RawJsonResponse(claim->http_status, std::move(claim->body));
      r.SetHeader("Idempotent-Replayed", "true");
      for (auto& h : session_headers) r.headers.push_back(h);
      return r;
    }
    ctx.idempotency_key =
        Context::IdempotencyKey{std::move(key), std::move(fingerprint)};
  }

  // 8. operationName.
  if (!route.operations.empty() || route.update_without_operation) {
    const json::value* opv = ctx.body.if_contains("operationName");
    const Access* access = &route.access;
    const std::string* feature = &route.update_feature;
    if (!opv || opv->is_null()) {
      if (!route.update_without_operation)
        return finish(
            MissingParameter("Missing required field 'operationName'"));
    } else {
      if (!opv->is_string())
        return finish(
            InvalidArgument("Field 'operationName' must be a string"));
      ctx.operation = std::string(opv->as_string());
      const Operation* found = nullptr;
      for (const auto& op : route.operations)
        if (op.name == ctx.operation) found = &op;
      if (!found) {
        std::string accepted;
        for (const auto& op : route.operations)
          if (!op.alias) accepted += (accepted.empty() ? "" : ", ") + op.name;
        return finish(InvalidState("Unknown operationName '" + ctx.operation +
                                   "'; accepted: " + accepted));
      }
      access = &found->access;
      feature = &found->feature;
      *operation = found->name;
    }
    if (!feature->empty() && !ctx.principal.system_admin) {
      auto dir = ctx.Directory();
      if (!dir.ok()) return finish(dir.status());
      if (!(*dir)->FeatureEnabled(*feature)) return finish(NoSuchResource(req));
    }
    if (Status st = CheckAccess(ctx.principal, *access); !st.ok())
      return finish(st);
  }

  // 9-12. The handler.
  return finish(route.handler(ctx));
}

void Dispatcher::AddCors(const http::Request& req, bool preflight,
                         HttpResponse* r) const {
  std::string_view origin = req.Header("Origin");
  if (origin.empty()) return;
  bool allowed = false;
  for (const auto& o : services_->settings.cors_allowed_origins)
    allowed = allowed || o == origin;
  if (!allowed) return;
  r->SetHeader("Access-Control-Allow-Origin", std::string(origin));
  r->SetHeader("Access-Control-Allow-Credentials", "true");
  r->SetHeader("Access-Control-Expose-Headers",
               "X-CSRF-HEADER, X-CSRF-TOKEN, Idempotent-Replayed, "
               "X-Request-Id");
  r->SetHeader("Vary", "Origin");
  if (preflight) {
    r->SetHeader("Access-Control-Allow-Methods",
                 "GET, POST, PUT, DELETE, OPTIONS");
    r->SetHeader("Access-Control-Allow-Headers",
                 "X-Requested-With, Content-Type, Accept, Origin, Cookie, "
                 "Authorization, "
                 "X-CSRF-TOKEN, Idempotency-Key");
    r->SetHeader("Access-Control-Max-Age", "120");
  }
}

}  // namespace workbind::api
