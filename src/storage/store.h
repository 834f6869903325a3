// The storage interface: narrow repositories behind transactions. No SQL or
// backend type appears above storage/. Backends: storage/sqlite (embedded,
// default) and storage/postgres (several nodes).
//
// Contract for every method:
// - Returns OK, or a Status whose code names the failed step (kStorageRead,
//   kStorageCreate, kStorageUpdate, kStorageDelete) with unavailable() set
//   when the database cannot be reached; kAlreadyExists for a unique-key
//   violation (duplicate id or name). Get/Find return std::nullopt for a
//   missing row (never an error).
// - Lists are ordered as stated per method.
// Thread-safety: a ReadTx/WriteTx is used by one thread, inside the callback
// it was given to; Store itself is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "storage/records.h"

namespace workbind::storage {

class ReadTx {
 public:
  virtual ~ReadTx() = default;

  // Contact centers, ordered by name.
  virtual Result<std::vector<ContactCenterRecord>> ListContactCenters() = 0;
  virtual Result<std::optional<ContactCenterRecord>> GetContactCenter(
      const std::string& id) = 0;
  virtual Result<std::optional<ContactCenterRecord>> FindContactCenterByName(
      const std::string& name) = 0;
  // Everything provisioned in a contact center; kNotFound when it does not
  // exist. Each list is ordered by name (users by user_name; workbins by id).
  virtual Result<DirectoryData> LoadDirectory(
      const std::string& contact_center_id) = 0;
  // Monotonic counter bumped by every provisioning write in the contact center.
  virtual Result<int64_t> DirectoryVersion(
      const std::string& contact_center_id) = 0;

  // Users, any contact center.
  virtual Result<std::optional<UserRecord>> GetUser(const std::string& id) = 0;
  virtual Result<std::optional<UserRecord>> FindUserByName(
      const std::string& user_name) = 0;

  // System admins, ordered by user_name.
  virtual Result<std::vector<SystemAdminRecord>> ListSystemAdmins() = 0;
  virtual Result<std::optional<SystemAdminRecord>> FindSystemAdminByName(
      const std::string& user_name) = 0;

  // HTTP sessions.
  virtual Result<std::optional<SessionRecord>> GetSession(
      const std::string& id) = 0;
  // Sessions of a user, least recently active first.
  virtual Result<std::vector<SessionRecord>> ListSessionsOfUser(
      const std::string& user_id) = 0;

  // Contact-center sessions (agent state).
  virtual Result<std::optional<AgentStateRecord>> GetAgentState(
      const std::string& user_id) = 0;
  // The user whose contact-center session uses the place, if any.
  virtual Result<std::optional<std::string>> FindPlaceUser(
      const std::string& place_id) = 0;
  // Every contact-center session of a contact center, ordered by user id.
  virtual Result<std::vector<AgentStateRecord>> ListAgentStates(
      const std::string& contact_center_id) = 0;

  // Interactions, queues, contacts
  virtual Result<std::optional<InteractionRecord>> GetInteraction(
      const std::string& id) = 0;
  // Interactions offered to or owned by the user (Invited or a working
  // state), ordered by received_ms then id.
  virtual Result<std::vector<InteractionRecord>> ListInteractionsOfOwner(
      const std::string& user_id) = 0;
  // Interactions of the contact center that have an offeree or owner,
  // ordered by id.
  virtual Result<std::vector<InteractionRecord>> ListAssignedInteractions(
      const std::string& contact_center_id) = 0;
  // Queued interactions of the contact center, ordered by queued_ms then id.
  virtual Result<std::vector<InteractionRecord>> ListQueuedInteractions(
      const std::string& contact_center_id) = 0;
  // Interactions in state Queued in the queue.
  virtual Result<int64_t> CountQueued(const std::string& queue_id) = 0;
  // Interactions held by the workbin instance.
  virtual Result<int64_t> CountInteractionsInWorkbin(
      const std::string& workbin_id) = 0;
  // Interactions the user owns in a working state (not offers).
  virtual Result<int64_t> CountInteractionsOwnedBy(
      const std::string& user_id) = 0;
  // Interactions not Completed whose home queue is the queue.
  virtual Result<int64_t> CountOpenInteractionsOfQueue(
      const std::string& queue_id) = 0;
  // Interactions of the contact center not Completed, of `media_type` (any
  // media type when empty).
  virtual Result<int64_t> CountOpenInteractions(
      const std::string& contact_center_id, const std::string& media_type) = 0;
  // The interaction's history, ordered by seq.
  virtual Result<std::vector<HistoryEventRecord>> ListInteractionHistory(
      const std::string& interaction_id) = 0;
  // Cool-downs of the contact center still running at now_ms (until_ms >
  // now_ms), ordered by interaction id then user id.
  virtual Result<std::vector<CooldownRecord>> ListCooldowns(
      const std::string& contact_center_id, int64_t now_ms) = 0;
  virtual Result<std::optional<ContactRecord>> GetContact(
      const std::string& contact_center_id, const std::string& id) = 0;

  // Workbins
  // Interactions held by the workbin instance, ordered by received_ms then id.
  virtual Result<std::vector<InteractionRecord>> ListInteractionsInWorkbin(
      const std::string& workbin_id) = 0;
  // A page of the workbin's items in (received_ms, id) order, descending
  // when asked: only `media_types` (empty: all), strictly after `after`
  // (received_ms, id) when given, at most `limit` (0: all). Reads in time
  // that depends on `limit` and the number of media types, not on the size
  // of the workbin.
  virtual Result<std::vector<InteractionRecord>> ListWorkbinPage(
      const std::string& workbin_id,
      const std::vector<std::string>& media_types, bool descending,
      const std::optional<std::pair<int64_t, std::string>>& after,
      int64_t limit) = 0;
  // The workbin's item count per media type (kept up to date with every
  // change; only non-zero counts).
  virtual Result<std::map<std::string, int64_t>> CountWorkbinItemsByMedia(
      const std::string& workbin_id) = 0;
  // The user's key, when stored and not expired at now_ms.
  virtual Result<std::optional<IdempotencyRecord>> GetIdempotencyKey(
      const std::string& user_id, const std::string& key, int64_t now_ms) = 0;
  // A random secret made when the database was created (e.g. "cursor"): the
  // same for every node and restart. kNotFound for an unknown name.
  virtual Result<std::string> GetServerSecret(const std::string& name) = 0;
  // Users subscribed to the workbin, ordered by user id.
  virtual Result<std::vector<std::string>> ListWorkbinSubscribers(
      const std::string& workbin_id) = 0;
  // Number of workbin subscriptions the user holds.
  virtual Result<int64_t> CountWorkbinSubscriptionsOfUser(
      const std::string& user_id) = 0;
  // Whether the pair (user, workbin) is subscribed.
  virtual Result<bool> IsSubscribedToWorkbin(const std::string& user_id,
                                             const std::string& workbin_id) = 0;
  // Every workbin subscription of the contact center, ordered by user id
  // then workbin id.
  virtual Result<std::vector<WorkbinSubscriptionRecord>>
  ListWorkbinSubscriptionsInContactCenter(
      const std::string& contact_center_id) = 0;
  // The workbin ids the user is subscribed to, ordered by id.
  virtual Result<std::vector<std::string>> ListWorkbinSubscriptionsOfUser(
      const std::string& user_id) = 0;

  // Notifications (replay log)
  // The user's highest seq (0: none yet) and the lowest retained seq among
  // those created at or after min_created_ms (0: none).
  virtual Result<NotificationBounds> GetNotificationBounds(
      const std::string& user_id, int64_t min_created_ms) = 0;
  // The user's retained notifications with seq >= from_seq, created at or
  // after min_created_ms, ordered by seq, at most `limit`.
  virtual Result<std::vector<NotificationRecord>> ListNotifications(
      const std::string& user_id, int64_t from_seq, int64_t min_created_ms,
      int64_t limit) = 0;
  // Every user's highest seq (users that never had a notification are
  // absent), ordered by user id. Nodes sharing a database compare it with
  // what they delivered to find the notifications they missed.
  virtual Result<std::vector<NotificationHead>> ListNotificationHeads() = 0;
};

class WriteTx : public ReadTx {
 public:
  // Insert-or-replace by id. kAlreadyExists when another row holds the name
  // (user names: across all contact centers and system admins).
  virtual Status PutContactCenter(const ContactCenterRecord& r) = 0;
  virtual Status PutUser(const UserRecord& r) = 0;
  virtual Status PutSystemAdmin(const SystemAdminRecord& r) = 0;
  virtual Status PutPlace(const PlaceRecord& r) = 0;
  virtual Status PutPlaceGroup(const PlaceGroupRecord& r) = 0;
  virtual Status PutAgentGroup(const AgentGroupRecord& r) = 0;
  virtual Status PutQueue(const QueueRecord& r) = 0;
  virtual Status PutWorkbinDefinition(const WorkbinDefinitionRecord& r) = 0;
  virtual Status PutWorkbin(const WorkbinRecord& r) = 0;

  // Deletes by id; deleting a missing row is OK. DeleteContactCenter removes
  // everything the contact center holds.
  virtual Status DeleteContactCenter(const std::string& id) = 0;
  virtual Status DeleteUser(const std::string& id) = 0;
  virtual Status DeleteSystemAdmin(const std::string& id) = 0;
  virtual Status DeletePlace(const std::string& id) = 0;
  virtual Status DeletePlaceGroup(const std::string& id) = 0;
  virtual Status DeleteAgentGroup(const std::string& id) = 0;
  virtual Status DeleteQueue(const std::string& id) = 0;
  virtual Status DeleteWorkbinDefinition(const std::string& id) = 0;
  virtual Status DeleteWorkbin(const std::string& id) = 0;
  // Bumps DirectoryVersion of the contact center.
  virtual Status BumpDirectoryVersion(const std::string& contact_center_id) = 0;

  virtual Status PutSession(const SessionRecord& r) = 0;
  virtual Status TouchSession(const std::string& id,
                              int64_t last_activity_ms) = 0;
  virtual Status DeleteSession(const std::string& id) = 0;
  // Deletes every session of the user; returns their ids.
  virtual Result<std::vector<std::string>> DeleteSessionsOfUser(
      const std::string& user_id) = 0;
  // Deletes sessions idle since before `cutoff_ms`; returns them.
  virtual Result<std::vector<SessionRecord>> DeleteSessionsIdleSince(
      int64_t cutoff_ms) = 0;

  // Insert-or-replace by user id. kInUse when another user holds the place.
  virtual Status PutAgentState(const AgentStateRecord& r) = 0;
  virtual Status DeleteAgentState(const std::string& user_id) = 0;

  // Allocates the user's next referenceId (1, 2, ...; never reused).
  virtual Result<int64_t> NextReferenceId(const std::string& user_id) = 0;

  // Interactions, queues, contacts
  // Inserts a new interaction; kAlreadyExists when the id is taken.
  virtual Status InsertInteraction(const InteractionRecord& r) = 0;
  // Replaces the stored interaction by `next` only while its location
  // (state, owner_id, queue_id, workbin_id) still equals `expected`'s: the
  // conditional update that settles races. kInUse when it moved on,
  // kNotFound when it does not exist.
  virtual Status UpdateInteraction(const InteractionRecord& next,
                                   const InteractionRecord& expected) = 0;
  // Appends an event with seq = the interaction's last seq + 1; returns it.
  virtual Result<int64_t> AppendInteractionHistory(
      const HistoryEventRecord& r) = 0;
  // Insert-or-replace by (interaction_id, user_id).
  virtual Status PutCooldown(const CooldownRecord& r) = 0;
  // Deletes the contact center's cool-downs that ended at or before now_ms.
  virtual Status DeleteEndedCooldowns(const std::string& contact_center_id,
                                      int64_t now_ms) = 0;
  // Insert-or-replace by (contact_center_id, id).
  virtual Status PutContact(const ContactRecord& r) = 0;

  // Workbin subscriptions. Put keeps an existing pair (and its created_ms);
  // deleting a missing pair is OK.
  virtual Status PutWorkbinSubscription(const WorkbinSubscriptionRecord& r) = 0;
  virtual Status DeleteWorkbinSubscription(const std::string& user_id,
                                           const std::string& workbin_id) = 0;
  // Deletes every workbin subscription of the user; returns the workbin
  // ids, ordered by id.
  virtual Result<std::vector<std::string>> DeleteWorkbinSubscriptionsOfUser(
      const std::string& user_id) = 0;

  // Insert-or-replace by (user_id, key).
  virtual Status PutIdempotencyKey(const IdempotencyRecord& r) = 0;
  // Deleting a missing key is OK.
  virtual Status DeleteIdempotencyKey(const std::string& user_id,
                                      const std::string& key) = 0;
  // Deletes the keys expired at now_ms; returns how many.
  virtual Result<int64_t> DeleteExpiredIdempotencyKeys(int64_t now_ms) = 0;

  // Numbers `r` with the user's next seq (r->seq), stores it, and retires
  // the user's notifications with seq <= r->seq - keep_last: no read returns
  // them any more; a backend may delete them at once or leave them to
  // DeleteNotificationsBefore (PostgreSQL, which keeps deletes off the
  // request path). The counter survives the user's deletion, so a seq is
  // never reused.
  virtual Status AppendNotification(NotificationRecord* r,
                                    int64_t keep_last) = 0;
  // AppendNotification for every record of `batch`, in order (a user's
  // records get consecutive seqs in batch order), in a fixed number of
  // statements whatever the batch holds: one per table (the counters, the
  // log, and the trim when a user passes keep_last, if the backend trims
  // at once).
  virtual Status AppendNotifications(std::vector<NotificationRecord>* batch,
                                     int64_t keep_last) = 0;
  // Deletes every notification created before before_ms, and those retired
  // by keep_last; returns how many of the former (the retired ones were no
  // longer readable).
  virtual Result<int64_t> DeleteNotificationsBefore(int64_t before_ms) = 0;
};

// Observes the durable commits of a backend (metrics). Called on the
// backend's writer thread right after each commit: implementations must be
// thread-safe, cheap and must not call back into the store.
class CommitObserver {
 public:
  virtual ~CommitObserver() = default;
  // One commit made `transactions` Write() calls durable; `seconds` is the
  // time from the start of its transaction to the end of the commit.
  virtual void Committed(double seconds, size_t transactions) = 0;
};

// What a backend counted since it opened, for metrics. Backends that do not
// count a figure leave it 0.
struct StoreCounters {
  int64_t write_commits = 0;  // Write() calls that committed
  // Runs of a Write() repeated because the database refused the previous
  // run (serialization failure, deadlock); a lost connection is not counted.
  int64_t write_reruns = 0;
  // Of those, runs repeated because the previous one needed more isolation
  // than it started with (PostgreSQL: a write that read a range, or changed
  // the directory, runs again alone among writers).
  int64_t write_escalations = 0;
  // Cross-node announcements sent (PostgreSQL: pg_notify calls of the
  // committed runs; those of a run that did not commit were never sent).
  int64_t announcements = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // The counters so far. Thread-safe.
  virtual StoreCounters Counters() const { return {}; }

  // Reports every later commit to `observer` (null: none); it must outlive
  // the store or be replaced first. Backends that cannot observe their
  // commits ignore it.
  virtual void SetCommitObserver(CommitObserver* observer) { (void)observer; }

  // Runs `fn` in a read transaction (a consistent snapshot). Blocking: call
  // from a worker thread, never an I/O thread. Returns fn's status, or a
  // storage error when the transaction could not start.
  virtual Status Read(const std::function<Status(ReadTx&)>& fn) = 0;

  // Runs `fn` in a write transaction and returns after the transaction is
  // durably committed (or failed). When fn returns an error nothing it did is
  // kept. Concurrent calls may share one commit (group commit); each keeps
  // its own all-or-nothing effect. Blocking, as Read.
  // `fn` may run more than once (PostgreSQL runs a transaction again after a
  // serialization failure, a deadlock or a connection lost before commit):
  // it must reset, at its start, whatever it collects outside the
  // transaction. Only the last run's effects are committed.
  virtual Status Write(const std::function<Status(WriteTx&)>& fn) = 0;

  // OK when the database answers (readiness).
  virtual Status Ping() = 0;
  // Finishes pending writes and closes. Further calls fail with kInternal.
  virtual void Close() = 0;
};

struct StoreOptions {
  std::string backend = "sqlite";  // "sqlite" or "postgres"
  std::string data_dir = "./data";
  bool sqlite_synchronous_full = true;
  std::string postgres_dsn;
  int postgres_pool_size = 8;
  // How often a node reads the notifications other nodes stored when no
  // announcement told it to (storage.postgres.pollMilliseconds).
  int postgres_poll_ms = 250;
  // How often a standby node tries to take over the routing of a contact
  // center, and about how long a dead holder keeps it
  // (storage.postgres.routingLeaseSeconds, storage/routing_leases.h).
  int postgres_routing_lease_seconds = 5;
  // Names this node in its cross-node announcements, so that it can ignore
  // its own (PostgreSQL); empty: none ignored. Set by the server at start.
  std::string node_id;
  int read_connections = 4;
};

}  // namespace workbind::storage
