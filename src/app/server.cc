#include "app/server.h"

#include <unistd.h>

#include <random>

#include "api/v2/dispatcher.h"
#include "app/admin_handler.h"
#include "app/cometd_authenticator.h"
#include "app/front_handler.h"
#include "app/metrics_page.h"
#include "app/open_store.h"
#include "app/server_metrics.h"
#include "app/static_files.h"
#include "app/ticker.h"
#include "app/tls_setup.h"
#include "app/transport_replies.h"
#include "cometd/broker.h"
#include "cometd/endpoint.h"
#include "common/clock.h"
#include "common/executor.h"
#include "common/log.h"
#include "domain/agents/agent_state_service.h"
#include "domain/agents/last_session_end.h"
#include "domain/directory/auth_service.h"
#include "domain/directory/directory.h"
#include "domain/interactions/contact_service.h"
#include "domain/interactions/interaction_service.h"
#include "domain/interactions/queue_service.h"
#include "domain/notifications/idempotency_service.h"
#include "domain/notifications/notification_feed.h"
#include "domain/notifications/notifier.h"
#include "domain/notifications/replay_log.h"
#include "domain/provisioning/interaction_usage.h"
#include "domain/provisioning/provisioning_file.h"
#include "domain/provisioning/provisioning_service.h"
#include "domain/routing/router.h"
#include "domain/workbins/workbin_service.h"
#include "net/http_server.h"

namespace workbind::app {

struct Server::Graph {
  SystemClock clock;
  // Declared first: every observed object below reports to it until it is
  // destroyed.
  ServerMetrics metrics;
  std::unique_ptr<storage::Store> store;
  std::unique_ptr<ThreadPool> workers;
  std::unique_ptr<domain::DirectoryCache> directories;
  // The CometD endpoint is the EventSink; the auth service needs it, and it
  // needs the authenticator over the auth service: build in that order with
  // a forwarding sink.
  struct ForwardingSink : domain::EventSink {
    domain::EventSink* target = nullptr;
    void Deliver(std::vector<domain::Notification> n) override {
      if (target) target->Deliver(std::move(n));
    }
    void HttpSessionEnded(const std::string& id) override {
      if (target) target->HttpSessionEnded(id);
    }
  } sink;
  std::unique_ptr<domain::Notifier> notifier;
  std::unique_ptr<domain::StoredReplayLog> replay_log;
  // Between the notifier and the broker: per-user order, once, across nodes.
  std::unique_ptr<domain::NotificationFeed> feed;
  // What other nodes on the same database commit (null on SQLite).
  std::unique_ptr<storage::ChangeListener> changes;
  std::unique_ptr<domain::AuthService> auth;
  std::unique_ptr<domain::AgentStateService> agent_states;
  std::unique_ptr<domain::ProvisioningService> provisioning;
  // Queues deliver through the router, which the routing ticker drives.
  domain::InteractionUsage interaction_usage;
  std::unique_ptr<domain::InteractionRenderer> interaction_renderer;
  std::unique_ptr<domain::Router> router;
  // Which contact centers this node routes (every one on SQLite).
  std::unique_ptr<storage::RoutingLeases> leases;
  std::unique_ptr<domain::InteractionService> interactions;
  std::unique_ptr<domain::WorkbinService> workbins;
  std::unique_ptr<domain::QueueService> queues;
  std::unique_ptr<domain::ContactService> contacts;
  std::unique_ptr<Ticker> routing_ticker;
  std::unique_ptr<Ticker> replay_sweeper;
  std::unique_ptr<domain::IdempotencyService> idempotency;
  std::unique_ptr<domain::LastSessionEnd> last_session_end;
  api::ApiServices services;
  std::unique_ptr<CometdAuthenticator> cometd_auth;
  std::unique_ptr<cometd::Broker> broker;
  std::unique_ptr<cometd::Endpoint> cometd;
  std::unique_ptr<api::Dispatcher> dispatcher;
  std::unique_ptr<MetricsPage> metrics_page;  // null: metrics.enabled false
  std::unique_ptr<StaticFiles> web;           // null: web.enabled false
  std::unique_ptr<FrontHandler> front;
  std::shared_ptr<net::TlsContext> tls;  // null: plain HTTP
  std::unique_ptr<net::HttpServer> http;
  std::unique_ptr<AdminHandler> admin;  // null: no server.adminListen
  std::unique_ptr<net::HttpServer> admin_http;
  std::unique_ptr<RequestFibers> fibers;  // resumed on http's I/O threads
  std::unique_ptr<Ticker> sweeper;
};

Server::Server(Settings settings) : settings_(std::move(settings)) {
  // Names this process in the cross-node announcements: the process id and
  // a random part, as another host may run a process with the same id.
  std::random_device random;
  settings_.storage.node_id =
      std::to_string(::getpid()) + "-" + std::to_string(random());
}

Server::~Server() { Stop(); }

int Server::port() const { return g_ && g_->http ? g_->http->port() : 0; }

int Server::admin_port() const {
  return g_ && g_->admin_http ? g_->admin_http->port() : 0;
}

Status Server::Start(std::vector<std::string>* problems) {
  g_ = std::make_unique<Graph>();
  if (!LoadTls(problems)) return Status::Ok();
  WB_RETURN_IF_ERROR(OpenStorage());
  if (!Provision(problems)) return Status::Ok();
  BuildServices();
  WB_RETURN_IF_ERROR(StartNotifications());
  WB_RETURN_IF_ERROR(ListenToOtherNodes());
  WB_RETURN_IF_ERROR(StartHttp());
  WB_RETURN_IF_ERROR(StartAdminHttp());
  StartTickers();
  log::Info("workbind {} listening on {} (port {}){}, data in {}",
            WORKBIND_VERSION, settings_.listen, g_->http->port(),
            g_->tls ? " with TLS" : "", settings_.storage.data_dir);
  return Status::Ok();
}

bool Server::LoadTls(std::vector<std::string>* problems) {
  TlsSetup tls = LoadServerTls(settings_);
  if (!tls.problem.empty()) {
    problems->push_back(std::move(tls.problem));
    return false;
  }
  g_->tls = std::move(tls.context);
  return true;
}

void Server::ReloadTls() {
  if (!g_ || !g_->http) return;
  if (!g_->tls) {
    log::Info("SIGHUP: no TLS configured (server.tls), nothing to reload");
    return;
  }
  TlsSetup tls = LoadServerTls(settings_);
  if (!tls.problem.empty()) {
    log::Error("TLS reload failed, keeping the current certificate: {}",
               tls.problem);
    return;
  }
  g_->tls = tls.context;
  g_->http->UseTls(std::move(tls.context));
  log::Info("TLS certificate reloaded from {}", settings_.tls_certificate_file);
}

Status Server::OpenStorage() {
  Graph& g = *g_;
  auto store = storage::OpenStore(settings_.storage);
  if (!store.ok()) return store.status();
  g.store = std::move(store).value();
  g.store->SetCommitObserver(&g.metrics);
  return Status::Ok();
}

bool Server::Provision(std::vector<std::string>* problems) {
  Graph& g = *g_;
  const Settings& s = settings_;
  // The notifier records what the provisioning file changes for replay;
  // nothing is delivered before the CometD broker exists.
  g.notifier = std::make_unique<domain::Notifier>(
      &g.sink, s.api.external_api_url, &g.clock,
      domain::ReplayRetention{s.replay_max_messages,
                              int64_t{s.replay_max_age_seconds} * 1000},
      &g.metrics);
  if (s.provisioning_file.empty()) return true;
  auto result = domain::ApplyProvisioningFileAt(
      s.provisioning_file, g.store.get(), s.auth.argon2, s.provisioning_prune,
      nullptr, g.notifier.get());
  if (result.ok()) return true;
  *problems = std::move(result.errors);
  return false;
}

void Server::BuildServices() {
  Graph& g = *g_;
  const Settings& s = settings_;
  g.workers = std::make_unique<ThreadPool>(s.worker_threads);
  g.directories =
      std::make_unique<domain::DirectoryCache>(g.store.get(), &g.clock);
  g.auth = std::make_unique<domain::AuthService>(
      g.store.get(), g.directories.get(), &g.sink, &g.clock, s.auth,
      g.workers.get());
  g.agent_states = std::make_unique<domain::AgentStateService>(
      g.store.get(), g.directories.get(), g.notifier.get(), &g.clock);
  g.provisioning = std::make_unique<domain::ProvisioningService>(
      g.store.get(), g.directories.get(), s.auth.argon2, &g.clock,
      &g.interaction_usage, g.notifier.get(), g.workers.get());
  auto zone = domain::TimeZone::Load(s.time_zone);
  if (!zone.ok())
    log::Warn("server.timeZone: {}; using UTC", zone.status().message());
  g.interaction_renderer = std::make_unique<domain::InteractionRenderer>(
      s.api.external_api_url, zone.ok() ? *zone : domain::TimeZone::Utc());
  g.router = std::make_unique<domain::Router>(
      g.store.get(), g.directories.get(), g.notifier.get(),
      g.interaction_renderer.get(), &g.clock);
  const domain::ServiceDeps deps{.store = g.store.get(),
                                 .directories = g.directories.get(),
                                 .notifier = g.notifier.get(),
                                 .renderer = g.interaction_renderer.get(),
                                 .clock = &g.clock,
                                 .trigger = g.router.get()};
  g.interactions = std::make_unique<domain::InteractionService>(deps);
  g.queues = std::make_unique<domain::QueueService>(deps);
  g.contacts = std::make_unique<domain::ContactService>(g.store.get(),
                                                        s.api.external_api_url);
  g.workbins = std::make_unique<domain::WorkbinService>(deps);
  g.agent_states->SetObserver(g.router.get());
  g.idempotency = std::make_unique<domain::IdempotencyService>(
      g.store.get(), &g.clock, int64_t{s.idempotency_ttl_seconds} * 1000);
  g.last_session_end = std::make_unique<domain::LastSessionEnd>(
      g.store.get(), g.agent_states.get(), g.workbins.get());
  const domain::LastSessionEnd* last_session_end = g.last_session_end.get();
  g.auth->SetLastSessionEndedHook(
      [last_session_end](const std::vector<std::string>& users) {
        last_session_end->Apply(users);
      });

  g.services = api::ApiServices{
      .settings = s.api,
      .clock = &g.clock,
      .directories = g.directories.get(),
      .auth = g.auth.get(),
      .provisioning = g.provisioning.get(),
      .agent_states = g.agent_states.get(),
      .events = &g.sink,
      .interactions = g.interactions.get(),
      .queues = g.queues.get(),
      .contacts = g.contacts.get(),
      .workbins = g.workbins.get(),
      .idempotency = g.idempotency.get(),
  };
}

Status Server::StartNotifications() {
  Graph& g = *g_;
  g.cometd_auth =
      std::make_unique<CometdAuthenticator>(g.auth.get(), &g.services.settings);
  g.replay_log = std::make_unique<domain::StoredReplayLog>(g.store.get(),
                                                           g.notifier.get());
  g.broker = std::make_unique<cometd::Broker>(
      settings_.notifications, g.cometd_auth.get(), g.workers.get(), &g.clock,
      g.replay_log.get());
  g.cometd = std::make_unique<cometd::Endpoint>(g.broker.get());
  domain::Router* router = g.router.get();
  // The feed delivers to the endpoint, which forwards to the broker and
  // also closes the WebSockets of ended HTTP sessions.
  g.feed = std::make_unique<domain::NotificationFeed>(
      g.store.get(), g.replay_log.get(), g.cometd.get(),
      // A change made through another node may have made work routable:
      // the holder of the contact center's lease runs a pass.
      [router](const std::string& cc) { router->TriggerFromOtherNode(cc); });
  WB_RETURN_IF_ERROR(g.feed->Start());
  g.sink.target = g.feed.get();
  g.broker->Start();
  return Status::Ok();
}

Status Server::ListenToOtherNodes() {
  Graph& g = *g_;
  domain::NotificationFeed* feed = g.feed.get();
  domain::AuthService* auth = g.auth.get();
  storage::ChangeEvents events;
  events.notification = [feed](const std::string& user, int64_t seq) {
    feed->Announced(user, seq);
  };
  events.session_ended = [feed, auth](const std::string& id) {
    auth->SessionEndedElsewhere(id);
    feed->HttpSessionEnded(id);
  };
  events.connected = [feed] {
    Status caught_up = feed->CatchUp();
    if (!caught_up.ok())
      log::Warn("catching up with other nodes' notifications failed: {}",
                caught_up.message());
  };
  auto listener = storage::OpenChangeListener(
      settings_.storage, std::move(events),
      "workbind-listener-" + std::to_string(::getpid()));
  if (!listener.ok()) return listener.status();
  g.changes = std::move(listener).value();
  if (g.changes) g.changes->Start();

  domain::Router* router = g.router.get();
  storage::LeaseEvents lease_events;
  lease_events.gained = [router](const std::string& cc) {
    router->Trigger(cc);
  };
  lease_events.woken = [router](const std::string& cc) {
    router->TriggerFromOtherNode(cc);
  };
  auto leases = storage::OpenRoutingLeases(
      settings_.storage, std::move(lease_events),
      "workbind-routing-" + std::to_string(::getpid()));
  if (!leases.ok()) return leases.status();
  g.leases = std::move(leases).value();
  g.router->UseLeases(g.leases.get());
  g.leases->Start();
  return Status::Ok();
}

Status Server::StartHttp() {
  Graph& g = *g_;
  const Settings& s = settings_;
  ServerMetrics* metrics = &g.metrics;
  g.dispatcher = std::make_unique<api::Dispatcher>(
      &g.services, [metrics](const api::RequestRecord& r) {
        metrics->ObserveRequest(r);
        const double ms = r.seconds * 1000;
        log::Access({.method = r.method,
                     .target = r.target,
                     .http_status = r.http_status,
                     .status_code = r.status_code,
                     .has_status_code = r.has_status_code,
                     .duration_ms = ms,
                     .user = r.user,
                     .remote = r.remote},
                    "{} {} {} {} {:.2f}ms user={}", r.method, r.path,
                    r.http_status, r.status_code, ms,
                    r.user.empty() ? "-" : r.user);
      });
  if (s.metrics_enabled)
    g.metrics_page = std::make_unique<MetricsPage>(
        &g.metrics, g.broker.get(), g.store.get(), g.feed.get(),
        g.changes.get(), g.auth.get());
  if (g.metrics_page) g.metrics_page->UseLeases(g.leases.get());
  if (s.web_enabled) {
    g.web = std::make_unique<StaticFiles>(
        s.web_root.empty() ? StaticFiles::DefaultRoot() : s.web_root);
    if (g.web->Available())
      log::Info("web console: serving {}", g.web->root());
    else
      log::Warn("web console: no index.html in {} (build it with make build)",
                g.web->root());
  }
  g.front = std::make_unique<FrontHandler>(g.dispatcher.get(), g.cometd.get(),
                                           g.workers.get(), g.store.get(),
                                           g.metrics_page.get(), g.web.get());
  g.http = std::make_unique<net::HttpServer>(s.limits, ApiTransportReplies(),
                                             g.front.get(), s.io_threads);
  // REST requests run on fibers that continue on the transport's I/O threads.
  g.fibers = std::make_unique<RequestFibers>(g.http->io_executor());
  g.front->UseFibers(g.fibers.get());
  if (g.tls) g.http->UseTls(g.tls);
  g.front->UseTrustedProxies(&settings_.trusted_proxies);
  WB_RETURN_IF_ERROR(g.http->Listen(s.listen));
  g.http->Start();
  return Status::Ok();
}

// server.adminListen: plain HTTP, one I/O thread, the operational paths only.
Status Server::StartAdminHttp() {
  Graph& g = *g_;
  const Settings& s = settings_;
  if (s.admin_listen.empty()) return Status::Ok();
  g.admin = std::make_unique<AdminHandler>(g.front.get());
  g.admin_http = std::make_unique<net::HttpServer>(
      s.limits, ApiTransportReplies(), g.admin.get(), /*io_threads=*/1);
  WB_RETURN_IF_ERROR(g.admin_http->Listen(s.admin_listen));
  g.admin_http->Start();
  log::Info("admin listener on {} (port {}): /healthz, /readyz, /metrics",
            s.admin_listen, g.admin_http->port());
  return Status::Ok();
}

void Server::StartTickers() {
  Graph& g = *g_;
  domain::AuthService* auth = g.auth.get();
  g.sweeper = std::make_unique<Ticker>(std::chrono::seconds(5), [auth] {
    auto n = auth->SweepExpired();
    if (n.ok() && *n > 0) log::Info("ended {} expired HTTP sessions", *n);
  });
  domain::StoredReplayLog* replay_log = g.replay_log.get();
  domain::IdempotencyService* idempotency = g.idempotency.get();
  g.replay_sweeper = std::make_unique<Ticker>(
      std::chrono::seconds(60), [replay_log, idempotency] {
        auto n = replay_log->Sweep();
        if (!n.ok())
          log::Warn("sweeping the replay log failed: {}", n.status().message());
        auto k = idempotency->Sweep();
        if (!k.ok())
          log::Warn("sweeping idempotency keys failed: {}",
                    k.status().message());
      });
  // Routing passes run on this thread.
  domain::Router* router = g.router.get();
  g.routing_ticker = std::make_unique<Ticker>(std::chrono::milliseconds(100),
                                              [router] { router->RunDue(); });
}

void Server::Stop() {
  if (!g_) return;
  Graph& g = *g_;
  log::Info("shutting down");
  if (g.sweeper) g.sweeper->Stop();
  if (g.replay_sweeper) g.replay_sweeper->Stop();
  if (g.routing_ticker) g.routing_ticker->Stop();  // before the store closes
  if (g.changes) g.changes->Stop();
  if (g.leases) g.leases->Stop();  // after the last pass: others take over
  if (g.broker) g.broker->Shutdown();
  if (g.admin_http) g.admin_http->Stop(0);
  if (g.http) g.http->Drain(settings_.shutdown_grace_seconds);
  // Requests still waiting (for a commit, a worker) continue on the I/O
  // threads: let them end before those stop.
  if (g.fibers && !g.fibers->WaitIdle(std::chrono::seconds(10)))
    log::Warn("{} request(s) still waiting at shutdown", g.fibers->live());
  if (g.http) g.http->Stop(0);
  if (g.auth) (void)g.auth->FlushActivity();
  if (g.workers) g.workers->Shutdown();
  if (g.store) g.store->Close();
  g_.reset();
}

}  // namespace workbind::app
