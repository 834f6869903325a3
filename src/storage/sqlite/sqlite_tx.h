// SqliteTx: ReadTx/WriteTx over one sqlite Connection inside a transaction
// the caller opened. Used by one thread at a time. Its methods live in one
// file per area, named as in the PostgreSQL backend: sqlite_tx.cc (what the
// areas share), sqlite_tx_directory.cc, sqlite_tx_sessions.cc,
// sqlite_tx_interactions.cc, sqlite_tx_workbins.cc, sqlite_tx_paging.cc,
// sqlite_tx_notifications.cc, sqlite_tx_idempotency.cc.
#pragma once

#include <map>

#include "storage/codec/agent_state_memo.h"
#include "storage/sqlite/sqlite_db.h"
#include "storage/store.h"

namespace workbind::storage::sqlite {

class SqliteTx final : public WriteTx {
 public:
  explicit SqliteTx(Connection* conn) : c_(conn) {}

  // The directory (sqlite_tx_directory.cc)
  Result<std::vector<ContactCenterRecord>> ListContactCenters() override;
  Result<std::optional<ContactCenterRecord>> GetContactCenter(
      const std::string& id) override;
  Result<std::optional<ContactCenterRecord>> FindContactCenterByName(
      const std::string& name) override;
  Result<DirectoryData> LoadDirectory(
      const std::string& contact_center_id) override;
  Result<int64_t> DirectoryVersion(
      const std::string& contact_center_id) override;
  Result<std::optional<UserRecord>> GetUser(const std::string& id) override;
  Result<std::optional<UserRecord>> FindUserByName(
      const std::string& user_name) override;
  Result<std::vector<SystemAdminRecord>> ListSystemAdmins() override;
  Result<std::optional<SystemAdminRecord>> FindSystemAdminByName(
      const std::string& user_name) override;
  Status PutContactCenter(const ContactCenterRecord& r) override;
  Status PutUser(const UserRecord& r) override;
  Status PutSystemAdmin(const SystemAdminRecord& r) override;
  Status PutPlace(const PlaceRecord& r) override;
  Status PutPlaceGroup(const PlaceGroupRecord& r) override;
  Status PutAgentGroup(const AgentGroupRecord& r) override;
  Status PutQueue(const QueueRecord& r) override;
  Status PutWorkbinDefinition(const WorkbinDefinitionRecord& r) override;
  Status PutWorkbin(const WorkbinRecord& r) override;
  Status DeleteContactCenter(const std::string& id) override;
  Status DeleteUser(const std::string& id) override;
  Status DeleteSystemAdmin(const std::string& id) override;
  Status DeletePlace(const std::string& id) override;
  Status DeletePlaceGroup(const std::string& id) override;
  Status DeleteAgentGroup(const std::string& id) override;
  Status DeleteQueue(const std::string& id) override;
  Status DeleteWorkbinDefinition(const std::string& id) override;
  Status DeleteWorkbin(const std::string& id) override;
  Status BumpDirectoryVersion(const std::string& contact_center_id) override;

  // HTTP sessions, agent states, referenceIds (sqlite_tx_sessions.cc)
  Result<std::optional<SessionRecord>> GetSession(
      const std::string& id) override;
  Result<std::vector<SessionRecord>> ListSessionsOfUser(
      const std::string& user_id) override;
  Status PutSession(const SessionRecord& r) override;
  Status TouchSession(const std::string& id, int64_t last_activity_ms) override;
  Status DeleteSession(const std::string& id) override;
  Result<std::vector<std::string>> DeleteSessionsOfUser(
      const std::string& user_id) override;
  Result<std::vector<SessionRecord>> DeleteSessionsIdleSince(
      int64_t cutoff_ms) override;
  Result<std::optional<AgentStateRecord>> GetAgentState(
      const std::string& user_id) override;
  Result<std::optional<std::string>> FindPlaceUser(
      const std::string& place_id) override;
  Result<std::vector<AgentStateRecord>> ListAgentStates(
      const std::string& cc) override;
  Status PutAgentState(const AgentStateRecord& r) override;
  Status DeleteAgentState(const std::string& user_id) override;
  Result<int64_t> NextReferenceId(const std::string& user_id) override;

  // Interactions, queues, contacts (sqlite_tx_interactions.cc)
  Result<std::optional<InteractionRecord>> GetInteraction(
      const std::string& id) override;
  Result<std::vector<InteractionRecord>> ListInteractionsOfOwner(
      const std::string& user_id) override;
  Result<std::vector<InteractionRecord>> ListAssignedInteractions(
      const std::string& cc) override;
  Result<std::vector<InteractionRecord>> ListQueuedInteractions(
      const std::string& cc) override;
  Result<int64_t> CountQueued(const std::string& queue_id) override;
  Result<int64_t> CountInteractionsInWorkbin(
      const std::string& workbin_id) override;
  Result<int64_t> CountInteractionsOwnedBy(const std::string& user_id) override;
  Result<int64_t> CountOpenInteractionsOfQueue(
      const std::string& queue_id) override;
  Result<int64_t> CountOpenInteractions(const std::string& cc,
                                        const std::string& media_type) override;
  Result<std::vector<HistoryEventRecord>> ListInteractionHistory(
      const std::string& interaction_id) override;
  Result<std::vector<CooldownRecord>> ListCooldowns(const std::string& cc,
                                                    int64_t now_ms) override;
  Result<std::optional<ContactRecord>> GetContact(
      const std::string& cc, const std::string& id) override;
  Status InsertInteraction(const InteractionRecord& r) override;
  Status UpdateInteraction(const InteractionRecord& next,
                           const InteractionRecord& expected) override;
  Result<int64_t> AppendInteractionHistory(
      const HistoryEventRecord& r) override;
  Status PutCooldown(const CooldownRecord& r) override;
  Status DeleteEndedCooldowns(const std::string& cc, int64_t now_ms) override;
  Status PutContact(const ContactRecord& r) override;

  // Workbin contents and subscriptions (sqlite_tx_workbins.cc)
  Result<std::vector<InteractionRecord>> ListInteractionsInWorkbin(
      const std::string& workbin_id) override;
  Result<std::vector<std::string>> ListWorkbinSubscribers(
      const std::string& workbin_id) override;
  Result<int64_t> CountWorkbinSubscriptionsOfUser(
      const std::string& user_id) override;
  Result<bool> IsSubscribedToWorkbin(const std::string& user_id,
                                     const std::string& workbin_id) override;
  Result<std::vector<WorkbinSubscriptionRecord>>
  ListWorkbinSubscriptionsInContactCenter(const std::string& cc) override;
  Result<std::vector<std::string>> ListWorkbinSubscriptionsOfUser(
      const std::string& user_id) override;
  Status PutWorkbinSubscription(const WorkbinSubscriptionRecord& r) override;
  Status DeleteWorkbinSubscription(const std::string& user_id,
                                   const std::string& workbin_id) override;
  Result<std::vector<std::string>> DeleteWorkbinSubscriptionsOfUser(
      const std::string& user_id) override;

  // Workbin pages, item counts, server secrets (sqlite_tx_paging.cc)
  Result<std::vector<InteractionRecord>> ListWorkbinPage(
      const std::string& workbin_id,
      const std::vector<std::string>& media_types, bool descending,
      const std::optional<std::pair<int64_t, std::string>>& after,
      int64_t limit) override;
  Result<std::map<std::string, int64_t>> CountWorkbinItemsByMedia(
      const std::string& workbin_id) override;
  Result<std::string> GetServerSecret(const std::string& name) override;

  // The replay log (sqlite_tx_notifications.cc)
  Result<NotificationBounds> GetNotificationBounds(
      const std::string& user_id, int64_t min_created_ms) override;
  Result<std::vector<NotificationRecord>> ListNotifications(
      const std::string& user_id, int64_t from_seq, int64_t min_created_ms,
      int64_t limit) override;
  Result<std::vector<NotificationHead>> ListNotificationHeads() override;
  Status AppendNotification(NotificationRecord* r, int64_t keep_last) override;
  Status AppendNotifications(std::vector<NotificationRecord>* batch,
                             int64_t keep_last) override;
  Result<int64_t> DeleteNotificationsBefore(int64_t before_ms) override;

  // Idempotency keys (sqlite_tx_idempotency.cc)
  Result<std::optional<IdempotencyRecord>> GetIdempotencyKey(
      const std::string& user_id, const std::string& key,
      int64_t now_ms) override;
  Status PutIdempotencyKey(const IdempotencyRecord& r) override;
  Status DeleteIdempotencyKey(const std::string& user_id,
                              const std::string& key) override;
  Result<int64_t> DeleteExpiredIdempotencyKeys(int64_t now_ms) override;

 private:
  // Agent states read or written in this transaction. Only
  // PutAgentState/DeleteAgentState change the table.
  codec::AgentStateMemo agent_states_;
  Result<std::optional<AgentStateRecord>> LoadAgentState(
      const std::string& user_id);
  Status DeleteById(const char* sql, const std::string& id);
  Connection* c_;
};

// The interaction columns, in the order ReadInteractionRow reads them.
#define WB_INTERACTION_COLUMNS                                                \
  "SELECT id, contact_center_id, media_type, state, working_state, "          \
  "direction, owner_id, "                                                     \
  "queue_id, workbin_id, last_owner_id, contact_id, parent_id, received_ms, " \
  "queued_ms, "                                                               \
  "workbin_entered_ms, offer_expires_ms, offer_reason, transfer_from_id, "    \
  "transfer_reference_id, user_data, media FROM interactions "

// The current row of `s`, a statement that selects WB_INTERACTION_COLUMNS
// (sqlite_tx_interactions.cc).
InteractionRecord ReadInteractionRow(const Stmt& s);
// Every row of `s`, as ReadInteractionRow, or the statement's failure.
Result<std::vector<InteractionRecord>> ReadInteractionRows(Stmt& s);
// The integer of the first row's first column (0 without a row), or the
// statement's failure (sqlite_tx.cc).
Result<int64_t> ReadCount(Stmt& s);

}  // namespace workbind::storage::sqlite
