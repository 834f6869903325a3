// ServerLimits: the transport's named limits and timeouts (settings http.* and
// notifications.ws*). Plain value.
#pragma once

#include <cstddef>

namespace workbind::net {

// Sizes are in bytes, timeouts in seconds; a timeout of 0 disables it.
struct ServerLimits {
  size_t max_body_bytes = 1048576;
  size_t max_header_bytes = 16384;
  int header_timeout_seconds = 10;
  int read_timeout_seconds = 30;
  int write_timeout_seconds = 30;
  int idle_timeout_seconds = 60;
  int max_pipelined_requests = 16;
  size_t max_pending_response_bytes = 4194304;
  int max_connections = 10000;
  // WebSocket
  size_t ws_max_message_bytes = 1048576;
  int ws_idle_timeout_seconds = 60;
  size_t ws_max_pending_bytes = 4194304;
};

}  // namespace workbind::net
