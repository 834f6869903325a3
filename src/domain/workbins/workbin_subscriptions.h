// Workbin subscriptions that end without an Unsubscribe (workbins.md §3.8):
// when the workbin is deleted, or when its user can no longer see it after a
// directory change (membership, roles, owners) or a change of the user's
// place. Functions over a write transaction; thread-safe as long as the
// transaction is not shared.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/directory/directory.h"
#include "domain/notifications/notifier.h"
#include "storage/store.h"

namespace workbind::domain {

// A subscription that ended, with its Unsubscribed message data.
struct EndedSubscription {
  std::string contact_center_id;
  std::string user_id;
  std::string workbin_id;
  boost::json::object data;
};

// The data of WorkbinSubscriptionStateChangeMessage for workbin `w`:
// stateResource Subscribed/Unsubscribed, id, the group name key of group
// workbins and, when not empty, workbinUserId.
boost::json::object SubscriptionStateMessage(const Directory& dir,
                                             const storage::WorkbinRecord& w,
                                             bool subscribed,
                                             const std::string& for_user_id);

// Ends the subscriptions in `subs` (read before the change) that the change
// took away: those whose workbin `after` no longer has (their rows went with
// the workbin) and those whose user no longer sees the workbin in `after`
// (deleted here). Users missing from `after` are skipped: their rows went with
// them and nobody is left to tell. `before` names the deleted workbins.
Status EndLostSubscriptions(
    storage::WriteTx& tx, const Directory& before, const Directory& after,
    const std::vector<storage::WorkbinSubscriptionRecord>& subs,
    std::vector<EndedSubscription>* ended);

// The Unsubscribed notifications of `ended` (a committed directory change of
// this transaction), appended to `out`.
Status NotifyEndedSubscriptions(storage::WriteTx& tx, const Notifier& notifier,
                                std::vector<EndedSubscription> ended,
                                NotificationList* out);

// After user `user_id` changed place: re-checks the Place and PlaceGroup
// workbin subscriptions of the user and of its supervisors, appending an
// Unsubscribed message (no referenceId) per ended one to `out`.
Status EndSubscriptionsLostByPlaceChange(storage::WriteTx& tx,
                                         const Directory& dir,
                                         const Notifier& notifier,
                                         const std::string& user_id,
                                         NotificationList* out);

}  // namespace workbind::domain
