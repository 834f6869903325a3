// How workbins are shown: the workbin resource, the names of its
// definition and owner, the user-data keys an interaction gets when it
// enters a workbin, and the WorkbinStatsMessage parts. Pure functions over a
// directory snapshot; thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "domain/directory/directory.h"
#include "storage/records.h"

namespace workbind::domain {

// The name of the workbin's definition ("" when the directory no longer has
// it).
std::string DefinitionName(const Directory& dir,
                           const storage::WorkbinRecord& w);

// The workbin resource: id, name, workbinName, displayName, type, the owner
// key (ownerId, place, agentGroup or placeGroup), uri and path.
boost::json::object WorkbinResource(const Directory& dir,
                                    const storage::WorkbinRecord& w,
                                    const std::string& base_url);

// `user_data` (serialized) without earlier workbin keys, then Workbin (the
// definition name) and the owner key of `w`'s type (WorkbinAgentId,
// WorkbinPlaceId, WorkbinAgentGroupId or WorkbinPlaceGroupId, the owner's
// name).
std::string WithWorkbinKeys(const Directory& dir,
                            const storage::WorkbinRecord& w,
                            const std::string& user_data);

// The owner identifier of the stats messages: the owner's user id for an
// Agent workbin, else the place or group name.
std::string StatsOwner(const Directory& dir, const storage::WorkbinRecord& w);

// The data of the WorkbinStatsMessage of RequestStats for `w` holding
// `items`: their number and, when any, the earliest and latest entry times
// (ISO 8601 UTC in whole seconds).
boost::json::object WorkbinStatsMessage(
    const Directory& dir, const storage::WorkbinRecord& w,
    const std::vector<storage::InteractionRecord>& items);

// One workbin's entry in the WorkbinStatsMessage of RequestAgentStats:
// Count, Owner (StatsOwner) and Type.
boost::json::object WorkbinCountStats(const Directory& dir,
                                      const storage::WorkbinRecord& w,
                                      int64_t count);

}  // namespace workbind::domain
