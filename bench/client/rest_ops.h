// The REST benchmark: `agents` simulated agents, each on its own keep-alive
// connection with its own HTTP session, working on their own Agent
// workbins. Phases, one after another in one run:
//  1. add_pull: durable Add -> Pull of one item, closed loop;
//  2. content: GetWorkbinContent of `items` items (fields=*), closed loop;
//  3. version ("ceiling"): GET /api/v2/diagnostics/version (no auth, no
//     storage), closed loop;
//  4. notify (when notify_rate > 0): Add/Pull paced at notify_rate ops/s in
//     total (an agent whose previous operation is still in flight skips its
//     turn, so a server that cannot keep up is measured at the rate it
//     reaches), each agent also holding a CometD session subscribed to
//     /v2/me/workbins; the time from each HTTP reply to the arrival of the
//     WorkbinContentChanged carrying its referenceId.
// With server_pid set, each phase also reports the server's CPU time and
// context switches per request (process_stats.h, ServerMeter).
// With only_version, phase 3 alone against any server answering that route
// (the reference server of bench/run), without logins.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "http_client.h"

namespace workbind::bench {

struct RestOptions {
  Endpoint endpoint;
  // More nodes of the same cluster: agent i talks to node i % (1 + size).
  std::vector<Endpoint> more_endpoints;
  int agents = 64;
  std::string agent_prefix = "agent";  // users agent1 .. agentN
  std::string agent_password = "bench-agent-pw";
  std::string queue = "bench-in";       // home queue of the created workitems
  std::string workbin = "bench-agent";  // name of each agent's own workbin
  int items = 20;
  double seconds = 5;
  int notify_rate = 1000;
  double notify_seconds = 5;
  // Server measured per request (0: not measured); with its direct children.
  pid_t server_pid = 0;
  // Only the version-route phase, no logins; reported as "RESULT reference
  // label=<label> <label>_ops_per_s=... <label>_cpu_us_per_req=...".
  bool only_version = false;
  std::string label = "reference";
};

// Prints the figures and "RESULT rest ..." / "RESULT notify ..." lines (or
// one "RESULT reference ..." line with only_version).
// Returns 0 when it ran, 1 when the setup failed.
int RunRest(const RestOptions& options);

}  // namespace workbind::bench
