// RoutingLeases: which node routes which contact center. Routing passes of
// several nodes sharing one database serialize every writer of the database
// (docs/deployment.md, "Routing across nodes"), so one node holds the lease
// of a contact center and routes it; the others stand by and wake the
// holder when a change of theirs may have made work routable. A lease is a
// cost saving, not a guarantee: the write transaction of a pass decides
// again, so two nodes that both believe they hold a lease (for the short
// time a lost connection takes to notice) still offer each interaction once.
// app/open_store.h opens the implementation of the configured backend:
// AlwaysHeldRoutingLeases below for a backend that serves one node (SQLite),
// storage/postgres/pg_routing_leases.h for PostgreSQL.
#pragma once

#include <functional>
#include <mutex>
#include <set>
#include <string>

namespace workbind::storage {

// What a node is told about leases; called on the implementation's own
// thread, one at a time, never under a lock of the caller.
struct LeaseEvents {
  // This node now holds the lease of the contact center: it must run a pass
  // at once (offers and offer timeouts the previous holder left).
  std::function<void(const std::string& contact_center_id)> gained;
  // Another node (or this one) asked the holder of the contact center's
  // lease to run a pass.
  std::function<void(const std::string& contact_center_id)> woken;
};

// Thread-safe; no method blocks on the database.
class RoutingLeases {
 public:
  virtual ~RoutingLeases() = default;
  // Whether this node holds the lease of the contact center now. Asking
  // also makes the node compete for it from then on (the first answer for
  // a contact center of a shared database is false until it was tried).
  virtual bool Held(const std::string& contact_center_id) = 0;
  // Asks the holder of the contact center's lease, whichever node it is, to
  // run a pass (LeaseEvents::woken there). Best effort: a wake lost with a
  // connection is made up for by the pass a new holder runs.
  virtual void WakeHolder(const std::string& contact_center_id) = 0;
  // Number of leases this node holds (metrics).
  virtual int held_count() const = 0;
  // Starts competing in the background; Stop releases every lease and
  // returns once no LeaseEvents callback runs any more. Both idempotent.
  virtual void Start() = 0;
  virtual void Stop() = 0;
};

// One node: it holds every lease it is asked about, at once, and nobody else
// needs waking.
class AlwaysHeldRoutingLeases final : public RoutingLeases {
 public:
  bool Held(const std::string& contact_center_id) override {
    std::lock_guard<std::mutex> lock(mu_);
    asked_.insert(contact_center_id);
    return true;
  }
  void WakeHolder(const std::string&) override {}
  int held_count() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<int>(asked_.size());
  }
  void Start() override {}
  void Stop() override {}

 private:
  mutable std::mutex mu_;
  std::set<std::string> asked_;
};

}  // namespace workbind::storage
