// ReplayLog: read access to the numbered notifications a user was sent
// (extensions.md §2), for the CometD replay extension. The interface is what
// the broker needs; StoredReplayLog reads the storage replay log within the
// Notifier's retention window. Calls block on storage: never call them from
// an I/O thread. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/core/event_sink.h"
#include "domain/notifications/notifier.h"
#include "storage/store.h"

namespace workbind::domain {

struct ReplayBounds {
  int64_t last_seq = 0;    // the user's highest seq (0: none)
  int64_t oldest_seq = 0;  // lowest retained seq (0: none retained)
};

class ReplayLog {
 public:
  virtual ~ReplayLog() = default;
  virtual Result<ReplayBounds> Bounds(const std::string& user_id) = 0;
  // The retained notifications of the user with seq >= from_seq, in seq
  // order (Notification::seq set).
  virtual Result<std::vector<Notification>> Since(const std::string& user_id,
                                                  int64_t from_seq) = 0;
};

class StoredReplayLog final : public ReplayLog {
 public:
  // Both must outlive this object.
  StoredReplayLog(storage::Store* store, const Notifier* notifier)
      : store_(store), notifier_(notifier) {}
  Result<ReplayBounds> Bounds(const std::string& user_id) override;
  Result<std::vector<Notification>> Since(const std::string& user_id,
                                          int64_t from_seq) override;

  // Deletes notifications older than the retention window; returns how many.
  Result<int64_t> Sweep();

 private:
  storage::Store* store_;
  const Notifier* notifier_;
};

}  // namespace workbind::domain
