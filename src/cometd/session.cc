#include "cometd/session.h"

#include "cometd/channel.h"

namespace workbind::cometd {

std::string_view TransportName(Transport t) {
  switch (t) {
    case Transport::kLongPolling:
      return "long-polling";
    case Transport::kCallbackPolling:
      return "callback-polling";
    case Transport::kWebSocket:
      return "websocket";
  }
  return "";
}

std::string_view EndReasonName(EndReason r) {
  switch (r) {
    case EndReason::kDisconnect:
      return "disconnect";
    case EndReason::kExpired:
      return "expired";
    case EndReason::kOverflow:
      return "overflow";
    case EndReason::kLogout:
      return "logout";
    case EndReason::kShutdown:
      return "shutdown";
  }
  return "";
}

bool Session::SubscribedTo(std::string_view channel) const {
  for (const auto& p : subscriptions)
    if (ChannelMatches(p, channel)) return true;
  return false;
}

}  // namespace workbind::cometd
