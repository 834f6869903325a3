// The Bayeux extensions the broker understands in request messages
// (notifications.md §12): ack and timesync. Replay (extensions.md §2) is
// handled by the broker with the replay store. Pure functions.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>

#include "cometd/session.h"

namespace workbind::cometd {

// Handshake: true when ext.ack is true (the session becomes ack-enabled).
bool AckRequested(const boost::json::object& handshake);
// Connect: the batch acknowledged by ext.ack, when it is an integer.
std::optional<int64_t> AckedBatch(const boost::json::object& connect);

// ext.timesync of `message` ({"tc":..,"l":..,"o":..}), stamped with the
// server receive time `ts_ms`; nullopt when absent or without a numeric tc.
std::optional<Timesync> ReadTimesync(const boost::json::object& message,
                                     int64_t ts_ms);
// The reply's ext.timesync at `now_ms`: {tc, ts, p} when the client sent no
// `l`; {tc, ts, p, a} when `l` is 0 or |a| >= 25; nullopt otherwise.
std::optional<boost::json::object> TimesyncReply(const Timesync& t,
                                                 int64_t now_ms);
// Adds ext.timesync to `reply` (merging with an existing ext) when due.
void AddTimesyncReply(const std::optional<Timesync>& t, int64_t now_ms,
                      boost::json::object* reply);

}  // namespace workbind::cometd
