// ProvisioningUsage: how provisioning asks whether an object still holds or
// is used by interactions or sessions before it deletes it (the "in use"
// rules of deletes and of workbin instances that would disappear). The
// interaction module supplies the real implementation; until then
// NoProvisioningUsage reports every object as unused. Each method runs inside
// the caller's transaction and returns a count (0: unused) or a storage
// error. Implementations must be thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "common/status.h"
#include "storage/store.h"

namespace workbind::domain {

class ProvisioningUsage {
 public:
  virtual ~ProvisioningUsage() = default;

  // Interactions currently in the workbin instance.
  virtual Result<int64_t> InteractionsInWorkbin(
      storage::ReadTx& tx, const std::string& workbin_id) = 0;
  // Interactions the user owns (Processing, Composing, Chatting).
  virtual Result<int64_t> InteractionsOwnedByUser(
      storage::ReadTx& tx, const std::string& user_id) = 0;
  // Contact-center sessions currently using the place.
  virtual Result<int64_t> SessionsUsingPlace(storage::ReadTx& tx,
                                             const std::string& place_id) = 0;
  // Interactions waiting in the queue, plus interactions not Completed whose
  // home queue it is.
  virtual Result<int64_t> InteractionsOfQueue(storage::ReadTx& tx,
                                              const std::string& queue_id) = 0;
  // Interactions in state Queued in the queue (the queue's waitingCount).
  virtual Result<int64_t> WaitingInQueue(storage::ReadTx& tx,
                                         const std::string& queue_id) = 0;
  // Interactions of the contact center that are not Completed.
  virtual Result<int64_t> OpenInteractionsOfContactCenter(
      storage::ReadTx& tx, const std::string& contact_center_id) = 0;
  // Interactions of that media type in the contact center that are not
  // Completed.
  virtual Result<int64_t> OpenInteractionsOfMediaType(
      storage::ReadTx& tx, const std::string& contact_center_id,
      const std::string& media_type) = 0;
};

// Reports everything as unused (no interaction storage yet; tests).
class NoProvisioningUsage final : public ProvisioningUsage {
 public:
  Result<int64_t> InteractionsInWorkbin(storage::ReadTx&,
                                        const std::string&) override {
    return int64_t{0};
  }
  Result<int64_t> InteractionsOwnedByUser(storage::ReadTx&,
                                          const std::string&) override {
    return int64_t{0};
  }
  Result<int64_t> SessionsUsingPlace(storage::ReadTx&,
                                     const std::string&) override {
    return int64_t{0};
  }
  Result<int64_t> InteractionsOfQueue(storage::ReadTx&,
                                      const std::string&) override {
    return int64_t{0};
  }
  Result<int64_t> WaitingInQueue(storage::ReadTx&,
                                 const std::string&) override {
    return int64_t{0};
  }
  Result<int64_t> OpenInteractionsOfContactCenter(storage::ReadTx&,
                                                  const std::string&) override {
    return int64_t{0};
  }
  Result<int64_t> OpenInteractionsOfMediaType(storage::ReadTx&,
                                              const std::string&,
                                              const std::string&) override {
    return int64_t{0};
  }
};

}  // namespace workbind::domain
