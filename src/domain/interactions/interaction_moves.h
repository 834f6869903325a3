// The steps every change of an interaction is made of, shared by
// InteractionService, QueueService and the Router: creating an interaction,
// offering it, taking an offer back, restarting an agent's idle time,
// saving the last agent, history events and the agent-topic notifications.
// Each runs inside the caller's write transaction (TxScope) and only queues
// notifications; the caller sends them after the commit. Not thread-safe
// (one TxScope per transaction).
#pragma once

#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/core/event_sink.h"
#include "domain/directory/directory.h"
#include "domain/interactions/interaction_render.h"
#include "domain/notifications/notifier.h"
#include "storage/store.h"

namespace workbind::domain {

// Everything a change inside one write transaction needs.
struct TxScope {
  storage::WriteTx& tx;
  const Directory& dir;
  const Notifier& notifier;
  const InteractionRenderer& renderer;
  int64_t now_ms;
  std::vector<Notification>* out;  // notifications to send after commit
};

// Who made a request, and the referenceId it was given (0: none).
struct Actor {
  std::string user_id;
  std::string user_name;
  int64_t reference_id = 0;
};

// A history event describing `after` (state, owner), caused by `actor`
// (nullptr: the server). The caller may add queue, workbin and details.
storage::HistoryEventRecord MakeEvent(const TxScope& s,
                                      const storage::InteractionRecord& after,
                                      std::string_view event,
                                      const Actor* actor);
Status Append(TxScope& s, const storage::HistoryEventRecord& event);

// AttachUserData/UpdateUserData (`remove` false: merges `data` into the
// user data of `cur`) or DeleteUserData (`remove` true: drops `keys`):
// stores the result, returned, and records UserDataChanged with the keys
// set and deleted. Errors: MergeUserData's (kInvalidArgument), storage.
Result<storage::InteractionRecord> ChangeUserData(
    TxScope& s, const storage::InteractionRecord& cur, bool remove,
    const std::vector<std::string>& keys, const boost::json::object& data,
    const Actor& actor);

// Queues a <Media>StateChangeMessage for `user_id` with the resource seen
// through `view`; it carries actor's referenceId when delivered to actor.
void Notify(TxScope& s, const storage::InteractionRecord& r,
            const std::string& user_id, std::string_view notification_type,
            const InteractionView& view, const Actor* actor);

// The user stopped holding an interaction of `media_type`: its idle time on
// that channel restarts now. No-op when the channel is not logged in.
Status RestartIdle(TxScope& s, const std::string& user_id,
                   const std::string& media_type);

// Creates the contact profile when `contact_id` is new.
Status EnsureContact(TxScope& s, const std::string& contact_id);

// saveLAR: records `agent` as the last agent of r's contact and
// appends LastAgentSaved. No-op when r has no contact.
Status SaveLastAgent(TxScope& s, const storage::InteractionRecord& r,
                     const storage::UserRecord& agent, const Actor& actor);

// The fields of a new interaction; InsertNew fills id, dates and system
// user-data keys.
// The checks of a new interaction's client fields, before any transaction:
// user data values (kInvalidArgument/kReadOnly, as ValidateUserDataValues)
// and a contactId of 1-64 characters of [A-Za-z0-9_-] (kInvalidArgument).
Status CheckNewInteractionFields(const boost::json::object& user_data,
                                 const std::optional<std::string>& contact_id);

struct NewInteraction {
  std::string media_type;
  std::string direction;      // Inbound or Outbound
  std::string state;          // Queued, Processing or Composing
  std::string working_state;  // Processing, Composing or Chatting
  std::optional<std::string> owner_id;
  std::string queue_id;  // home queue
  std::optional<std::string> contact_id;
  std::optional<std::string> parent_id;
  boost::json::object user_data;  // client keys, already validated
  std::string from, subject, body, mime;
  std::vector<std::string> to, cc, bcc;
  std::optional<std::string> customer_nickname;  // chat
};
// Inserts the interaction (drawing a new id on a collision), with
// InteractionId (and ContactId) first in its user data, and creates its
// contact profile. kInvalidArgument when the user data would exceed its key
// limit.
Result<storage::InteractionRecord> InsertNew(TxScope& s, NewInteraction n);

// The Router's offer of a Queued interaction to `user_id`: Invited
// with the contact center's offer timeout, Offered history, StatusChange to
// the offeree without referenceId.
Status OfferFromQueue(TxScope& s, const storage::InteractionRecord& r,
                      const std::string& user_id, const std::string& reason);

enum class RevokeCause { kReject, kTimeout, kLogout };
// Takes an open offer (Invited) back from its offeree:
// the interaction returns to its home queue (keeping its place, or at the
// end for a declined transfer), the offeree gets StatusChange Revoked (with
// actor's referenceId for a Reject) and cools down for it (not after a
// logout, except for a transfer), its idle time restarts (not after a
// logout), and a declined transfer notifies the transferring user with an
// Error carrying its original referenceId.
Status RevokeOffer(TxScope& s, const storage::InteractionRecord& r,
                   RevokeCause cause, const Actor* actor);

// The name of the queue with id `queue_id`, or "" when unknown.
std::string QueueName(const Directory& dir,
                      const std::optional<std::string>& queue_id);

}  // namespace workbind::domain
