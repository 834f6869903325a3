// The REST benchmark: `agents` simulated agents, each on its own keep-alive
// connection with its own HTTP session, working on their own Agent
// workbins. Phases, one after another in one run:
//  1. cycle: Add -> GetWorkbinContent (`items` items) -> Pull, closed loop;
//  2. content: GetWorkbinContent of `items` items only, closed loop;
//  3. ceiling: GET /api/v2/diagnostics/version (no auth, no storage);
//  4. notify (when notify_rate > 0): Add/Pull paced at notify_rate ops/s in
//     total, each agent also holding a CometD session subscribed to
//     /v2/me/workbins; the time from each HTTP reply to the arrival of the
//     WorkbinContentChanged carrying its referenceId.
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
  // When > 0: the server's process; each closed-loop phase reports its CPU
  // time per request ("RESULT rest_cpu ...").
  pid_t server_pid = 0;
};

// Prints the figures and "RESULT rest ..." / "RESULT notify ..." lines.
// Returns 0 when it ran, 1 when the setup failed.
int RunRest(const RestOptions& options);

}  // namespace workbind::bench
