#include "app/metrics_page.h"

#include "common/log.h"
#include "metrics/text_format.h"

namespace workbind::app {
namespace {

// Queued interactions and HTTP sessions of every contact center (sessions
// of system admins included), through the per-contact-center reads the
// store offers: one scrape costs a read per contact center and per user.
Status CountStored(storage::ReadTx& tx, int64_t* queued, int64_t* sessions) {
  *queued = 0;
  *sessions = 0;
  WB_ASSIGN_OR_RETURN(auto centers, tx.ListContactCenters());
  for (const auto& cc : centers) {
    WB_ASSIGN_OR_RETURN(auto waiting, tx.ListQueuedInteractions(cc.id));
    *queued += static_cast<int64_t>(waiting.size());
    WB_ASSIGN_OR_RETURN(auto dir, tx.LoadDirectory(cc.id));
    for (const auto& u : dir.users) {
      WB_ASSIGN_OR_RETURN(auto list, tx.ListSessionsOfUser(u.id));
      *sessions += static_cast<int64_t>(list.size());
    }
  }
  WB_ASSIGN_OR_RETURN(auto admins, tx.ListSystemAdmins());
  for (const auto& a : admins) {
    WB_ASSIGN_OR_RETURN(auto list, tx.ListSessionsOfUser(a.id));
    *sessions += static_cast<int64_t>(list.size());
  }
  return Status::Ok();
}

}  // namespace

HttpResponse MetricsPage::Render() const {
  ServerMetrics::Scraped now;
  now.broker = broker_->Metrics();
  if (feed_ && listener_) {
    now.notifications_read = feed_->fetched();
    now.listener_connections = listener_->connections();
  }
  if (auth_) now.auth = auth_->Metrics();
  if (leases_) now.routing_leases_held = leases_->held_count();
  now.store = store_->Counters();
  int64_t queued = 0, sessions = 0;
  Status st = store_->Read(
      [&](storage::ReadTx& tx) { return CountStored(tx, &queued, &sessions); });
  if (st.ok()) {
    now.interactions_queued = queued;
    now.http_sessions = sessions;
  } else {
    log::Warn("metrics: reading the store failed: {}", st.message());
  }
  HttpResponse r;
  r.status = 200;
  r.body = metrics_->Render(now);
  r.SetHeader("Content-Type", std::string(metrics::kTextContentType));
  r.SetHeader("Cache-Control", "no-store");
  return r;
}

}  // namespace workbind::app
