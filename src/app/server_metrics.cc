#include "app/server_metrics.h"

#include <string_view>

#include "cometd/session.h"
#include "metrics/text_format.h"

namespace workbind::app {
namespace {

using metrics::Counter;
using metrics::Histogram;
using metrics::Labels;

constexpr const char* kOfferResults[] = {"accepted", "rejected", "timeout",
                                         "revoked"};

// Methods outside this set share one label value, so that a client cannot
// grow the label set.
std::string MethodLabel(const std::string& m) {
  for (std::string_view known :
       {"GET", "POST", "PUT", "DELETE", "OPTIONS", "HEAD", "PATCH"})
    if (m == known) return m;
  return "other";
}

std::vector<double> BatchBuckets() {
  return {1, 2, 4, 8, 16, 32, 64, 128, 256};
}

}  // namespace

ServerMetrics::ServerMetrics()
    : requests_({"method", "route", "status", "status_code"},
                [] { return std::make_unique<Counter>(); }),
      durations_(
          {"route"},
          [] {
            return std::make_unique<Histogram>(metrics::LatencyBuckets());
          }),
      operations_({"operation", "status_code"},
                  [] { return std::make_unique<Counter>(); }),
      db_transaction_seconds_(metrics::LatencyBuckets()),
      db_commit_batch_(BatchBuckets()) {}

void ServerMetrics::ObserveRequest(const api::RequestRecord& r) {
  // Requests that matched no route share one label value.
  const std::string route = r.route.empty() ? "unmatched" : r.route;
  const std::string status_code = std::to_string(r.status_code);
  requests_
      .With({MethodLabel(r.method), route, std::to_string(r.http_status),
             status_code})
      .Add();
  durations_.With({route}).Observe(r.seconds);
  if (!r.operation.empty()) operations_.With({r.operation, status_code}).Add();
  if (r.idempotent_replay) CountIdempotentReplay();
}

void ServerMetrics::Committed(double seconds, size_t transactions) {
  db_transaction_seconds_.Observe(seconds);
  db_commit_batch_.Observe(static_cast<double>(transactions));
}

void ServerMetrics::OfferSettled(domain::OfferOutcome outcome) {
  switch (outcome) {
    case domain::OfferOutcome::kAccepted:
      offers_[0].Add();
      break;
    case domain::OfferOutcome::kRejected:
      offers_[1].Add();
      break;
    case domain::OfferOutcome::kTimedOut:
      offers_[2].Add();
      break;
    case domain::OfferOutcome::kRevoked:
      offers_[3].Add();
      break;
    case domain::OfferOutcome::kNone:
      break;
  }
}

std::string ServerMetrics::Render(const Scraped& now) const {
  metrics::TextWriter w;
  auto labels_of = [](const std::vector<std::string>& names,
                      const std::vector<std::string>& values) {
    Labels l;
    for (size_t i = 0; i < names.size(); ++i)
      l.emplace_back(names[i], values[i]);
    return l;
  };

  w.Family("workbind_http_requests_total", "counter", "REST requests.");
  requests_.ForEach([&](const auto& v, const Counter& c) {
    w.Sample("workbind_http_requests_total", labels_of(requests_.names(), v),
             static_cast<double>(c.Value()));
  });
  w.Family("workbind_http_request_duration_seconds", "histogram",
           "Time to reply to a REST request.");
  durations_.ForEach([&](const auto& v, const Histogram& h) {
    w.Histogram("workbind_http_request_duration_seconds",
                labels_of(durations_.names(), v), h.Snapshot());
  });
  w.Family("workbind_operations_total", "counter",
           "Requests with an operationName, by operation and statusCode.");
  operations_.ForEach([&](const auto& v, const Counter& c) {
    w.Sample("workbind_operations_total", labels_of(operations_.names(), v),
             static_cast<double>(c.Value()));
  });

  const cometd::BrokerMetrics& b = now.broker;
  w.Family("workbind_cometd_sessions", "gauge", "Live Bayeux sessions.");
  for (auto [t, n] :
       {std::pair{cometd::Transport::kLongPolling, b.sessions_long_polling},
        std::pair{cometd::Transport::kCallbackPolling,
                  b.sessions_callback_polling},
        std::pair{cometd::Transport::kWebSocket, b.sessions_websocket}})
    w.Sample("workbind_cometd_sessions",
             {{"transport", std::string(cometd::TransportName(t))}},
             static_cast<double>(n));
  w.Family("workbind_cometd_held_connects", "gauge",
           "Connects currently held.");
  w.Sample("workbind_cometd_held_connects", {},
           static_cast<double>(b.held_connects));
  w.Family("workbind_cometd_queued_messages", "gauge",
           "Events waiting in the queues of Bayeux sessions.");
  w.Sample("workbind_cometd_queued_messages", {},
           static_cast<double>(b.queued_messages));
  w.Family("workbind_cometd_messages_delivered_total", "counter",
           "Events written to clients.");
  w.Sample("workbind_cometd_messages_delivered_total", {},
           static_cast<double>(b.messages_delivered_total));
  w.Family("workbind_cometd_sessions_ended_total", "counter",
           "Bayeux sessions ended, by reason.");
  for (int i = 0; i < cometd::kEndReasonCount; ++i)
    w.Sample("workbind_cometd_sessions_ended_total",
             {{"reason", std::string(cometd::EndReasonName(
                             static_cast<cometd::EndReason>(i)))}},
             static_cast<double>(b.sessions_ended_total[i]));
  w.Family("workbind_notifications_total", "counter",
           "Notifications produced, by messageType.");
  for (const auto& [type, n] : b.notifications_total)
    w.Sample("workbind_notifications_total", {{"message_type", type}},
             static_cast<double>(n));
  w.Family("workbind_replay_requests_total", "counter",
           "Handshakes asking for a replay, by answer.");
  w.Sample("workbind_replay_requests_total", {{"result", "available"}},
           static_cast<double>(b.replay_available_total));
  w.Sample("workbind_replay_requests_total", {{"result", "unavailable"}},
           static_cast<double>(b.replay_unavailable_total));
  w.Family("workbind_idempotent_replays_total", "counter",
           "Replies served from an Idempotency-Key.");
  w.Sample("workbind_idempotent_replays_total", {},
           static_cast<double>(idempotent_replays_.Value()));

  w.Family("workbind_routing_offers_total", "counter",
           "Offers ended, by result.");
  for (int i = 0; i < 4; ++i)
    w.Sample("workbind_routing_offers_total", {{"result", kOfferResults[i]}},
             static_cast<double>(offers_[i].Value()));
  w.Family("workbind_interactions_queued", "gauge",
           "Interactions waiting in queues (all contact centers).");
  if (now.interactions_queued >= 0)
    w.Sample("workbind_interactions_queued", {},
             static_cast<double>(now.interactions_queued));
  w.Family("workbind_db_transaction_duration_seconds", "histogram",
           "Commit latency: start of a write transaction to its durable "
           "commit.");
  w.Histogram("workbind_db_transaction_duration_seconds", {},
              db_transaction_seconds_.Snapshot());
  w.Family("workbind_db_commit_batch_size", "histogram",
           "Write transactions made durable by one commit.");
  w.Histogram("workbind_db_commit_batch_size", {}, db_commit_batch_.Snapshot());
  w.Family("workbind_db_write_commits_total", "counter",
           "Write transactions committed.");
  w.Sample("workbind_db_write_commits_total", {},
           static_cast<double>(now.store.write_commits));
  w.Family("workbind_db_write_reruns_total", "counter",
           "Write transactions run again after a serialization failure, a "
           "deadlock or an escalation.");
  w.Sample("workbind_db_write_reruns_total", {},
           static_cast<double>(now.store.write_reruns));
  w.Family("workbind_db_write_escalations_total", "counter",
           "Write transactions run again alone among writers because they "
           "read a range or changed the directory (PostgreSQL).");
  w.Sample("workbind_db_write_escalations_total", {},
           static_cast<double>(now.store.write_escalations));
  w.Family("workbind_db_announcements_total", "counter",
           "Cross-node announcements sent (PostgreSQL: pg_notify calls of "
           "committed transactions).");
  w.Sample("workbind_db_announcements_total", {},
           static_cast<double>(now.store.announcements));
  w.Family("workbind_http_sessions", "gauge", "Live HTTP sessions.");
  if (now.http_sessions >= 0)
    w.Sample("workbind_http_sessions", {},
             static_cast<double>(now.http_sessions));
  if (now.auth) {
    w.Family("workbind_auth_password_verifications_total", "counter",
             "Argon2id password verifications (including the dummy one run "
             "for an unknown or disabled user).");
    w.Sample("workbind_auth_password_verifications_total", {},
             static_cast<double>(now.auth->password_verifications_total));
    w.Family("workbind_auth_failures_total", "counter",
             "Basic credentials refused as wrong, unknown or disabled.");
    w.Sample("workbind_auth_failures_total", {},
             static_cast<double>(now.auth->failures_total));
    w.Family("workbind_auth_throttled_total", "counter",
             "Basic sign-in attempts refused after repeated failures.");
    w.Sample("workbind_auth_throttled_total", {},
             static_cast<double>(now.auth->throttled_total));
  }
  if (now.routing_leases_held >= 0) {
    w.Family("workbind_routing_leases_held", "gauge",
             "Contact centers this node routes (holds the routing lease of).");
    w.Sample("workbind_routing_leases_held", {},
             static_cast<double>(now.routing_leases_held));
  }
  if (now.listener_connections >= 0) {
    w.Family("workbind_cluster_notifications_read_total", "counter",
             "Notifications this node delivered after reading them from the "
             "database (made through another node, or out of order).");
    w.Sample("workbind_cluster_notifications_read_total", {},
             static_cast<double>(now.notifications_read));
    w.Family("workbind_cluster_listener_connections_total", "counter",
             "Connections of the database listener (1 + reconnections).");
    w.Sample("workbind_cluster_listener_connections_total", {},
             static_cast<double>(now.listener_connections));
  }
  return w.text();
}

}  // namespace workbind::app
