// Interaction history (extensions.md §4): rendering of stored history events
// and the rule of who may read them. Pure functions; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "storage/records.h"

namespace workbind::domain {

// One event as the history route renders it: seq, at (ISO 8601 UTC with
// milliseconds), event, then userId/userName/referenceId, state, ownerId,
// fromQueue/toQueue, fromWorkbinId/toWorkbinId and details, each optional
// key only when the record holds it.
boost::json::object RenderHistoryEvent(const storage::HistoryEventRecord& e);

// True when `user_id` acted on the interaction or had it offered (or owned
// it) according to `events`.
bool AppearsInHistory(const std::vector<storage::HistoryEventRecord>& events,
                      const std::string& user_id);

}  // namespace workbind::domain
