// NotificationFeed: the EventSink between the Notifier and the CometD broker
// that hands each user's notifications to the broker in seq order and at
// most once, whichever node committed them.
//
// The stored notification rows (the replay log) are the outbox: a node that
// commits a change delivers its notifications at once (Deliver); the other
// nodes sharing the database learn of each row by its id (Announced, from
// the backend's change announcements) and read it from the store. Per user
// the feed remembers the highest seq it delivered; seqs are given in commit
// order per user, so a notification above that position with a gap below
// it means the rows in between committed first (on another node, or on
// another thread of this one): the feed reads them from the store and
// delivers them before it. After the announcements were interrupted (a lost
// database connection), CatchUp compares every user's highest stored seq
// with its position and delivers the difference. Rows the retention already
// removed are skipped.
//
// Thread-safe. Delivery to the target happens under the feed's lock (the
// broker only queues); reads from the store happen outside it. Deliver and
// Announced may block on storage when they fill a gap: call them off I/O
// threads (the committing worker and the listener thread do).
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "domain/core/event_sink.h"
#include "domain/notifications/replay_log.h"
#include "storage/store.h"

namespace workbind::domain {

class NotificationFeed final : public EventSink {
 public:
  // Called, outside the feed's lock, with the contact center of
  // notifications read from the store after an announcement (the router's
  // cue that something changed through another node).
  using RemoteHook = std::function<void(const std::string& contact_center_id)>;

  // All pointers must outlive the feed. `log` reads the rows (its retention
  // window applies), `store` the per-user heads.
  NotificationFeed(storage::Store* store, ReplayLog* log, EventSink* target,
                   RemoteHook on_remote = nullptr)
      : store_(store),
        log_(log),
        target_(target),
        on_remote_(std::move(on_remote)) {}

  // Takes every user's current highest seq as delivered: what was stored
  // before the server started is replay's business, not live delivery's.
  // Call once, before anything is delivered.
  Status Start();

  // EventSink: notifications committed by this node, in their commit's
  // order.
  void Deliver(std::vector<Notification> batch) override;
  void HttpSessionEnded(const std::string& http_session_id) override {
    target_->HttpSessionEnded(http_session_id);
  }

  // Another node (or this one) committed notification `seq` of `user_id`.
  // A no-op when it was delivered already.
  void Announced(const std::string& user_id, int64_t seq);

  // The announcements may have missed rows (their connection was lost and
  // reopened): delivers every stored row above each user's position.
  Status CatchUp();

  // How many notifications were delivered that this node did not commit
  // (read from the store), for metrics and tests.
  int64_t fetched() const;

 private:
  // When `through` is above the user's position: reads the user's rows
  // above it and delivers those still above it, in order (a position at or
  // past `through` costs no read).
  Status FillFrom(const std::string& user_id, int64_t through, bool remote);
  // Under mu_: hands `n` to the target batch if it is the next of its user.
  bool AcceptLocked(const Notification& n);

  storage::Store* store_;
  ReplayLog* log_;
  EventSink* target_;
  RemoteHook on_remote_;

  mutable std::mutex mu_;  // guards the members below; held while delivering
  std::unordered_map<std::string, int64_t> position_;  // user -> last seq
  int64_t fetched_ = 0;
};

}  // namespace workbind::domain
