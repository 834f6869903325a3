// SqliteTx: the interactions held by a workbin and the workbin
// subscriptions (migrations/0004_workbins.sql, 0006).
#include "storage/sqlite/sqlite_tx.h"

namespace workbind::storage::sqlite {

Result<std::vector<InteractionRecord>> SqliteTx::ListInteractionsInWorkbin(
    const std::string& workbin_id) {
  auto s = c_->Prepare(WB_INTERACTION_COLUMNS
                       "WHERE workbin_id = ? AND state = 'InWorkbin' "
                       "ORDER BY received_ms, id");
  s.Bind(1, workbin_id);
  return ReadInteractionRows(s);
}

Result<std::vector<std::string>> SqliteTx::ListWorkbinSubscribers(
    const std::string& workbin_id) {
  auto s = c_->Prepare(
      "SELECT user_id FROM workbin_subscriptions WHERE workbin_id = ? ORDER BY "
      "user_id");
  s.Bind(1, workbin_id);
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  if (!s.status().ok()) return s.status();
  return out;
}

Result<int64_t> SqliteTx::CountWorkbinSubscriptionsOfUser(
    const std::string& user_id) {
  auto s = c_->Prepare(
      "SELECT count(*) FROM workbin_subscriptions WHERE user_id = ?");
  s.Bind(1, user_id);
  int64_t n = 0;
  if (s.Step()) n = s.Int(0);
  while (s.Step()) {
  }
  if (!s.status().ok()) return s.status();
  return n;
}

Result<bool> SqliteTx::IsSubscribedToWorkbin(const std::string& user_id,
                                             const std::string& workbin_id) {
  auto s = c_->Prepare(
      "SELECT 1 FROM workbin_subscriptions WHERE user_id = ? AND workbin_id = "
      "?");
  s.Bind(1, user_id).Bind(2, workbin_id);
  bool found = s.Step();
  while (s.Step()) {
  }
  if (!s.status().ok()) return s.status();
  return found;
}

Status SqliteTx::PutWorkbinSubscription(const WorkbinSubscriptionRecord& r) {
  auto s = c_->Prepare(
      "INSERT INTO workbin_subscriptions (user_id, workbin_id, "
      "contact_center_id, created_ms) "
      "VALUES (?, ?, ?, ?) ON CONFLICT(user_id, workbin_id) DO NOTHING");
  s.Bind(1, r.user_id)
      .Bind(2, r.workbin_id)
      .Bind(3, r.contact_center_id)
      .Bind(4, r.created_ms);
  return s.Exec(Code::kStorageCreate);
}

Status SqliteTx::DeleteWorkbinSubscription(const std::string& user_id,
                                           const std::string& workbin_id) {
  auto s = c_->Prepare(
      "DELETE FROM workbin_subscriptions WHERE user_id = ? AND workbin_id = ?");
  s.Bind(1, user_id).Bind(2, workbin_id);
  return s.Exec(Code::kStorageDelete);
}

Result<std::vector<std::string>> SqliteTx::DeleteWorkbinSubscriptionsOfUser(
    const std::string& user_id) {
  std::vector<std::string> ids;
  {
    auto s = c_->Prepare(
        "SELECT workbin_id FROM workbin_subscriptions WHERE user_id = ? "
        "ORDER BY workbin_id");
    s.Bind(1, user_id);
    while (s.Step()) ids.push_back(s.Text(0));
    if (!s.status().ok()) return s.status();
  }
  auto s = c_->Prepare("DELETE FROM workbin_subscriptions WHERE user_id = ?");
  s.Bind(1, user_id);
  WB_RETURN_IF_ERROR(s.Exec(Code::kStorageDelete));
  return ids;
}

Result<std::vector<std::string>> SqliteTx::ListWorkbinSubscriptionsOfUser(
    const std::string& user_id) {
  auto s = c_->Prepare(
      "SELECT workbin_id FROM workbin_subscriptions WHERE user_id = ? "
      "ORDER BY workbin_id");
  s.Bind(1, user_id);
  std::vector<std::string> out;
  while (s.Step()) out.push_back(s.Text(0));
  if (!s.status().ok()) return s.status();
  return out;
}

Result<std::vector<WorkbinSubscriptionRecord>>
SqliteTx::ListWorkbinSubscriptionsInContactCenter(const std::string& cc) {
  auto s = c_->Prepare(
      "SELECT user_id, workbin_id, created_ms FROM workbin_subscriptions "
      "WHERE contact_center_id = ? ORDER BY user_id, workbin_id");
  s.Bind(1, cc);
  std::vector<WorkbinSubscriptionRecord> out;
  while (s.Step()) out.push_back({s.Text(0), s.Text(1), cc, s.Int(2)});
  if (!s.status().ok()) return s.status();
  return out;
}

}  // namespace workbind::storage::sqlite
