// The Bayeux fan-out benchmark (after the CometD project's own benchmark):
// `clients` subscribers (long-polling or WebSocket), each subscribed to
// `rooms_per_client` random rooms out of `rooms`; `publishers` sessions publish
// batches of `batch` messages of `message_bytes` to random rooms at a paced
// rate. The rate steps through `rates` (published messages/s); each message
// carries its send time, so every delivery gives one latency sample.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "bayeux_client.h"
#include "http_client.h"

namespace workbind::bench {

struct FanoutOptions {
  std::string label = "server";  // names the run in the RESULT line
  Endpoint endpoint;
  std::string path = "/api/v2/notifications";
  BayeuxTransport transport = BayeuxTransport::kLongPolling;
  // "Basic ..."; empty: none. Long-polling: sent on each handshake.
  // WebSocket: each client first logs in with it (REST) and sends the
  // session cookie on its upgrade request.
  std::string authorization;
  int clients = 1000;
  int rooms = 100;
  int rooms_per_client = 10;
  int publishers = 10;
  int batch = 10;
  int message_bytes = 50;  // serialized size of each message's data
  std::vector<int> rates = {100, 200, 400, 800, 1600, 3200, 6400};
  double step_seconds = 5;
  double drain_seconds = 2;  // after a step, time to wait for stragglers
  // A step is sustained when this share of the deliveries arrived and p99
  // stayed at most saturation_p99_ms; stepping stops at the first step that
  // is not. Steps with p99 at most goal_p99_ms are also reported apart.
  double min_delivered = 0.99;
  double saturation_p99_ms = 1000;
  double goal_p99_ms = 50;
  pid_t server_pid = 0;  // when set, the server's CPU use is reported too
  int sources = 1;       // spread over 127.0.0.1 .. 127.0.0.<sources>
  uint32_t seed = 1;
};

// Runs the benchmark against one server and prints one line per step and a
// final "RESULT fanout-<label> ..." line: the best sustained step
// (msgs_per_s, p50/p99/max) and the best step within the goal latency
// (goal_msgs_per_s, goal_p99_ms; 0 when none), and with server_pid the
// server's VmRSS and VmHWM at the end (server_rss_kib, server_hwm_kib; -1
// when unknown).
// Returns 0 when it ran (whatever the figures), 1 when the setup failed.
int RunFanout(const FanoutOptions& options);

}  // namespace workbind::bench
