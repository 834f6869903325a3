// MetricsPage: GET /metrics. Reads the gauges that live elsewhere (the
// broker's counts; queued interactions and HTTP sessions from the store) and
// renders ServerMetrics. Thread-safe; Render blocks on storage, so run it on
// a worker. The metrics, broker and store must outlive it.
#pragma once

#include "app/server_metrics.h"
#include "cometd/broker.h"
#include "common/http_message.h"
#include "domain/notifications/notification_feed.h"
#include "storage/change_listener.h"
#include "storage/routing_leases.h"
#include "storage/store.h"

namespace workbind::app {

class MetricsPage {
 public:
  // `feed` and `listener` may be null (no cross-node delivery); `auth` may
  // be null (its counters are then not reported).
  MetricsPage(const ServerMetrics* metrics, const cometd::Broker* broker,
              storage::Store* store,
              const domain::NotificationFeed* feed = nullptr,
              const storage::ChangeListener* listener = nullptr,
              const domain::AuthService* auth = nullptr)
      : metrics_(metrics),
        broker_(broker),
        store_(store),
        feed_(feed),
        listener_(listener),
        auth_(auth) {}

  // 200 with the text format. When the store cannot be read, the two gauges
  // it feeds have no sample; everything else is still reported.
  HttpResponse Render() const;

  // The leases reported by workbind_routing_leases_held (none: no sample);
  // must outlive the page. Call before the first Render.
  void UseLeases(const storage::RoutingLeases* leases) { leases_ = leases; }

 private:
  const ServerMetrics* metrics_;
  const cometd::Broker* broker_;
  storage::Store* store_;
  const domain::NotificationFeed* feed_;
  const storage::ChangeListener* listener_;
  const domain::AuthService* auth_;
  const storage::RoutingLeases* leases_ = nullptr;
};

}  // namespace workbind::app
