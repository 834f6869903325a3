// Router: the delivery side of queues. A pass for one
// contact center reads a snapshot (queued and assigned interactions, agent
// channels, cool-downs, contact profiles), asks DecideRouting what to do and
// applies it in one write transaction: timed-out offers go back to their
// queue, new offers are made, notifications follow the commit. Passes are
// triggered (Trigger, AfterChange) and run by the app's timer through
// RunDue, which also runs the passes whose next deadline has come. It also
// revokes the open offers of channels that are logged out
// (AgentStateObserver). Thread-safe: at most one pass per contact center at
// a time; methods block on storage.
//
// Leases (UseLeases, storage/routing_leases.h): with several nodes on one
// database, RunDue runs passes only for the contact centers whose lease
// this node holds. For another contact center it forwards what was
// triggered here (Trigger, AfterChange) to the holder (WakeHolder) and
// drops what came from other nodes (TriggerFromOtherNode), so that a wake
// never travels back.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "domain/agents/agent_state_service.h"
#include "domain/directory/directory.h"
#include "domain/interactions/interaction_render.h"
#include "domain/interactions/routing_trigger.h"
#include "domain/notifications/notifier.h"
#include "domain/routing/routing_decision.h"
#include "storage/routing_leases.h"
#include "storage/store.h"

namespace workbind::domain {

class Router final : public RoutingTrigger, public AgentStateObserver {
 public:
  // Pointers must outlive the router.
  Router(storage::Store* store, DirectoryCache* directories,
         const Notifier* notifier, const InteractionRenderer* renderer,
         const Clock* clock);

  // Marks the contact center for a pass at the next RunDue. Never blocks on
  // storage.
  void Trigger(const std::string& contact_center_id) override;

  // As Trigger, for a change made through another node (or a wake sent to
  // the lease holder): a node that does not hold the lease does not forward
  // it.
  void TriggerFromOtherNode(const std::string& contact_center_id);

  // The leases this node routes under; `leases` must outlive the router.
  // Without (the default) every contact center is routed here. Call before
  // the first RunDue.
  void UseLeases(storage::RoutingLeases* leases) { leases_ = leases; }

  // Runs a pass for every contact center that was triggered or whose next
  // deadline has passed (every contact center on the first call, so that
  // offers that expired while the server was down are handled at once) and
  // whose lease this node holds.
  // Called periodically by the app; errors are logged and retried.
  void RunDue();

  // One routing pass for the contact center.
  Status RunPass(const std::string& contact_center_id);

  // The snapshot DecideRouting works on, read through `tx`.
  static Result<RoutingSnapshot> LoadSnapshot(storage::ReadTx& tx,
                                              const Directory& dir,
                                              int64_t now_ms);

  // AgentStateObserver: revokes the open offers on logged-out channels.
  Status OnChannelsLoggedOut(storage::WriteTx& tx, const Directory& dir,
                             const std::string& user_id,
                             const std::vector<std::string>& channels,
                             std::vector<Notification>* out) override;
  void AfterChange(const std::string& contact_center_id) override {
    Trigger(contact_center_id);
  }

 private:
  std::mutex* PassMutex(const std::string& contact_center_id);

  storage::Store* store_;
  DirectoryCache* directories_;
  const Notifier* notifier_;
  const InteractionRenderer* renderer_;
  const Clock* clock_;
  storage::RoutingLeases* leases_ = nullptr;

  std::mutex mu_;  // guards the members below
  bool started_ = false;
  std::set<std::string> dirty_;         // triggered here
  std::set<std::string> remote_dirty_;  // triggered by other nodes
  std::map<std::string, int64_t> next_wake_;
  std::map<std::string, std::unique_ptr<std::mutex>> pass_mu_;
};

}  // namespace workbind::domain
