// The idle-session memory benchmark: opens `sessions` Bayeux sessions of one
// user (one HTTP session shared by all, like tabs of one browser with
// per-browser counting off), each subscribed to /v2/me/* and holding one
// /meta/connect on its own connection (a long-poll, or a WebSocket whose
// upgrade carries the session cookie), and reports the growth of the
// server's VmRSS per session.
#pragma once

#include <sys/types.h>

#include <string>

#include "bayeux_client.h"
#include "http_client.h"

namespace workbind::bench {

struct IdleOptions {
  Endpoint endpoint;
  std::string authorization;  // "Basic ..." of the user
  int sessions = 1000;
  pid_t server_pid = 0;  // whose VmRSS is read
  int sources = 1;       // spread over 127.0.0.1 .. 127.0.0.<sources>
  double settle_seconds = 2;
  BayeuxTransport transport = BayeuxTransport::kLongPolling;
};

// Prints the figures and a "RESULT idle ..." line (with transport=). Returns 0
// when it ran, 1 when sessions could not be opened.
int RunIdle(const IdleOptions& options);

}  // namespace workbind::bench
