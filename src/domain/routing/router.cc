#include "domain/routing/router.h"

#include <algorithm>
#include <limits>

#include "common/log.h"
#include "domain/interactions/interaction_moves.h"

namespace workbind::domain {
namespace {

// While interactions wait without an eligible agent, the router looks again
// at least this often, so changes that trigger nothing (a membership or
// capacity edit) are still picked up within a second.
constexpr int64_t kRecheckMillis = 1000;

RoutingItem ItemOf(const storage::InteractionRecord& r) {
  RoutingItem item;
  item.id = r.id;
  item.media_type = r.media_type;
  item.queue_id = r.queue_id.value_or("");
  item.queued_ms = r.queued_ms;
  item.owner_id = r.owner_id.value_or("");
  item.invited = r.state == "Invited";
  item.offer_expires_ms =
      r.offer_expires_ms.value_or(std::numeric_limits<int64_t>::max());
  item.transfer_offer = r.offer_reason == "transfer";
  return item;
}

}  // namespace

Router::Router(storage::Store* store, DirectoryCache* directories,
               const Notifier* notifier, const InteractionRenderer* renderer,
               const Clock* clock)
    : store_(store),
      directories_(directories),
      notifier_(notifier),
      renderer_(renderer),
      clock_(clock) {}

void Router::Trigger(const std::string& contact_center_id) {
  std::lock_guard<std::mutex> lock(mu_);
  dirty_.insert(contact_center_id);
}

void Router::TriggerFromOtherNode(const std::string& contact_center_id) {
  std::lock_guard<std::mutex> lock(mu_);
  remote_dirty_.insert(contact_center_id);
}

std::mutex* Router::PassMutex(const std::string& contact_center_id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& slot = pass_mu_[contact_center_id];
  if (!slot) slot = std::make_unique<std::mutex>();
  return slot.get();
}

Result<RoutingSnapshot> Router::LoadSnapshot(storage::ReadTx& tx,
                                             const Directory& dir,
                                             int64_t now_ms) {
  const storage::ContactCenterRecord& cc = dir.contact_center();
  RoutingSnapshot s;
  s.now_ms = now_ms;
  s.offer_timeout_seconds = cc.offer_timeout_seconds;
  s.decline_cooldown_seconds = cc.decline_cooldown_seconds;
  s.last_agent_wait_seconds = cc.last_agent_wait_seconds;
  s.capacity = cc.capacity;
  WB_ASSIGN_OR_RETURN(auto states, tx.ListAgentStates(cc.id));
  for (const auto& st : states) {
    const auto* user = dir.UserById(st.user_id);
    if (!user || !user->enabled) continue;
    RoutingAgent a;
    a.user_id = user->id;
    a.user_name = user->user_name;
    if (user->capacity) a.capacity = *user->capacity;
    for (const auto& c : st.channels)
      a.channels.push_back({c.channel, c.ready, c.idle_since_ms});
    s.agents.push_back(std::move(a));
  }
  for (const auto& q : dir.data().queues)
    if (const auto* g = dir.AgentGroupById(q.agent_group_id))
      s.queue_members[q.id] = g->agent_ids;
  WB_ASSIGN_OR_RETURN(auto queued, tx.ListQueuedInteractions(cc.id));
  std::map<std::string, std::string> last_agents;  // contact id -> agent id
  for (const auto& r : queued) {
    RoutingItem item = ItemOf(r);
    if (r.contact_id) {
      auto it = last_agents.find(*r.contact_id);
      if (it == last_agents.end()) {
        WB_ASSIGN_OR_RETURN(auto contact, tx.GetContact(cc.id, *r.contact_id));
        std::string last = contact ? contact->last_agent_id.value_or("") : "";
        it = last_agents.emplace(*r.contact_id, std::move(last)).first;
      }
      item.last_agent_id = it->second;
    }
    s.queued.push_back(std::move(item));
  }
  WB_ASSIGN_OR_RETURN(auto assigned, tx.ListAssignedInteractions(cc.id));
  for (const auto& r : assigned) s.assigned.push_back(ItemOf(r));
  WB_ASSIGN_OR_RETURN(auto cooldowns, tx.ListCooldowns(cc.id, now_ms));
  for (const auto& c : cooldowns)
    s.cooldowns.push_back({c.interaction_id, c.user_id, c.until_ms});
  return s;
}

Status Router::RunPass(const std::string& cc) {
  std::lock_guard<std::mutex> pass(*PassMutex(cc));
  const int64_t now = clock_->NowMillis();
  RoutingDecision d;
  // Decide on a read snapshot first: most passes have nothing to do and
  // then need no write transaction.
  Status st = store_->Read([&](storage::ReadTx& tx) -> Status {
    WB_ASSIGN_OR_RETURN(auto dir, directories_->Get(tx, cc));
    WB_ASSIGN_OR_RETURN(auto snapshot, LoadSnapshot(tx, *dir, now));
    d = DecideRouting(snapshot);
    return Status::Ok();
  });
  if (st.ok() && (!d.timed_out.empty() || !d.offers.empty())) {
    // Decide again inside the write transaction: the snapshot it applies
    // to is then the one it commits against.
    st = notifier_->Write(
        *store_, [&](storage::WriteTx& tx, NotificationList* out) -> Status {
          WB_ASSIGN_OR_RETURN(auto dir, directories_->Get(tx, cc));
          WB_ASSIGN_OR_RETURN(auto snapshot, LoadSnapshot(tx, *dir, now));
          d = DecideRouting(snapshot);
          TxScope s{tx, *dir, *notifier_, *renderer_, now, out};
          for (const auto& id : d.timed_out) {
            WB_ASSIGN_OR_RETURN(auto r, tx.GetInteraction(id));
            if (r)
              WB_RETURN_IF_ERROR(
                  RevokeOffer(s, *r, RevokeCause::kTimeout, nullptr));
          }
          for (const auto& offer : d.offers) {
            WB_ASSIGN_OR_RETURN(auto r,
                                tx.GetInteraction(offer.interaction_id));
            if (r && r->state == "Queued")
              WB_RETURN_IF_ERROR(
                  OfferFromQueue(s, *r, offer.user_id, offer.reason));
          }
          return tx.DeleteEndedCooldowns(cc, now);
        });
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (!st.ok()) {
    next_wake_.erase(cc);
    return st;
  }
  std::optional<int64_t> wake = d.next_wake_ms;
  if (d.still_waiting > 0)
    wake = std::min(wake.value_or(now + kRecheckMillis), now + kRecheckMillis);
  if (wake)
    next_wake_[cc] = *wake;
  else
    next_wake_.erase(cc);
  return Status::Ok();
}

void Router::RunDue() {
  bool first = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    first = !started_;
    started_ = true;
  }
  if (first) {
    std::vector<storage::ContactCenterRecord> centers;
    Status st = store_->Read([&](storage::ReadTx& tx) -> Status {
      WB_ASSIGN_OR_RETURN(centers, tx.ListContactCenters());
      return Status::Ok();
    });
    std::lock_guard<std::mutex> lock(mu_);
    if (!st.ok()) started_ = false;
    for (const auto& c : centers) dirty_.insert(c.id);
  }
  const int64_t now = clock_->NowMillis();
  std::set<std::string> local, due;
  {
    std::lock_guard<std::mutex> lock(mu_);
    local.swap(dirty_);
    due.swap(remote_dirty_);
    due.insert(local.begin(), local.end());
    for (const auto& [cc, at] : next_wake_)
      if (at <= now) due.insert(cc);
  }
  for (const auto& cc : due) {
    if (leases_ && !leases_->Held(cc)) {
      // Another node routes it (or will, once it takes the lease over, with
      // a pass of its own): deadlines are its business.
      if (local.count(cc)) leases_->WakeHolder(cc);
      std::lock_guard<std::mutex> lock(mu_);
      next_wake_.erase(cc);
      continue;
    }
    Status st = RunPass(cc);
    if (st.ok() || st.code() == Code::kNotFound) continue;
    log::Warn("routing pass for contact center {} failed: {}", cc,
              st.message());
    Trigger(cc);
  }
}

Status Router::OnChannelsLoggedOut(storage::WriteTx& tx, const Directory& dir,
                                   const std::string& user_id,
                                   const std::vector<std::string>& channels,
                                   std::vector<Notification>* out) {
  TxScope s{tx, dir, *notifier_, *renderer_, clock_->NowMillis(), out};
  WB_ASSIGN_OR_RETURN(auto mine, tx.ListInteractionsOfOwner(user_id));
  for (const auto& r : mine) {
    if (r.state != "Invited") continue;
    if (std::find(channels.begin(), channels.end(), r.media_type) ==
        channels.end())
      continue;
    WB_RETURN_IF_ERROR(RevokeOffer(s, r, RevokeCause::kLogout, nullptr));
  }
  return Status::Ok();
}

}  // namespace workbind::domain
