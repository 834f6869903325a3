// Stored records: plain values the storage interface reads and writes. They
// mirror the provisioning object model (provisioning.md §2) and the
// authentication state (auth.md §3). Ids are stored in their wire format.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace workbind::storage {

struct ContactCenterRecord {
  std::string id;
  std::string name;
  std::string display_name;
  std::vector<std::string> features;
  std::vector<std::string> media_types;  // custom open-media types
  // settings.routing
  int offer_timeout_seconds = 30;
  std::map<std::string, int>
      capacity;  // channel -> capacity; absent channel: 1
  int decline_cooldown_seconds = 60;
  int last_agent_wait_seconds = 0;
};

struct UserRecord {
  std::string id;  // 32 hex
  std::string contact_center_id;
  std::string user_name;
  std::string password_hash;  // Argon2id PHC string
  std::string first_name;
  std::string last_name;
  std::optional<std::string> email_address;
  std::vector<std::string> roles;
  bool enabled = true;
  std::optional<std::string> default_place_id;
  std::optional<std::map<std::string, int>> capacity;
};

struct SystemAdminRecord {
  std::string id;  // 32 hex
  std::string user_name;
  std::string password_hash;
};

struct PlaceRecord {
  std::string id;
  std::string contact_center_id;
  std::string name;
};

struct PlaceGroupRecord {
  std::string id;
  std::string contact_center_id;
  std::string name;
  std::vector<std::string> place_ids;
};

struct AgentGroupRecord {
  std::string id;
  std::string contact_center_id;
  std::string name;
  std::vector<std::string> agent_ids;       // user ids
  std::vector<std::string> supervisor_ids;  // user ids
};

struct QueueRecord {
  std::string id;
  std::string contact_center_id;
  std::string name;
  std::string description;
  std::string agent_group_id;
};

struct WorkbinDefinitionRecord {
  std::string id;
  std::string contact_center_id;
  std::string name;
  std::string display_name;
  std::string type;  // Agent, Place, AgentGroup, PlaceGroup
  std::optional<std::vector<std::string>>
      owners;  // owner names; absent: every eligible owner
};

// One workbin instance (provisioning.md §4).
struct WorkbinRecord {
  std::string id;
  std::string contact_center_id;
  std::string definition_id;
  std::string owner_type;  // Agent, Place, AgentGroup, PlaceGroup
  std::string owner_id;
};

// Everything provisioned in one contact center.
struct DirectoryData {
  ContactCenterRecord contact_center;
  std::vector<UserRecord> users;
  std::vector<PlaceRecord> places;
  std::vector<PlaceGroupRecord> place_groups;
  std::vector<AgentGroupRecord> agent_groups;
  std::vector<QueueRecord> queues;
  std::vector<WorkbinDefinitionRecord> workbin_definitions;
  std::vector<WorkbinRecord> workbins;
};

// An HTTP session (JSESSIONID).
struct SessionRecord {
  std::string id;          // 32 upper-case hex
  std::string csrf_token;  // lowercase uuid4
  std::string user_id;     // user or system admin id
  bool system_admin = false;
  int64_t created_ms = 0;
  int64_t last_activity_ms = 0;
};

// One logged-in media channel of a user's contact-center session.
struct ChannelStateRecord {
  std::string channel;                // media type name
  bool ready = false;                 // Ready, else NotReady
  std::optional<std::string> reason;  // NotReady reason
  int64_t idle_since_ms = 0;  // when the agent last became idle (routing)
};

// A user's contact-center session (auth.md §7.3): channels in login order and
// the place in use.
struct AgentStateRecord {
  std::string user_id;
  std::string contact_center_id;
  std::optional<std::string> place_id;
  std::vector<ChannelStateRecord> channels;
};

// Interactions, queues, contacts

// A chat participant.
struct ChatParticipantRecord {
  std::string nickname;
  std::string type;  // Customer or Agent
  std::string participant_id;
};

// One interaction. Where it is: `owner_id` while
// Invited (the offeree) or in a working state (the owner); waiting in
// `queue_id` while Queued; in `workbin_id` while InWorkbin; nowhere once
// Completed. `queue_id` is always the home queue (the last one entered).
struct InteractionRecord {
  std::string id;
  std::string contact_center_id;
  std::string media_type;
  std::string state;  // Queued, Invited, Processing, Composing, Chatting,
                      // InWorkbin, Completed
  std::string working_state;  // Processing, Composing or Chatting
  std::string direction;      // Inbound or Outbound
  std::optional<std::string> owner_id;
  std::optional<std::string> queue_id;
  std::optional<std::string> workbin_id;
  std::optional<std::string> last_owner_id;  // last user that held it
  std::optional<std::string> contact_id;
  std::optional<std::string> parent_id;
  int64_t received_ms = 0;
  int64_t queued_ms = 0;  // when it entered its current queue (routing order)
  int64_t workbin_entered_ms = 0;
  // The open offer (Invited): deadline, why (routing, lastAgent, transfer)
  // and, for a transfer, who transferred it with its request's referenceId.
  std::optional<int64_t> offer_expires_ms;
  std::string offer_reason;
  std::optional<std::string> transfer_from_id;
  int64_t transfer_reference_id = 0;
  std::string user_data = "{}";  // JSON object text, keys in order
  // email
  std::string from, subject, body, mime;
  std::vector<std::string> to, cc, bcc;
  // chat
  std::vector<ChatParticipantRecord> participants;
};

// One event of an interaction's history. Optional
// strings are absent when empty; reference_id 0 means none.
struct HistoryEventRecord {
  std::string interaction_id;
  int64_t seq = 0;  // assigned on append
  int64_t at_ms = 0;
  std::string event;
  std::string user_id, user_name;
  int64_t reference_id = 0;
  std::string state;
  std::string owner_id;
  std::string from_queue, to_queue;
  std::string from_workbin_id, to_workbin_id;
  std::string details;  // JSON object text, or empty
};

// A routing cool-down: the user is not offered the interaction again
// before until_ms.
struct CooldownRecord {
  std::string contact_center_id;
  std::string interaction_id;
  std::string user_id;
  int64_t until_ms = 0;
};

// A contact profile. last_agent_at_ms 0: never saved.
struct ContactRecord {
  std::string contact_center_id;
  std::string id;
  std::optional<std::string> last_agent_id;
  std::optional<std::string> last_agent_user_name;
  int64_t last_agent_at_ms = 0;
  std::optional<std::string> last_media_type;
};

// A user's subscription to a workbin instance's content changes.
struct WorkbinSubscriptionRecord {
  std::string user_id;
  std::string workbin_id;
  std::string contact_center_id;
  int64_t created_ms = 0;
};

// One retained notification of a user (extensions.md §2): the message as
// the domain made it, numbered per user. Doubles as the record of what a
// committed change announces.
struct NotificationRecord {
  std::string user_id;  // addressee
  int64_t seq = 0;      // assigned on append: 1, 2, ... per user, never reused
  std::string contact_center_id;
  std::string topic;      // "/v2/me/<topic>"
  std::string data_json;  // the Bayeux data without referenceId (JSON object)
  std::string actor_user_id;  // who caused it, empty when nobody
  int64_t reference_id = 0;   // 0: none
  std::string user_uri;
  std::vector<std::string> watchers;
  int64_t created_ms = 0;
};

// An Idempotency-Key of a user: the first request's fingerprint and, once
// done, its reply.
struct IdempotencyRecord {
  std::string user_id;
  std::string key;
  std::string fingerprint;
  bool done = false;  // false: the first request is still in progress
  int http_status = 0;
  std::string body;
  int64_t expires_ms = 0;
};

// The retained range of a user's notifications. oldest_seq 0: none retained.
struct NotificationBounds {
  int64_t last_seq = 0;
  int64_t oldest_seq = 0;
};

// The highest seq given to a user's notifications so far (the counter, which
// outlives the user and the retained rows).
struct NotificationHead {
  std::string user_id;
  int64_t last_seq = 0;
};

}  // namespace workbind::storage
