// PgTx: the interactions held by a workbin and the workbin subscriptions
// (migrations/0004_workbins.sql, 0006).
#include <algorithm>

#include "storage/postgres/pg_tx.h"

namespace workbind::storage::postgres {

Result<std::vector<InteractionRecord>> PgTx::ListInteractionsInWorkbin(
    const std::string& workbin_id) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(auto r,
                      Run(Code::kStorageRead,
                          WB_INTERACTION_COLUMNS
                          "WHERE workbin_id = $1 AND state = 'InWorkbin' "
                          "ORDER BY received_ms, id",
                          workbin_id));
  return ReadInteractionRows(r);
}

Result<std::vector<std::string>> PgTx::ListWorkbinSubscribers(
    const std::string& workbin_id) {
  // Row-locking: no lock. Only the audience of a change is read here, never
  // what decides it; a subscription committed meanwhile may miss this
  // change's notification, as it could under SERIALIZABLE (the change is
  // then ordered before the subscription).
  WB_ASSIGN_OR_RETURN(auto r, Run(Code::kStorageRead,
                                  "SELECT user_id FROM workbin_subscriptions "
                                  "WHERE workbin_id = $1 ORDER BY user_id",
                                  workbin_id));
  std::vector<std::string> out;
  for (const auto& row : r) out.push_back(Text(row, 0));
  return out;
}

Result<int64_t> PgTx::CountWorkbinSubscriptionsOfUser(
    const std::string& user_id) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(
      auto r,
      Run(Code::kStorageRead,
          "SELECT count(*) FROM workbin_subscriptions WHERE user_id = $1",
          user_id));
  return r.empty() ? int64_t{0} : Int(r[0], 0);
}

Result<bool> PgTx::IsSubscribedToWorkbin(const std::string& user_id,
                                         const std::string& workbin_id) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(auto r, Run(Code::kStorageRead,
                                  "SELECT 1 FROM workbin_subscriptions WHERE "
                                  "user_id = $1 AND workbin_id = $2",
                                  user_id, workbin_id));
  return !r.empty();
}

Status PgTx::PutWorkbinSubscription(const WorkbinSubscriptionRecord& r) {
  return ExecGuarded(Code::kStorageCreate,
                     "INSERT INTO workbin_subscriptions (user_id, workbin_id, "
                     "contact_center_id, created_ms) VALUES ($1, $2, $3, $4) "
                     "ON CONFLICT (user_id, workbin_id) DO NOTHING",
                     r.user_id, r.workbin_id, r.contact_center_id,
                     r.created_ms);
}

Status PgTx::DeleteWorkbinSubscription(const std::string& user_id,
                                       const std::string& workbin_id) {
  return Exec(Code::kStorageDelete,
              "DELETE FROM workbin_subscriptions WHERE user_id = $1 AND "
              "workbin_id = $2",
              user_id, workbin_id);
}

Result<std::vector<std::string>> PgTx::DeleteWorkbinSubscriptionsOfUser(
    const std::string& user_id) {
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageDelete,
                  "DELETE FROM workbin_subscriptions WHERE user_id = $1 "
                  "RETURNING workbin_id",
                  user_id));
  std::vector<std::string> ids;
  for (const auto& row : r) ids.push_back(Text(row, 0));
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<std::vector<std::string>> PgTx::ListWorkbinSubscriptionsOfUser(
    const std::string& user_id) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(auto r,
                      Run(Code::kStorageRead,
                          "SELECT workbin_id FROM workbin_subscriptions "
                          "WHERE user_id = $1 ORDER BY workbin_id",
                          user_id));
  std::vector<std::string> out;
  for (const auto& row : r) out.push_back(Text(row, 0));
  return out;
}

Result<std::vector<WorkbinSubscriptionRecord>>
PgTx::ListWorkbinSubscriptionsInContactCenter(const std::string& cc) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead,
                  "SELECT user_id, workbin_id, created_ms FROM "
                  "workbin_subscriptions WHERE contact_center_id = $1 ORDER "
                  "BY user_id, workbin_id",
                  cc));
  std::vector<WorkbinSubscriptionRecord> out;
  for (const auto& row : r)
    out.push_back({Text(row, 0), Text(row, 1), cc, Int(row, 2)});
  return out;
}

}  // namespace workbind::storage::postgres
