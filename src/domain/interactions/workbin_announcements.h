// What is told when an interaction held by a workbin changes: the
// WorkbinContentChanged message, its audience, and the owner keys a workbin
// carries in resources and notifications. Here, beside the interaction
// moves, because both the workbin operations and the interaction operations
// (user data of an interaction in a workbin) announce such changes.
// Functions over a write transaction; thread-safe as long as the transaction
// is not shared.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/directory/directory.h"
#include "domain/interactions/interaction_moves.h"
#include "storage/store.h"

namespace workbind::domain {

// The name of the owner of `w`: user name, place name or group name ("" when
// the directory no longer has it).
std::string WorkbinOwnerName(const Directory& dir,
                             const storage::WorkbinRecord& w);

// Sets the owner key of `w` in `o`: `agent_key` (the user id) for an Agent
// workbin, else place, agentGroup or placeGroup (the name).
void AddWorkbinOwnerKey(const Directory& dir, const storage::WorkbinRecord& w,
                        std::string_view agent_key, boost::json::object* o);

// Queues WorkbinContentChanged (`action`: ItemAdded, ItemRemoved or
// ItemUpdated) about `r`, rendered in the workbin's view, for the audience
// of `w`: its subscribers, the owner of an Agent workbin and the actor
// (whose copy carries its referenceId); each once.
Status QueueWorkbinContentChanged(TxScope& s, const storage::WorkbinRecord& w,
                                  const storage::InteractionRecord& r,
                                  std::string_view action, const Actor& actor);

}  // namespace workbind::domain
