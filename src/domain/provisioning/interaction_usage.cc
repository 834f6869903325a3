#include "domain/provisioning/interaction_usage.h"

namespace workbind::domain {

Result<int64_t> InteractionUsage::InteractionsInWorkbin(
    storage::ReadTx& tx, const std::string& workbin_id) {
  return tx.CountInteractionsInWorkbin(workbin_id);
}

Result<int64_t> InteractionUsage::InteractionsOwnedByUser(
    storage::ReadTx& tx, const std::string& user_id) {
  return tx.CountInteractionsOwnedBy(user_id);
}

Result<int64_t> InteractionUsage::SessionsUsingPlace(
    storage::ReadTx& tx, const std::string& place_id) {
  WB_ASSIGN_OR_RETURN(auto user, tx.FindPlaceUser(place_id));
  return int64_t{user ? 1 : 0};
}

Result<int64_t> InteractionUsage::InteractionsOfQueue(
    storage::ReadTx& tx, const std::string& queue_id) {
  return tx.CountOpenInteractionsOfQueue(queue_id);
}

Result<int64_t> InteractionUsage::WaitingInQueue(storage::ReadTx& tx,
                                                 const std::string& queue_id) {
  return tx.CountQueued(queue_id);
}

Result<int64_t> InteractionUsage::OpenInteractionsOfContactCenter(
    storage::ReadTx& tx, const std::string& contact_center_id) {
  return tx.CountOpenInteractions(contact_center_id, "");
}

Result<int64_t> InteractionUsage::OpenInteractionsOfMediaType(
    storage::ReadTx& tx, const std::string& contact_center_id,
    const std::string& media_type) {
  return tx.CountOpenInteractions(contact_center_id, media_type);
}

}  // namespace workbind::domain
