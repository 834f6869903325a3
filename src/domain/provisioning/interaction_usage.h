// InteractionUsage: the ProvisioningUsage answers from the stored
// interactions and contact-center sessions, so provisioning refuses to
// delete what still holds or routes interactions. Stateless; thread-safe.
#pragma once

#include "domain/provisioning/provisioning_usage.h"

namespace workbind::domain {

class InteractionUsage final : public ProvisioningUsage {
 public:
  Result<int64_t> InteractionsInWorkbin(storage::ReadTx& tx,
                                        const std::string& workbin_id) override;
  Result<int64_t> InteractionsOwnedByUser(storage::ReadTx& tx,
                                          const std::string& user_id) override;
  Result<int64_t> SessionsUsingPlace(storage::ReadTx& tx,
                                     const std::string& place_id) override;
  Result<int64_t> InteractionsOfQueue(storage::ReadTx& tx,
                                      const std::string& queue_id) override;
  Result<int64_t> WaitingInQueue(storage::ReadTx& tx,
                                 const std::string& queue_id) override;
  Result<int64_t> OpenInteractionsOfContactCenter(
      storage::ReadTx& tx, const std::string& contact_center_id) override;
  Result<int64_t> OpenInteractionsOfMediaType(
      storage::ReadTx& tx, const std::string& contact_center_id,
      const std::string& media_type) override;
};

}  // namespace workbind::domain
