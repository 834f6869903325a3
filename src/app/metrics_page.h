// MetricsPage: GET /metrics. Reads the gauges that live elsewhere (the
// broker's counts; queued interactions and HTTP sessions from the store) and
// renders ServerMetrics. Thread-safe; Render blocks on storage, so run it on
// a worker. The metrics, broker and store must outlive it.
#pragma once

#include "app/server_metrics.h"
#include "cometd/broker.h"
#include "common/http_message.h"
#include "storage/store.h"

namespace workbind::app {

class MetricsPage {
 public:
  MetricsPage(const ServerMetrics* metrics, const cometd::Broker* broker,
              storage::Store* store)
      : metrics_(metrics), broker_(broker), store_(store) {}

  // 200 with the text format. When the store cannot be read, the two gauges
  // it feeds have no sample; everything else is still reported.
  HttpResponse Render() const;

 private:
  const ServerMetrics* metrics_;
  const cometd::Broker* broker_;
  storage::Store* store_;
};

}  // namespace workbind::app
