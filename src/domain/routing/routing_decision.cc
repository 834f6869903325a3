#include "domain/routing/routing_decision.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

namespace workbind::domain {
namespace {

// An agent's load as the decision goes on: active interactions and open
// offers per media, idle times.
struct Load {
  const RoutingAgent* agent = nullptr;
  std::map<std::string, int> active;
  std::set<std::string> offered;
  std::map<std::string, int64_t> idle_since;
  std::set<std::string> ready;
};

class Decider {
 public:
  explicit Decider(const RoutingSnapshot& s) : s_(s) {
    for (const auto& a : s.agents) {
      Load& l = loads_[a.user_id];
      l.agent = &a;
      for (const auto& c : a.channels) {
        l.idle_since[c.media_type] = c.idle_since_ms;
        if (c.ready) l.ready.insert(c.media_type);
      }
    }
    for (const auto& c : s.cooldowns)
      if (c.until_ms > s.now_ms) Cool(c.interaction_id, c.user_id, c.until_ms);
  }

  RoutingDecision Run() {
    std::vector<RoutingItem> queued = s_.queued;
    for (const auto& item : s_.assigned) {
      auto it = loads_.find(item.owner_id);
      if (item.invited && item.offer_expires_ms <= s_.now_ms) {
        TimeOut(item, &queued);
        continue;
      }
      if (it == loads_.end()) continue;
      it->second.active[item.media_type]++;
      if (item.invited) {
        it->second.offered.insert(item.media_type);
        Wake(item.offer_expires_ms);
      }
    }
    std::sort(queued.begin(), queued.end(), [](const auto& a, const auto& b) {
      return std::tie(a.queued_ms, a.id) < std::tie(b.queued_ms, b.id);
    });
    for (const auto& item : queued) Route(item);
    return std::move(d_);
  }

 private:
  void Wake(int64_t t) {
    if (t > s_.now_ms && (!d_.next_wake_ms || t < *d_.next_wake_ms))
      d_.next_wake_ms = t;
  }

  void Cool(const std::string& interaction, const std::string& user,
            int64_t until) {
    int64_t& slot = cool_[{interaction, user}];
    slot = std::max(slot, until);
  }

  int64_t CoolingUntil(const std::string& interaction,
                       const std::string& user) const {
    auto it = cool_.find({interaction, user});
    return it == cool_.end() || it->second <= s_.now_ms ? 0 : it->second;
  }

  // The offer ends now: back to the queue, the offeree cools down and is
  // idle from now.
  void TimeOut(const RoutingItem& item, std::vector<RoutingItem>* queued) {
    d_.timed_out.push_back(item.id);
    Cool(item.id, item.owner_id,
         s_.now_ms + int64_t{s_.decline_cooldown_seconds} * 1000);
    auto it = loads_.find(item.owner_id);
    if (it != loads_.end()) {
      int64_t& idle = it->second.idle_since[item.media_type];
      idle = std::max(idle, s_.now_ms);
    }
    RoutingItem back = item;
    back.owner_id.clear();
    back.invited = false;
    if (item.transfer_offer) back.queued_ms = s_.now_ms;
    queued->push_back(std::move(back));
  }

  int Capacity(const RoutingAgent& a, const std::string& media) const {
    if (auto it = a.capacity.find(media); it != a.capacity.end())
      return it->second;
    if (auto it = s_.capacity.find(media); it != s_.capacity.end())
      return it->second;
    return 1;
  }

  Load* Eligible(const std::string& user_id, const RoutingItem& item) {
    auto it = loads_.find(user_id);
    if (it == loads_.end()) return nullptr;
    Load& l = it->second;
    const std::string& m = item.media_type;
    if (!l.ready.count(m) || l.offered.count(m)) return nullptr;
    if (l.active[m] >= Capacity(*l.agent, m)) return nullptr;
    if (CoolingUntil(item.id, user_id) > 0) return nullptr;
    return &l;
  }

  void Offer(const RoutingItem& item, Load* l, const char* reason) {
    l->active[item.media_type]++;
    l->offered.insert(item.media_type);
    d_.offers.push_back({item.id, l->agent->user_id, reason});
    Wake(s_.now_ms + int64_t{s_.offer_timeout_seconds} * 1000);  // its deadline
  }

  void Route(const RoutingItem& item) {
    if (!item.last_agent_id.empty()) {
      if (Load* l = Eligible(item.last_agent_id, item)) {
        Offer(item, l, "lastAgent");
        return;
      }
      const bool declined = CoolingUntil(item.id, item.last_agent_id) > 0;
      const int64_t until =
          item.queued_ms + int64_t{s_.last_agent_wait_seconds} * 1000;
      if (!declined && s_.last_agent_wait_seconds > 0 && s_.now_ms < until) {
        Wake(until);
        d_.still_waiting++;
        return;
      }
    }
    Load* best = nullptr;
    auto members = s_.queue_members.find(item.queue_id);
    if (members != s_.queue_members.end()) {
      for (const auto& user_id : members->second) {
        if (const int64_t until = CoolingUntil(item.id, user_id)) Wake(until);
        Load* l = Eligible(user_id, item);
        if (!l) continue;
        if (!best || Better(*l, *best, item.media_type)) best = l;
      }
    }
    if (best) {
      Offer(item, best, "routing");
    } else {
      d_.still_waiting++;
    }
  }

  // Longest idle first, ties by user name.
  static bool Better(Load& a, Load& b, const std::string& media) {
    return std::make_pair(a.idle_since[media], a.agent->user_name) <
           std::make_pair(b.idle_since[media], b.agent->user_name);
  }

  const RoutingSnapshot& s_;
  std::map<std::string, Load> loads_;
  std::map<std::pair<std::string, std::string>, int64_t> cool_;
  RoutingDecision d_;
};

}  // namespace

RoutingDecision DecideRouting(const RoutingSnapshot& snapshot) {
  return Decider(snapshot).Run();
}

}  // namespace workbind::domain
