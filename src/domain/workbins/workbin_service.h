// WorkbinService: the workbin operations of one contact center — listing
// workbins and their content, putting an interaction into a workbin (Add),
// taking it out (Pull) and the per-user subscriptions to content changes.
// Every change is one write transaction holding the checks, a conditional
// update of the interaction, the caller's referenceId and the history
// events; notifications follow the commit. Thread-safe; methods block on
// storage.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "domain/core/commit_step.h"
#include "domain/core/principal.h"
#include "domain/directory/directory.h"
#include "domain/interactions/interaction_moves.h"
#include "domain/interactions/interaction_render.h"
#include "domain/interactions/routing_trigger.h"
#include "domain/interactions/service_deps.h"
#include "domain/notifications/notifier.h"
#include "domain/workbins/workbin_content_query.h"
#include "storage/store.h"

namespace workbind::domain {

struct WorkbinScope;  // workbin_access.h

// One interaction held by a workbin, rendered in the workbin's view
// (InWorkbin, no capabilities).
struct WorkbinItem {
  std::string media_type;
  boost::json::object resource;
};

// A workbin resource and, when asked for, its content in content order.
struct WorkbinContent {
  boost::json::object workbin;
  std::vector<WorkbinItem> items;
  // With a ContentQuery (extensions.md §1): the matching total, the cursor
  // of the next page (empty: none) and, for count=true, counts per media.
  bool paged = false;
  int64_t total = 0;
  std::string next_cursor;
  std::map<std::string, int64_t> counts;
};

// How a request addresses workbins beyond their ids: the {userId} of a
// by-user route, and the agentGroup= / placeGroup= checks.
struct WorkbinAddress {
  std::string for_user_id;  // "" unless a by-user route
  std::string group_type;   // "", "AgentGroup" or "PlaceGroup"
  std::string group_name;
};

// The body of an Add or Pull, decoded.
struct WorkbinItemRequest {
  std::string operation;       // the operationName, for error messages
  std::string media;           // "" any; "openmedia": custom types only
  std::string interaction_id;  // from `id` or the last segment of `uri`
  bool save_lar = false;       // Add
  std::optional<std::string> nickname;  // Pull of a chat
  std::string to_workbin_id;            // MoveInteraction
};

class WorkbinService {
 public:
  // `deps.trigger` may be null (no routing).
  explicit WorkbinService(const ServiceDeps& deps);

  // The workbins the caller sees: own(U) when `own_only`, else visible(U);
  // with `for_user_id`, own(that user) for a caller who may act for it
  // (kNotFound for an unknown user, kPermissionDenied otherwise). Ordered by
  // type, name, owner name, id. Content included when `with_content`.
  Result<std::vector<WorkbinContent>> List(const Principal& who, bool own_only,
                                           bool with_content,
                                           const std::string& for_user_id = "");
  // One workbin. Errors common to every operation, in order: kNotFound for
  // an unknown or malformed id (or another contact center's); by user:
  // kNotFound for an unknown user, kPermissionDenied when the caller may not
  // act for it, kNotFound when the workbin is not that user's;
  // kPermissionDenied when not visible; kNotFound for an unknown group or a
  // workbin outside the group named by `at`.
  // With `query`, the content is the page it selects (kInvalidArgument for
  // a cursor of another query; `scope` names the addressed collection).
  Result<WorkbinContent> Get(const Principal& who,
                             const std::string& workbin_id, bool with_content,
                             const WorkbinAddress& at = {},
                             const ContentQuery* query = nullptr,
                             const std::string& scope = "");

  // Add, Pull and Move run `step` (when given) in their transaction, with
  // the referenceId, after the change succeeded.
  // Add: the interaction goes into the workbin. Returns the caller's
  // referenceId. Errors in check order: the workbin's (as Get); kNotFound
  // for the interaction (UnknownInteraction); kPermissionDenied
  // (NotVisible) when the caller may not read it (MayRead), whatever its
  // state or location; kInvalidState on a media mismatch; kInUse when it
  // already is in a workbin; kInvalidState for the caller's own Invited
  // interaction or a Completed one; kPermissionDenied when it is not the
  // caller's and the caller has no supervisor/admin role. On a by-user
  // route saveLAR records {userId} as the last agent.
  Result<int64_t> Add(const Principal& who, const std::string& workbin_id,
                      const WorkbinItemRequest& request,
                      const WorkbinAddress& at = {},
                      const CommitStep& step = {});
  // Pull: the caller becomes the owner, in the remembered working state.
  // Errors: the workbin's; kNotFound for the interaction; kPermissionDenied
  // (NotVisible) when it is not in this workbin, the caller may not read it
  // and it never was in this workbin; kInvalidState on a media mismatch;
  // kInUse when it is not (or no longer) in this workbin.
  Result<int64_t> Pull(const Principal& who, const std::string& workbin_id,
                       const WorkbinItemRequest& request,
                       const WorkbinAddress& at = {},
                       const CommitStep& step = {});
  // Subscribe (`on`) or Unsubscribe the caller to each workbin, all or
  // nothing, in one transaction; idempotent. Returns one referenceId per
  // id, in order. Errors: the first failing workbin's; kInvalidArgument
  // when the caller would hold more than kMaxSubscriptionsPerUser.
  Result<std::vector<int64_t>> Subscribe(
      const Principal& who, const std::vector<std::string>& workbin_ids,
      bool on, const WorkbinAddress& at = {});

  // Ends every workbin subscription of the user (its last HTTP session
  // ended, auth.md §3.2); records an Unsubscribed message per workbin, with
  // no referenceId. OK when there was none.
  Status EndSubscriptionsOf(const std::string& contact_center_id,
                            const std::string& user_id);

  // MoveInteraction: from workbin `workbin_id` (addressed by `at`) to
  // request.to_workbin_id in one step; it stays InWorkbin. Errors in order:
  // the source's (as Get); kInvalidArgument when both are the same; the
  // destination's (kNotFound, by user kNotFound when not {userId}'s,
  // kPermissionDenied when not visible); kNotFound for the interaction;
  // kPermissionDenied (NotVisible) as for Pull; kInUse when it is not in the
  // source.
  Result<int64_t> Move(const Principal& who, const std::string& workbin_id,
                       const WorkbinItemRequest& request,
                       const WorkbinAddress& at = {},
                       const CommitStep& step = {});

  // RequestStats: sends the caller a WorkbinStatsMessage with the item
  // count and the earliest and latest entry times. Returns the caller's
  // referenceId. Errors: the workbin's (as Get).
  Result<int64_t> RequestStats(const Principal& who,
                               const std::string& workbin_id,
                               const WorkbinAddress& at = {});

  // RequestAgentStats: sends the caller a WorkbinStatsMessage with the
  // item count of every workbin of `workbin_type` whose owner is
  // `workbin_owner` (a user name or id, place or group name), or, when
  // absent, the subject's own (the caller, or `for_user_id`). Errors:
  // by user as List; kInvalidArgument for an unknown type; kNotFound for an
  // unknown owner, or by user a workbin not the user's; kPermissionDenied
  // when a reported workbin is not visible to the caller.
  Result<int64_t> RequestAgentStats(
      const Principal& who, const std::string& for_user_id,
      const std::string& workbin_type,
      const std::optional<std::string>& workbin_owner);

  static constexpr int64_t kMaxSubscriptionsPerUser = 1000;

 private:
  enum class TxKind { kRead, kWrite };
  using ScopeFn = std::function<Status(WorkbinScope&)>;
  // The prologue every operation of a caller shares: the clock read once,
  // one transaction (kRead: Store::Read; kWrite: through the notifier, whose
  // notifications follow the commit), the directory snapshot of the
  // caller's contact center, the caller (kNotFound "No such user") and,
  // when `workbin_id` is not null, the workbin it addresses with `at`
  // (FindAddressed: the errors of Get, in order); then `fn`, whose status
  // is the transaction's. `fn` runs again when the store retries.
  Status InScope(const Principal& who, TxKind kind,
                 const std::string* workbin_id, const WorkbinAddress& at,
                 const ScopeFn& fn) const;
  using ChangeFn = std::function<Result<int64_t>(WorkbinScope&)>;
  // The frame of Add, Pull and Move: InScope (kWrite) on the addressed
  // workbin, where `change` makes its checks and its change and returns the
  // caller's referenceId; then `step` (when given) with that referenceId, in
  // the same transaction. Returns the referenceId or the first error.
  Result<int64_t> ChangeItem(const Principal& who,
                             const std::string& workbin_id,
                             const WorkbinAddress& at, const CommitStep& step,
                             const ChangeFn& change) const;

  const ServiceDeps deps_;
};

}  // namespace workbind::domain
