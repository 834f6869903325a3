// ServerMetrics: the metrics of one server (extensions.md §5.1). It owns the
// instruments fed on the hot path (REST requests and operations, store
// commits, settled offers, idempotent replays) and renders them, with the
// gauges read at scrape time, in the Prometheus text format. No label names
// a contact center, user or interaction. Thread-safe (atomics; a shared lock
// only to find a labeled child); owned by the Server's object graph, which
// hands it to the store, the notifier and the dispatcher as their observer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "api/v2/dispatcher.h"
#include "cometd/broker.h"
#include "domain/directory/auth_service.h"
#include "domain/notifications/notifier.h"
#include "metrics/counter.h"
#include "metrics/histogram.h"
#include "metrics/labeled.h"
#include "storage/store.h"

namespace workbind::app {

class ServerMetrics final : public storage::CommitObserver,
                            public domain::OfferObserver {
 public:
  ServerMetrics();

  // One finished REST request (the dispatcher's observer).
  void ObserveRequest(const api::RequestRecord& r);
  // storage::CommitObserver.
  void Committed(double seconds, size_t transactions) override;
  // domain::OfferObserver.
  void OfferSettled(domain::OfferOutcome outcome) override;
  // A reply served from an Idempotency-Key record.
  void CountIdempotentReplay() { idempotent_replays_.Add(); }

  // Values read when the page is rendered. A negative count is unknown
  // (its gauge is left without a sample).
  struct Scraped {
    cometd::BrokerMetrics broker;
    int64_t interactions_queued = -1;
    int64_t http_sessions = -1;
    // The cross-node feed (-1: not a multi-node backend).
    int64_t notifications_read = -1;    // read from the store, not local
    int64_t listener_connections = -1;  // 1 + reconnections
    int64_t routing_leases_held = -1;   // contact centers routed here
    storage::StoreCounters store;
    // The password checks (absent: not reported).
    std::optional<domain::AuthMetrics> auth;
  };
  // The whole /metrics page.
  std::string Render(const Scraped& now) const;

 private:
  metrics::Labeled<metrics::Counter> requests_;     // method, route, status,
                                                    // status_code
  metrics::Labeled<metrics::Histogram> durations_;  // route
  metrics::Labeled<metrics::Counter> operations_;   // operation, status_code
  metrics::Counter offers_[4];  // accepted, rejected, timeout, revoked
  metrics::Counter idempotent_replays_;
  metrics::Histogram db_transaction_seconds_;
  metrics::Histogram db_commit_batch_;
};

}  // namespace workbind::app
