// PgTx: ReadTx/WriteTx over one pooled connection inside a libpqxx
// transaction that PostgresStore opened (REPEATABLE READ read-only for Read,
// READ COMMITTED for Write). Used by one thread, inside one store callback.
//
// How a Write stays serializable (docs/deployment.md, "Isolation of writes"):
// every write transaction holds the write gate (a PostgreSQL advisory lock),
// shared by a row-locking transaction, alone by an exclusive one.
// - Row-locking (Mode::kRowLocks, how every Write starts): each keyed read
//   locks what it read (SELECT ... FOR UPDATE; for a key that may be absent
//   and inserted by another transaction, the key's advisory lock, which every
//   writer of that key takes too), so nothing a decision rests on can change
//   before the commit (strict two-phase locking on rows). The reads it makes
//   without a row lock are of rows only exclusive transactions change (the
//   directory), or are stated safe at their method (history of an interaction
//   the transaction locked; a workbin's subscribers, who are told).
// - Any other range read, and any change to the directory, cannot be made
//   safe by row locks: it calls Escalate(), which fails the run with
//   escalate() set; the store runs the callback again in Mode::kExclusive,
//   alone among writers (as SQLite's single writer), where every read is
//   plain.
//
// Driver failures come back as Status values (pg_errors.h); PgTx also
// remembers whether one of them asks for the whole transaction to be run
// again (retry()) or showed the connection is gone (broken()), which the
// store checks after the callback. Statements that may break a constraint
// run inside a savepoint, so that, as with SQLite, such a failure undoes
// only that statement and the transaction stays usable; any other failed
// statement spoils the transaction, which then never commits (failure()).
//
// Its methods live in one file per area, named as in the SQLite backend:
// pg_tx.cc (what the areas share), pg_tx_directory.cc, pg_tx_sessions.cc,
// pg_tx_interactions.cc, pg_tx_workbins.cc, pg_tx_paging.cc,
// pg_tx_notifications.cc, pg_tx_idempotency.cc.
#pragma once

#include <map>
#include <pqxx/pqxx>
#include <string_view>

#include "storage/codec/agent_state_memo.h"
#include "storage/postgres/pg_connection.h"
#include "storage/postgres/pg_errors.h"
#include "storage/store.h"

namespace workbind::storage::postgres {

class PgTx final : public WriteTx {
 public:
  // kPlain: a read transaction, or a write running alone (exclusive).
  enum class Mode { kPlain, kRowLocks };
  PgTx(PgConnection* conn, pqxx::dbtransaction* tx, Mode mode = Mode::kPlain)
      : c_(conn), tx_(tx), row_locks_(mode == Mode::kRowLocks) {}

  // The run read a range row locks cannot protect, or changed the
  // directory: run it again alone among writers. Implies retry().
  bool escalate() const { return escalate_; }

  // A serialization failure or deadlock was seen: run everything again.
  bool retry() const { return retry_; }
  // The connection was lost or is in an unknown state.
  bool broken() const { return broken_; }
  // The first failure that left the transaction unusable (any failure not
  // undone by a savepoint); OK when none. A callback that ignores such a
  // failure must not commit: the store reports this instead.
  const Status& failure() const { return failure_; }
  // pg_notify calls this transaction made (for the store's counters).
  int announcements() const { return announcements_; }
  // Sends what the transaction has to announce to the other nodes
  // (notifications stored, HTTP sessions ended) as one pg_notify on
  // kEventChannel, signed with `node_id` (pg_events.h); nothing when it has
  // nothing to announce. The store calls it once, right before the commit,
  // so the announcement leaves when, and only when, the changes commit.
  Status Announce(const std::string& node_id);

  // The directory (pg_tx_directory.cc)
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

  // HTTP sessions, agent states, referenceIds (pg_tx_sessions.cc)
  Result<std::optional<SessionRecord>> GetSession(
      const std::string& id) override;
  Result<std::vector<SessionRecord>> ListSessionsOfUser(
      const std::string& user_id) override;
  Status PutSession(const SessionRecord& r) override;
  Status TouchSession(const std::string& id, int64_t last_activity_ms) override;
  Status DeleteSession(const std::string& id) override;
  // Tells the other nodes (pg_events.h) at commit.
  Status AnnounceSessionEnded(const std::string& id);
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

  // Interactions, queues, contacts (pg_tx_interactions.cc)
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

  // Workbin contents and subscriptions (pg_tx_workbins.cc)
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

  // Workbin pages, item counts, server secrets (pg_tx_paging.cc)
  Result<std::vector<InteractionRecord>> ListWorkbinPage(
      const std::string& workbin_id,
      const std::vector<std::string>& media_types, bool descending,
      const std::optional<std::pair<int64_t, std::string>>& after,
      int64_t limit) override;
  Result<std::map<std::string, int64_t>> CountWorkbinItemsByMedia(
      const std::string& workbin_id) override;
  Result<std::string> GetServerSecret(const std::string& name) override;

  // The replay log (pg_tx_notifications.cc)
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

  // Idempotency keys (pg_tx_idempotency.cc)
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
  // Runs the prepared statement `sql` (a string literal) with `args`.
  // Returns its rows, or the classified failure as a step of `code`. A text
  // argument PostgreSQL cannot store (not UTF-8, or holding a NUL byte)
  // cannot equal any stored value: a read (kStorageRead) then returns no
  // rows, a write fails with kInvalidArgument.
  template <typename... Args>
  Result<pqxx::result> Run(Code code, const char* sql, const Args&... args) {
    if (!(Storable(args) && ...)) return Unstorable(code);
    try {
      return tx_->exec_prepared(c_->Statement(sql), args...);
    } catch (const std::exception& e) {
      return Failed(e, code, /*contained=*/false);
    }
  }

  // As Run, inside a savepoint: a failure (a unique or foreign-key
  // violation) undoes only this statement and the transaction stays usable,
  // as after a failed statement in SQLite. The savepoint is set with plain
  // SQL: libpqxx 6.4's subtransaction does not start its savepoint before a
  // prepared statement.
  template <typename... Args>
  Result<pqxx::result> RunGuarded(Code code, const char* sql,
                                  const Args&... args) {
    if (!(Storable(args) && ...)) return Unstorable(code);
    try {
      tx_->exec("SAVEPOINT wb_stmt");
    } catch (const std::exception& e) {
      return Failed(e, code, /*contained=*/false);
    }
    pqxx::result r;
    try {
      r = tx_->exec_prepared(c_->Statement(sql), args...);
    } catch (const std::exception& e) {
      Status st = Failed(e, code, /*contained=*/true);
      try {
        tx_->exec("ROLLBACK TO SAVEPOINT wb_stmt; RELEASE SAVEPOINT wb_stmt");
      } catch (const std::exception& rollback) {
        (void)Failed(rollback, code, /*contained=*/false);
      }
      return st;
    }
    try {
      tx_->exec("RELEASE SAVEPOINT wb_stmt");
    } catch (const std::exception& e) {
      return Failed(e, code, /*contained=*/false);
    }
    return r;
  }

  // Runs `sql` for its effect only.
  template <typename... Args>
  Status Exec(Code code, const char* sql, const Args&... args) {
    return Run(code, sql, args...).status();
  }
  template <typename... Args>
  Status ExecGuarded(Code code, const char* sql, const Args&... args) {
    return RunGuarded(code, sql, args...).status();
  }

  static bool Storable(std::string_view s);
  static bool Storable(const std::string& s) {
    return Storable(std::string_view(s));
  }
  static bool Storable(const std::optional<std::string>& s) {
    return !s || Storable(std::string_view(*s));
  }
  template <typename T>
  static bool Storable(const T&) {
    return true;
  }
  Result<pqxx::result> Unstorable(Code code) const;
  // Classifies a driver failure and records what it means for the whole
  // transaction. `contained`: a savepoint undid the failed statement.
  Status Failed(const std::exception& e, Code code, bool contained);

  Status DeleteById(const char* sql, const std::string& id);

  // Row-locking mode: marks the run to be repeated alone (escalate()) and
  // returns the error that unwinds the callback. Exclusive mode: OK.
  Status Escalate();
  // Row-locking mode: takes the transaction-scoped advisory lock of `key`
  // (a table name and the row's key), which orders every transaction that
  // reads the row's absence or may insert it. Exclusive mode: nothing.
  Status KeyLock(const std::string& key);
  // `row_locked` in row-locking mode, `plain` otherwise (both string
  // literals: prepared statement names).
  const char* Locking(const char* plain, const char* row_locked) const {
    return row_locks_ ? row_locked : plain;
  }

  PgConnection* c_;
  pqxx::dbtransaction* tx_;
  const bool row_locks_;
  bool escalate_ = false;
  bool retry_ = false;
  bool broken_ = false;
  Status failure_;
  int announcements_ = 0;
  bool notifications_stored_ = false;        // for Announce
  std::vector<std::string> ended_sessions_;  // for Announce
};

// Column readers for result rows: NULL reads as "" / 0 / nullopt.
std::string Text(const pqxx::row& row, int col);
std::optional<std::string> OptText(const pqxx::row& row, int col);
int64_t Int(const pqxx::row& row, int col);

// The interaction columns, in the order ReadInteractionRow reads them.
#define WB_INTERACTION_COLUMNS                                                \
  "SELECT id, contact_center_id, media_type, state, working_state, "          \
  "direction, owner_id, queue_id, workbin_id, last_owner_id, contact_id, "    \
  "parent_id, received_ms, queued_ms, workbin_entered_ms, offer_expires_ms, " \
  "offer_reason, transfer_from_id, transfer_reference_id, user_data, media "  \
  "FROM interactions "

// An interaction row of a query that selects WB_INTERACTION_COLUMNS
// (pg_tx_interactions.cc).
InteractionRecord ReadInteractionRow(const pqxx::row& row);
// Every row of `r`, as ReadInteractionRow.
std::vector<InteractionRecord> ReadInteractionRows(const pqxx::result& r);

}  // namespace workbind::storage::postgres
