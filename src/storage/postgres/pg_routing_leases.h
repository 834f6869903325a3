// The routing leases on PostgreSQL (storage/routing_leases.h). A lease is a
// session-level advisory lock, pg_try_advisory_lock(kRoutingLeaseClass,
// hashtext(contact center id)) (the two-key form, a key space apart from
// the single-key locks of the write gate and the row keys), held on one
// dedicated connection per node, a PgListener that also LISTENs on
// kRoutingChannel:
// - a lease vanishes with its holder's connection or process (PostgreSQL
//   releases session locks when the backend ends; the connection's server
//   keepalives end it about `lease` after the network to the holder died);
// - a node tries the leases it wants and does not hold when it connects,
//   when it is first asked about a contact center, and every `lease`
//   (StoreOptions::postgres_routing_lease_seconds): a standby takes over at
//   most about `lease` after the holder's connection ended;
// - a lost connection loses every lease of the node at once (reported, and
//   tried again after reconnecting);
// - WakeHolder sends pg_notify(kRoutingChannel, contact center id) on the
//   same connection (at the next check, within 200 ms); every node hears
//   it and reports LeaseEvents::woken.
#pragma once

#include <memory>
#include <string_view>

#include "storage/routing_leases.h"
#include "storage/store.h"

namespace workbind::storage::postgres {

inline constexpr std::string_view kRoutingChannel = "workbind_routing";
inline constexpr int kRoutingLeaseClass = 0x57420001;  // "WB", 1

// Leases on options.postgres_dsn; `application_name` names the connection.
std::unique_ptr<RoutingLeases> OpenPgRoutingLeases(
    const StoreOptions& options, LeaseEvents events,
    const std::string& application_name);

}  // namespace workbind::storage::postgres
