// Notifier: builds domain::Notification values addressed to users (with the
// supervisor watchers and the user uri filled in), numbers and stores them in
// the transaction of the change they announce (the replay log,
// extensions.md §2), and hands them to the EventSink after the commit.
// Thread-safe; the EventSink and Clock must outlive it.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "domain/core/event_sink.h"
#include "domain/directory/directory.h"
#include "storage/store.h"

namespace workbind::domain {

// How much of each user's notifications is kept for replay.
struct ReplayRetention {
  int64_t max_messages = 10000;  // replay.maxMessages
  int64_t max_age_ms = 3600000;  // replay.maxAgeSeconds
};

// The notifications a transaction announces; filled by the caller's
// function, numbered by Notifier::Write.
using NotificationList = std::vector<Notification>;

// Learns of every offer that ended, after its commit (metrics). Called on
// the committing thread: implementations are thread-safe and cheap.
class OfferObserver {
 public:
  virtual ~OfferObserver() = default;
  virtual void OfferSettled(OfferOutcome outcome) = 0;
};

class Notifier {
 public:
  // `offers` (may be null) must outlive the notifier.
  Notifier(EventSink* sink, std::string external_api_url, const Clock* clock,
           ReplayRetention retention = {}, OfferObserver* offers = nullptr)
      : sink_(sink),
        base_(std::move(external_api_url)),
        clock_(clock),
        retention_(retention),
        offers_(offers) {}

  // A message to `user_id` on /v2/me/<topic>; `actor_user_id`/`reference_id`
  // mark the request that caused it (reference_id 0: none).
  Notification Make(const Directory& dir, const std::string& user_id,
                    std::string topic, boost::json::object data,
                    const std::string& actor_user_id = "",
                    int64_t reference_id = 0) const;

  // Runs `fn` in one write transaction of `store`. The notifications `fn`
  // appends to its list are numbered (Notification::seq) and stored in the
  // same transaction; after the commit they are delivered in order. The list
  // is empty each time `fn` is called. Returns fn's or the store's error;
  // nothing is delivered then.
  Status Write(storage::Store& store,
               const std::function<Status(storage::WriteTx&,
                                          NotificationList*)>& fn) const;

  // Numbers and stores `batch` inside `tx` (part of Write), in one
  // WriteTx::AppendNotifications call.
  Status Record(storage::WriteTx& tx, NotificationList* batch) const;
  // Delivers recorded notifications (after their commit) and reports the
  // offers they settle to the OfferObserver.
  void Send(NotificationList batch) const;
  EventSink* sink() const { return sink_; }
  const std::string& base_url() const { return base_; }
  const ReplayRetention& retention() const { return retention_; }
  // The oldest creation time still inside the retention window.
  int64_t RetainedSinceMs() const {
    return clock_->NowMillis() - retention_.max_age_ms;
  }

 private:
  EventSink* sink_;
  std::string base_;
  const Clock* clock_;
  ReplayRetention retention_;
  OfferObserver* offers_;
};

}  // namespace workbind::domain
