// Who a workbin request acts as and what it addresses: the caller, the user
// of a by-user route, the addressed workbin (with its errors in the order of
// the API) and the interaction an Add, Pull or Move names, with the checks
// made on it before anything changes. Functions over a read transaction and
// a directory snapshot; thread-safe as long as the transaction is not
// shared.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/core/principal.h"
#include "domain/directory/directory.h"
#include "domain/interactions/interaction_moves.h"
#include "domain/workbins/workbin_service.h"
#include "storage/store.h"

namespace workbind::domain {

// What a workbin operation works with inside its one transaction (made by
// WorkbinService::InScope). Valid for that call only.
struct WorkbinScope {
  storage::ReadTx& tx;
  TxScope* change;       // a write: the same transaction, its notifications
                         // and now_ms; null when reading
  const Directory& dir;  // the caller's contact center
  const storage::UserRecord& me;          // the caller
  const storage::WorkbinRecord* workbin;  // the addressed one, or null
  int64_t now_ms;  // the clock, read once before the transaction
};

bool HasRole(const storage::UserRecord& u, std::string_view role);

// Whether `w` is the Agent workbin of `user_id` or the Place workbin of
// `place_id` (own(U) for a user at that place).
bool IsOwnPlaceOrAgent(const storage::WorkbinRecord& w,
                       const std::string& user_id, const std::string& place_id);

// The caller's user record; kNotFound "No such user" when the directory no
// longer has it.
Result<const storage::UserRecord*> Caller(const Directory& dir,
                                          const Principal& who);

// The user named by a by-user route, when the caller may act for it:
// kNotFound for an unknown (or malformed) user id, kPermissionDenied when
// `me` may not act for it.
Result<const storage::UserRecord*> TargetUser(const Directory& dir,
                                              const storage::UserRecord& me,
                                              const std::string& user_id);

// The workbin `id` if it exists in the directory, the caller sees it and it
// matches the address. Errors in the order of the API: kNotFound for an
// unknown id; by user, TargetUser's, then kNotFound when the workbin is not
// that user's; kPermissionDenied when not visible to `me`; kNotFound for an
// unknown group or a workbin outside the group named by `at`.
Result<const storage::WorkbinRecord*> FindAddressed(
    storage::ReadTx& tx, const Directory& dir, const storage::UserRecord& me,
    const std::string& id, const WorkbinAddress& at);

// The interaction `id` of this contact center; UnknownInteraction
// (kNotFound) for a malformed, unknown or foreign id.
Result<storage::InteractionRecord> FindInteraction(storage::ReadTx& tx,
                                                   const Directory& dir,
                                                   const std::string& id);

// The access check of Pull and Move, made before the media and conflict
// checks: OK when `r` is in workbin `w` (which the caller sees), or the
// caller may read it, or it once was in `w` (a lost race). Else NotVisible
// (kPermissionDenied), whatever its state, owner or location.
Status CheckTakeable(storage::ReadTx& tx, const Directory& dir,
                     const Principal& who, const storage::InteractionRecord& r,
                     const storage::WorkbinRecord& w);

// kInvalidState "Operation '<name>' does not match media type '<type>'"
// when the operation of `req` is bound to another media than `r`'s.
Status CheckMedia(const WorkbinItemRequest& req,
                  const storage::InteractionRecord& r);

}  // namespace workbind::domain
