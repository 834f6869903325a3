// Who may read an interaction and which workbins a user sees. Functions over a
// read transaction and a directory snapshot; thread-safe as long as the
// transaction is not shared.
#pragma once

#include <string>

#include "common/status.h"
#include "domain/core/principal.h"
#include "domain/directory/directory.h"
#include "storage/store.h"

namespace workbind::domain {

// True when `supervisor_id` has ROLE_SUPERVISOR and supervises `user_id`
//.
bool Supervises(const Directory& dir, const std::string& supervisor_id,
                const std::string& user_id);

// The user's current place: the place of its contact-center session, else
// its default place; "" when none.
Result<std::string> CurrentPlace(storage::ReadTx& tx, const Directory& dir,
                                 const std::string& user_id);

// Whether workbin `w` is in visible(user).
Result<bool> WorkbinVisible(storage::ReadTx& tx, const Directory& dir,
                            const storage::UserRecord& user,
                            const storage::WorkbinRecord& w);

// Whether `w` is in own(user) ∪ groups(user): the user's Agent workbins,
// the Place workbin of its current place, the workbins of its agent groups
// (member or supervisor) and of the place groups holding its current place.
Result<bool> WorkbinOfUser(storage::ReadTx& tx, const Directory& dir,
                           const std::string& user_id,
                           const storage::WorkbinRecord& w);

// Whether `who` may read `r`: its owner or offeree, anyone who sees the
// workbin holding it, a supervisor of its owner, offeree or last owner or
// of the agent group its queue delivers to, and admins and API users.
Result<bool> MayRead(storage::ReadTx& tx, const Directory& dir,
                     const Principal& who, const storage::InteractionRecord& r);

// The two replies about an interaction a caller may not read. Each names only
// the id the caller sent: nothing of the interaction's state, media, owner,
// queue or workbin. Every operation checks MayRead right after the lookup and
// before any state, capability, media or conflict check, and answers with the
// reply the read of the same id gives that caller:
//  - UnknownInteraction (kNotFound, "No such interaction '<id>'"), the reply
//    to an id that does not exist: GET and POST /me/<media>/{id};
//  - NotVisible (kPermissionDenied, "Interaction <id> is not visible to user
//    '<user_name>'"): GET and POST /<media>/{id} and /interactions/{id}, and
//    the interaction of a workbin operation.
Status UnknownInteraction(const std::string& id);
Status NotVisible(const std::string& id, const std::string& user_name);

// Whether interaction `interaction_id` ever entered workbin `workbin_id`
// (its history has an event with that destination). A caller who sees a
// workbin may learn that an interaction it could have seen there has left it
// (a lost Pull or Move race), and nothing else.
Result<bool> EverInWorkbin(storage::ReadTx& tx,
                           const std::string& interaction_id,
                           const std::string& workbin_id);

}  // namespace workbind::domain
