// The router's decision (eligibility, choice, offers, last agent) as a
// pure function of a
// snapshot: which open offers have timed out, which queued interaction is
// offered to which agent, and when the next decision may differ without any
// event (offer deadlines, ends of cool-downs and of last-agent waits). No
// I/O, no clock: everything comes from the snapshot. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace workbind::domain {

// One logged-in channel of an agent.
struct RoutingChannel {
  std::string media_type;
  bool ready = false;
  int64_t idle_since_ms = 0;  // later of becoming Ready and last release
};

struct RoutingAgent {
  std::string user_id;
  std::string user_name;
  std::vector<RoutingChannel> channels;
  std::map<std::string, int> capacity;  // the user's override per media
};

// An interaction as the router sees it.
struct RoutingItem {
  std::string id;
  std::string media_type;
  std::string queue_id;  // home queue
  int64_t queued_ms = 0;
  std::string last_agent_id;  // of its contact profile; "" when none
  // Assigned items only: the offeree/owner and the open offer.
  std::string owner_id;
  bool invited = false;
  int64_t offer_expires_ms = 0;
  bool transfer_offer = false;
};

struct RoutingCooldown {
  std::string interaction_id;
  std::string user_id;
  int64_t until_ms = 0;
};

struct RoutingSnapshot {
  int64_t now_ms = 0;
  int offer_timeout_seconds = 30;
  int decline_cooldown_seconds = 60;
  int last_agent_wait_seconds = 0;
  std::map<std::string, int> capacity;  // the contact center's, per media
  std::vector<RoutingAgent> agents;     // logged-in, enabled users
  std::map<std::string, std::vector<std::string>>
      queue_members;                  // queue id -> user ids
  std::vector<RoutingItem> queued;    // state Queued
  std::vector<RoutingItem> assigned;  // Invited or a working state
  std::vector<RoutingCooldown> cooldowns;
};

struct RoutingOffer {
  std::string interaction_id;
  std::string user_id;
  std::string reason;  // "routing" or "lastAgent"
};

struct RoutingDecision {
  std::vector<std::string> timed_out;  // offers to take back first
  std::vector<RoutingOffer> offers;    // then these, in order
  // The earliest future moment at which the decision could change by
  // itself; nullopt when none.
  std::optional<int64_t> next_wake_ms;
  size_t still_waiting = 0;  // queued interactions left without an offer
};

RoutingDecision DecideRouting(const RoutingSnapshot& snapshot);

}  // namespace workbind::domain
