#include "app/server.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "api/v2/dispatcher.h"
#include "app/cometd_authenticator.h"
#include "app/front_handler.h"
#include "app/metrics_page.h"
#include "app/server_metrics.h"
#include "app/static_files.h"
#include "app/ticker.h"
#include "app/transport_replies.h"
#include "cometd/broker.h"
#include "cometd/endpoint.h"
#include "common/clock.h"
#include "common/executor.h"
#include "domain/agent_state_service.h"
#include "domain/auth_service.h"
#include "domain/contact_service.h"
#include "domain/directory.h"
#include "domain/idempotency_service.h"
#include "domain/interaction_service.h"
#include "domain/interaction_usage.h"
#include "domain/notification_feed.h"
#include "domain/notifier.h"
#include "domain/provisioning_file.h"
#include "domain/provisioning_service.h"
#include "domain/queue_service.h"
#include "domain/replay_log.h"
#include "domain/router.h"
#include "domain/workbin_service.h"
#include "net/http_server.h"
#include "storage/open_store.h"

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
  std::unique_ptr<domain::InteractionService> interactions;
  std::unique_ptr<domain::WorkbinService> workbins;
  std::unique_ptr<domain::QueueService> queues;
  std::unique_ptr<domain::ContactService> contacts;
  std::unique_ptr<Ticker> routing_ticker;
  std::unique_ptr<Ticker> replay_sweeper;
  std::unique_ptr<domain::IdempotencyService> idempotency;
  api::ApiServices services;
  std::unique_ptr<CometdAuthenticator> cometd_auth;
  std::unique_ptr<cometd::Broker> broker;
  std::unique_ptr<cometd::Endpoint> cometd;
  std::unique_ptr<api::Dispatcher> dispatcher;
  std::unique_ptr<MetricsPage> metrics_page;  // null: metrics.enabled false
  std::unique_ptr<StaticFiles> web;           // null: web.enabled false
  std::unique_ptr<FrontHandler> front;
  std::unique_ptr<net::HttpServer> http;
  std::unique_ptr<RequestFibers> fibers;  // resumed on http's I/O threads
  std::unique_ptr<Ticker> sweeper;
};

Server::Server(Settings settings) : settings_(std::move(settings)) {}

Server::~Server() { Stop(); }

int Server::port() const { return g_ && g_->http ? g_->http->port() : 0; }

Status Server::Start(std::vector<std::string>* problems) {
  g_ = std::make_unique<Graph>();
  Graph& g = *g_;
  const Settings& s = settings_;

  const int io_threads =
      s.io_threads > 0 ? s.io_threads
                       : std::max(1u, std::thread::hardware_concurrency());
  // A SQLite read runs on the request's I/O thread: one reader connection
  // each, plus some for the tickers and workers, so that none waits.
  storage::StoreOptions store_options = s.storage;
  store_options.read_connections =
      std::max(store_options.read_connections, io_threads + 2);
  auto store = storage::OpenStore(store_options);
  if (!store.ok()) return store.status();
  g.store = std::move(store).value();
  g.store->SetCommitObserver(&g.metrics);

  // The notifier records what the provisioning file changes for replay;
  // nothing is delivered before the CometD broker exists.
  g.notifier = std::make_unique<domain::Notifier>(
      &g.sink, s.external_api_url, &g.clock,
      domain::ReplayRetention{s.replay_max_messages,
                              int64_t{s.replay_max_age_seconds} * 1000},
      &g.metrics);
  if (!s.provisioning_file.empty()) {
    std::ifstream in(s.provisioning_file, std::ios::binary);
    if (!in) {
      problems->push_back("provisioning: cannot read " + s.provisioning_file);
      return Status::Ok();
    }
    std::stringstream buf;
    buf << in.rdbuf();
    auto result = domain::ApplyProvisioningFile(
        buf.str(), g.store.get(), s.auth.argon2, s.provisioning_prune, nullptr,
        g.notifier.get());
    if (!result.ok()) {
      *problems = std::move(result.errors);
      return Status::Ok();
    }
  }

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
    spdlog::warn("server.timeZone: {}; using UTC", zone.status().message());
  g.interaction_renderer = std::make_unique<domain::InteractionRenderer>(
      s.external_api_url, zone.ok() ? *zone : domain::TimeZone::Utc());
  g.router = std::make_unique<domain::Router>(
      g.store.get(), g.directories.get(), g.notifier.get(),
      g.interaction_renderer.get(), &g.clock);
  g.interactions = std::make_unique<domain::InteractionService>(
      g.store.get(), g.directories.get(), g.notifier.get(),
      g.interaction_renderer.get(), &g.clock, g.router.get());
  g.queues = std::make_unique<domain::QueueService>(
      g.store.get(), g.directories.get(), g.notifier.get(),
      g.interaction_renderer.get(), &g.clock, g.router.get());
  g.contacts = std::make_unique<domain::ContactService>(g.store.get(),
                                                        s.external_api_url);
  g.workbins = std::make_unique<domain::WorkbinService>(
      g.store.get(), g.directories.get(), g.notifier.get(),
      g.interaction_renderer.get(), &g.clock, g.router.get());
  g.agent_states->SetObserver(g.router.get());

  api::ApiSettings& as = g.services.settings;
  as.external_api_url = s.external_api_url;
  as.reported_version = s.reported_version;
  as.product_version = WORKBIND_VERSION;
  as.csrf = s.csrf;
  as.secure_cookies = s.secure_cookies;
  as.cookie_same_site = s.cookie_same_site;
  as.cors_allowed_origins = s.cors_allowed_origins;
  as.max_body_bytes = s.limits.max_body_bytes;
  as.max_header_bytes = s.limits.max_header_bytes;
  as.content_max_limit = s.content_max_limit;
  g.services.store = g.store.get();
  g.services.clock = &g.clock;
  g.services.directories = g.directories.get();
  g.services.auth = g.auth.get();
  g.services.provisioning = g.provisioning.get();
  g.services.agent_states = g.agent_states.get();
  g.services.events = &g.sink;
  g.services.interactions = g.interactions.get();
  g.services.queues = g.queues.get();
  g.services.contacts = g.contacts.get();
  g.services.workbins = g.workbins.get();
  g.idempotency = std::make_unique<domain::IdempotencyService>(
      g.store.get(), &g.clock, int64_t{s.idempotency_ttl_seconds} * 1000);
  g.services.idempotency = g.idempotency.get();

  g.cometd_auth =
      std::make_unique<CometdAuthenticator>(g.auth.get(), &g.services.settings);
  g.replay_log = std::make_unique<domain::StoredReplayLog>(g.store.get(),
                                                           g.notifier.get());
  g.broker = std::make_unique<cometd::Broker>(
      s.notifications, g.cometd_auth.get(), g.workers.get(), &g.clock,
      g.replay_log.get());
  g.cometd = std::make_unique<cometd::Endpoint>(g.broker.get());
  domain::Router* router = g.router.get();
  // The feed delivers to the endpoint, which forwards to the broker and
  // also closes the WebSockets of ended HTTP sessions.
  g.feed = std::make_unique<domain::NotificationFeed>(
      g.store.get(), g.replay_log.get(), g.cometd.get(),
      // A change made through another node may have made work routable
      // here too: every node runs passes, the database decides.
      [router](const std::string& cc) { router->Trigger(cc); });
  WB_RETURN_IF_ERROR(g.feed->Start());
  g.sink.target = g.feed.get();
  g.broker->Start();
  {
    domain::NotificationFeed* feed = g.feed.get();
    storage::ChangeEvents events;
    events.notification = [feed](const std::string& user, int64_t seq) {
      feed->Announced(user, seq);
    };
    domain::AuthService* auth = g.auth.get();
    events.session_ended = [feed, auth](const std::string& id) {
      auth->SessionEndedElsewhere(id);
      feed->HttpSessionEnded(id);
    };
    events.connected = [feed] {
      Status caught_up = feed->CatchUp();
      if (!caught_up.ok())
        spdlog::warn("catching up with other nodes' notifications failed: {}",
                     caught_up.message());
    };
    auto listener = storage::OpenChangeListener(
        s.storage, std::move(events),
        "workbind-listener-" + std::to_string(::getpid()));
    if (!listener.ok()) return listener.status();
    g.changes = std::move(listener).value();
    if (g.changes) g.changes->Start();
  }

  // When a user's last HTTP session ends, its contact-center session and its
  // workbin subscriptions end (auth.md §3.2).
  domain::AgentStateService* agent_states = g.agent_states.get();
  domain::WorkbinService* workbins = g.workbins.get();
  storage::Store* st = g.store.get();
  g.auth->SetLastSessionEndedHook(
      [agent_states, workbins, st](const std::vector<std::string>& users) {
        for (const auto& id : users) {
          std::optional<storage::UserRecord> user;
          Status read = st->Read([&](storage::ReadTx& tx) {
            WB_ASSIGN_OR_RETURN(user, tx.GetUser(id));
            return Status::Ok();
          });
          if (!read.ok() || !user) continue;
          if (!agent_states->End(user->contact_center_id, id).ok())
            spdlog::warn("ending the contact-center session of {} failed", id);
          if (!workbins->EndSubscriptionsOf(user->contact_center_id, id).ok())
            spdlog::warn("ending the workbin subscriptions of {} failed", id);
        }
      });

  ServerMetrics* metrics = &g.metrics;
  g.dispatcher = std::make_unique<api::Dispatcher>(
      &g.services, [metrics](const api::RequestRecord& r) {
        metrics->ObserveRequest(r);
        spdlog::info("{} {} {} {} {:.2f}ms user={}", r.method, r.path,
                     r.http_status, r.status_code, r.seconds * 1000,
                     r.user.empty() ? "-" : r.user);
      });
  if (s.metrics_enabled)
    g.metrics_page = std::make_unique<MetricsPage>(
        &g.metrics, g.broker.get(), g.store.get(), g.feed.get(),
        g.changes.get(), g.auth.get());
  if (s.web_enabled) {
    g.web = std::make_unique<StaticFiles>(
        s.web_root.empty() ? StaticFiles::DefaultRoot() : s.web_root);
    if (g.web->Available())
      spdlog::info("web console: serving {}", g.web->root());
    else
      spdlog::warn(
          "web console: no index.html in {} (build it with make build)",
          g.web->root());
  }
  g.front = std::make_unique<FrontHandler>(g.dispatcher.get(), g.cometd.get(),
                                           g.workers.get(), g.store.get(),
                                           g.metrics_page.get(), g.web.get());
  g.http = std::make_unique<net::HttpServer>(s.limits, ApiTransportReplies(),
                                             g.front.get(), io_threads);
  // REST requests run on fibers that continue on the transport's I/O threads.
  g.fibers = std::make_unique<RequestFibers>(g.http->io_executor());
  g.front->UseFibers(g.fibers.get());
  WB_RETURN_IF_ERROR(g.http->Listen(s.listen));
  g.http->Start();

  domain::AuthService* auth = g.auth.get();
  g.sweeper = std::make_unique<Ticker>(std::chrono::seconds(5), [auth] {
    auto n = auth->SweepExpired();
    if (n.ok() && *n > 0) spdlog::info("ended {} expired HTTP sessions", *n);
  });
  domain::StoredReplayLog* replay_log = g.replay_log.get();
  domain::IdempotencyService* idempotency = g.idempotency.get();
  g.replay_sweeper = std::make_unique<Ticker>(
      std::chrono::seconds(60), [replay_log, idempotency] {
        auto n = replay_log->Sweep();
        if (!n.ok())
          spdlog::warn("sweeping the replay log failed: {}",
                       n.status().message());
        auto k = idempotency->Sweep();
        if (!k.ok())
          spdlog::warn("sweeping idempotency keys failed: {}",
                       k.status().message());
      });
  // Routing passes run on this thread.
  g.routing_ticker = std::make_unique<Ticker>(std::chrono::milliseconds(100),
                                              [router] { router->RunDue(); });
  spdlog::info("workbind {} listening on {} (port {}), data in {}",
               WORKBIND_VERSION, s.listen, g.http->port(), s.storage.data_dir);
  return Status::Ok();
}

void Server::Stop() {
  if (!g_) return;
  Graph& g = *g_;
  spdlog::info("shutting down");
  if (g.sweeper) g.sweeper->Stop();
  if (g.replay_sweeper) g.replay_sweeper->Stop();
  if (g.routing_ticker) g.routing_ticker->Stop();  // before the store closes
  if (g.changes) g.changes->Stop();
  if (g.broker) g.broker->Shutdown();
  if (g.http) g.http->Drain(settings_.shutdown_grace_seconds);
  // Requests still waiting (for a commit, a worker) continue on the I/O
  // threads: let them end before those stop.
  if (g.fibers && !g.fibers->WaitIdle(std::chrono::seconds(10)))
    spdlog::warn("{} request(s) still waiting at shutdown", g.fibers->live());
  if (g.http) g.http->Stop(0);
  if (g.auth) (void)g.auth->FlushActivity();
  if (g.workers) g.workers->Shutdown();
  if (g.store) g.store->Close();
  g_.reset();
}

}  // namespace workbind::app
