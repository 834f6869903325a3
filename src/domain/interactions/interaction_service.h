// InteractionService: the interaction operations
// (Create, Accept, Reject, Complete, Transfer, PlaceInQueue, user data,
// SetInFocus), the user-data changes on any interaction by supervisors,
// admins and API users, and the reads. Every change is one write transaction
// holding all checks, the change, the caller's referenceId and the history
// events; the notifications follow the commit, and the router is triggered when
// a queue or an agent's load changed. Thread-safe; methods block on storage.
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "domain/core/commit_step.h"
#include "domain/core/principal.h"
#include "domain/directory/directory.h"
#include "domain/interactions/interaction_model.h"
#include "domain/interactions/interaction_render.h"
#include "domain/interactions/routing_trigger.h"
#include "domain/interactions/service_deps.h"
#include "domain/notifications/notifier.h"
#include "storage/store.h"

namespace workbind::domain {

// Optional email fields of Create and Submit.
struct NewInteraction;  // interaction_moves.h

struct EmailFields {
  std::optional<std::string> from, subject, body, mime;
  std::optional<std::vector<std::string>> to, cc, bcc;

  // Sets the email fields of a new interaction `r`; an absent field is
  // empty.
  void ApplyTo(NewInteraction* r) const;
};

// POST /me/<media> Create.
struct CreateRequest {
  std::string queue_id;  // last segment of queueUri
  std::optional<std::string> parent_id;
  std::optional<std::string> contact_id;
  boost::json::object user_data;
  EmailFields email;
};

// An operation on one interaction, its body decoded.
struct OperationRequest {
  InteractionOp op = InteractionOp::kSetInFocus;
  bool save_lar = false;                  // Accept, Complete
  std::optional<std::string> nickname;    // Accept (chat)
  std::optional<std::string> queue_name;  // Complete, Transfer, PlaceInQueue
  std::optional<std::string>
      target_user_id;             // Transfer: last segment of userUri
  boost::json::object user_data;  // Attach/UpdateUserData
  std::vector<std::string> keys;  // DeleteUserData
};

// The item route an operation came through: /me/<media>/{id} or its alias
// /<media>/{id}. An interaction the caller may not read gets the reply the GET
// of the same route gives.
enum class ItemRoute { kMine, kAlias };

struct CreateResult {
  int64_t reference_id = 0;
  std::string id;
};

class InteractionService {
 public:
  // `deps.trigger` may be null (no routing).
  explicit InteractionService(const ServiceDeps& deps);

  // Create on the collection of `media_type`. kInvalidState for a
  // chat; kInvalidArgument/kReadOnly for bad user data, kInvalidArgument
  // for a bad contactId; kNotFound for an unknown open-media type, queue or
  // parentId.
  // Create and Operate run `step` (when given) in their transaction, with
  // the referenceId (and Create's new id), after the change succeeded.
  Result<CreateResult> Create(const Principal& who,
                              const std::string& media_type,
                              const CreateRequest& request,
                              const CommitStep& step = {});

  // An operation on interaction `id` through `route` of `route_media` (a
  // media type, or "" for any). Returns the caller's referenceId.
  // Errors, first failing check wins: kInvalidArgument/kReadOnly for bad
  // user data or keys, kInvalidArgument for a transfer to oneself;
  // kNotFound for an unknown id, an id of another media (or contact
  // center); for an interaction the caller may not read (MayRead), whatever
  // its state, owner or location: kNotFound exactly as for an unknown id
  // through kMine, kPermissionDenied (NotVisible) through kAlias, as GET
  // answers on that route; then kNotFound for an unknown queue or transfer
  // target; kInvalidState when the operation is not among the caller's
  // capabilities or the transfer target is not logged in on the
  // interaction's channel; kInvalidArgument when user data would exceed 256
  // keys.
  Result<int64_t> Operate(const Principal& who, ItemRoute route,
                          const std::string& route_media, const std::string& id,
                          const OperationRequest& request,
                          const CommitStep& step = {});

  // Attach/Update/DeleteUserData through POST /interactions/{id},
  // by a supervisor who may see it, an admin or an API user. kNotFound,
  // kPermissionDenied (not visible, or an agent), kInvalidState when
  // Completed; user-data errors as Operate.
  Result<int64_t> ChangeUserDataOfAny(const Principal& who,
                                      const std::string& id,
                                      const OperationRequest& request);

  // The caller's own interactions (Invited or working) of `media` (a media
  // type; "openmedia" for every open-media type), ordered by receivedDate
  // then id. kNotFound for an open-media type the contact center lacks.
  Result<std::vector<boost::json::object>> ListMine(const Principal& who,
                                                    const std::string& media);
  // One of the caller's own interactions through /me; kNotFound for
  // anything else.
  Result<boost::json::object> GetMine(const Principal& who,
                                      const std::string& route_media,
                                      const std::string& id);
  // Any interaction the caller may see (alias routes; /interactions/{id}
  // with the ownerId/workbinId/queueName keys when `extended`).
  // kNotFound for an unknown id (or media mismatch), kPermissionDenied when
  // it is not visible.
  Result<boost::json::object> GetVisible(const Principal& who,
                                         const std::string& route_media,
                                         const std::string& id, bool extended);
  // The history of interaction `id`, oldest first (extensions.md §4), each
  // event rendered by RenderHistoryEvent. kNotFound for an unknown id (or
  // one of another contact center); kPermissionDenied when the caller may
  // not read the interaction and does not appear in its history.
  Result<boost::json::array> History(const Principal& who,
                                     const std::string& id);

 private:
  Status CheckOpenMediaType(const Directory& dir,
                            const std::string& route_media) const;
  Result<storage::InteractionRecord> Find(storage::ReadTx& tx,
                                          const Directory& dir,
                                          const std::string& route_media,
                                          const std::string& id) const;

  const ServiceDeps deps_;
};

}  // namespace workbind::domain
