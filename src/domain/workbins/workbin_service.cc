#include "domain/workbins/workbin_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <ctime>

#include "common/ids.h"
#include "domain/core/user_data.h"
#include "domain/interactions/interaction_access.h"
#include "domain/interactions/interaction_moves.h"
#include "domain/interactions/workbin_announcements.h"
#include "domain/workbins/workbin_subscriptions.h"

namespace workbind::domain {
namespace json = boost::json;
namespace {

// The details of AddedToWorkbin / PulledFromWorkbin history events
// (extensions.md §4), with the canonical operationName.
std::string OperationDetails(const std::string& operation) {
  const std::string name = operation == "AddInteractionToWorkbin"
                               ? std::string("AddInteraction")
                               : operation;
  return json::serialize(json::object{{"operationName", name}});
}

constexpr std::string_view kWorkbinUserDataKeys[] = {
    "Workbin", "WorkbinAgentId", "WorkbinPlaceId", "WorkbinAgentGroupId",
    "WorkbinPlaceGroupId"};

int TypeRank(const std::string& type) {
  if (type == "Agent") return 0;
  if (type == "Place") return 1;
  if (type == "AgentGroup") return 2;
  return 3;
}

std::string DefinitionName(const Directory& dir,
                           const storage::WorkbinRecord& w) {
  const auto* d = dir.DefinitionById(w.definition_id);
  return d ? d->name : std::string();
}

json::object Resource(const Directory& dir, const storage::WorkbinRecord& w,
                      const std::string& base_url) {
  const auto* d = dir.DefinitionById(w.definition_id);
  json::object o;
  o["id"] = w.id;
  o["name"] = d ? d->name : "";
  o["workbinName"] = d ? d->name : "";
  o["displayName"] = d ? d->display_name : "";
  o["type"] = w.owner_type;
  AddWorkbinOwnerKey(dir, w, "ownerId", &o);
  const std::string path = "/workbins/" + w.id;
  o["uri"] = base_url + path;
  o["path"] = path;
  return o;
}

// The user-data key naming the owner of a workbin of this type.
std::string_view OwnerUserDataKey(const std::string& type) {
  if (type == "Agent") return "WorkbinAgentId";
  if (type == "Place") return "WorkbinPlaceId";
  if (type == "AgentGroup") return "WorkbinAgentGroupId";
  return "WorkbinPlaceGroupId";
}

// `user_data` without earlier workbin keys, then Workbin and the owner key.
std::string WithWorkbinKeys(const Directory& dir,
                            const storage::WorkbinRecord& w,
                            const std::string& user_data) {
  json::object ud = ParseUserData(user_data);
  for (auto key : kWorkbinUserDataKeys) ud.erase(key);
  ud["Workbin"] = DefinitionName(dir, w);
  ud[OwnerUserDataKey(w.owner_type)] = WorkbinOwnerName(dir, w);
  return SerializeUserData(ud);
}

bool HasRole(const storage::UserRecord& u, std::string_view role) {
  return std::find(u.roles.begin(), u.roles.end(), role) != u.roles.end();
}

bool IsOwnPlaceOrAgent(const storage::WorkbinRecord& w,
                       const std::string& user_id,
                       const std::string& place_id) {
  if (w.owner_type == "Agent") return w.owner_id == user_id;
  if (w.owner_type == "Place")
    return !place_id.empty() && w.owner_id == place_id;
  return false;
}

Result<const storage::UserRecord*> Caller(const Directory& dir,
                                          const Principal& who) {
  const auto* me = dir.UserById(who.user_id);
  if (!me) return NotFound("No such user");
  return me;
}

// The user named by a by-user route, when the caller may act for it.
Result<const storage::UserRecord*> TargetUser(const Directory& dir,
                                              const storage::UserRecord& me,
                                              const std::string& user_id) {
  const auto* target = ids::IsHex32(user_id) ? dir.UserById(user_id) : nullptr;
  if (!target) return NotFound("No such user '" + user_id + "'");
  if (!dir.MayActFor(me, target->id))
    return PermissionDenied("User '" + me.user_name +
                            "' may not act for user '" + target->user_name +
                            "'");
  return target;
}

// The workbin `id` if it exists in the directory, the caller sees it and
// it matches the address (by-user route, group parameter); errors in the
// order of the API.
Result<const storage::WorkbinRecord*> FindAddressed(
    storage::ReadTx& tx, const Directory& dir, const storage::UserRecord& me,
    const std::string& id, const WorkbinAddress& at) {
  const auto* w = dir.WorkbinById(id);
  if (!w) return NotFound("No such workbin '" + id + "'");
  if (!at.for_user_id.empty()) {
    WB_ASSIGN_OR_RETURN(const storage::UserRecord* target,
                        TargetUser(dir, me, at.for_user_id));
    WB_ASSIGN_OR_RETURN(bool of_user, WorkbinOfUser(tx, dir, target->id, *w));
    if (!of_user)
      return NotFound("Workbin " + id + " is not a workbin of user '" +
                      target->user_name + "'");
  }
  WB_ASSIGN_OR_RETURN(bool visible, WorkbinVisible(tx, dir, me, *w));
  if (!visible)
    return PermissionDenied("Workbin " + id + " is not visible to user '" +
                            me.user_name + "'");
  if (!at.group_type.empty()) {
    const bool agent_group = at.group_type == "AgentGroup";
    const char* what = agent_group ? "agent group" : "place group";
    std::string group_id;
    if (agent_group) {
      if (const auto* g = dir.AgentGroupByName(at.group_name)) group_id = g->id;
    } else if (const auto* g = dir.PlaceGroupByName(at.group_name)) {
      group_id = g->id;
    }
    if (group_id.empty())
      return NotFound("No such " + std::string(what) + " '" + at.group_name +
                      "'");
    if (w->owner_type != at.group_type || w->owner_id != group_id)
      return NotFound("Workbin " + id + " does not belong to " + what + " '" +
                      at.group_name + "'");
  }
  return w;
}

Result<storage::InteractionRecord> FindInteraction(storage::ReadTx& tx,
                                                   const Directory& dir,
                                                   const std::string& id) {
  const Status missing = UnknownInteraction(id);
  if (!ids::IsInteractionIdLike(id)) return missing;
  WB_ASSIGN_OR_RETURN(auto r, tx.GetInteraction(id));
  if (!r || r->contact_center_id != dir.contact_center().id) return missing;
  return std::move(*r);
}

// The access check of Pull and Move, made before the media and conflict
// checks: `r` is in workbin `w` (which the caller sees), or the caller may
// read it, or it once was in `w` (a lost race). Else NotVisible, whatever
// its state, owner or location.
Status CheckTakeable(storage::ReadTx& tx, const Directory& dir,
                     const Principal& who, const storage::InteractionRecord& r,
                     const storage::WorkbinRecord& w) {
  if (r.state == "InWorkbin" && r.workbin_id == w.id) return Status::Ok();
  WB_ASSIGN_OR_RETURN(bool readable, MayRead(tx, dir, who, r));
  if (readable) return Status::Ok();
  WB_ASSIGN_OR_RETURN(bool was_here, EverInWorkbin(tx, r.id, w.id));
  if (was_here) return Status::Ok();
  return NotVisible(r.id, who.user_name);
}

Status CheckMedia(const WorkbinItemRequest& req,
                  const storage::InteractionRecord& r) {
  if (WorkbinOperationMatches(req.media, r.media_type)) return Status::Ok();
  return InvalidState("Operation '" + req.operation +
                      "' does not match media type '" + r.media_type + "'");
}

// ISO 8601 UTC in whole seconds ("2024-05-14T09:40:02Z").
std::string IsoSeconds(int64_t utc_millis) {
  const std::time_t t = static_cast<std::time_t>(utc_millis / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The owner identifier of the stats messages: the owner's user id for an
// Agent workbin, else the place or group name.
std::string StatsOwner(const Directory& dir, const storage::WorkbinRecord& w) {
  return w.owner_type == "Agent" ? w.owner_id : WorkbinOwnerName(dir, w);
}

}  // namespace

std::optional<WorkbinItemOperation> ParseWorkbinItemOperation(
    std::string_view name) {
  struct Entry {
    std::string_view suffix;
    std::string_view media;
  };
  static constexpr Entry kEntries[] = {{"Interaction", ""},
                                       {"Email", "email"},
                                       {"Chat", "chat"},
                                       {"Workitem", "workitem"},
                                       {"Tweet", "tweet"},
                                       {"Facebook", "facebook"},
                                       {"Facebooksession", "facebooksession"},
                                       {"Openmedia", "openmedia"}};
  if (name == "AddInteractionToWorkbin") return WorkbinItemOperation{true, ""};
  for (bool add : {true, false}) {
    const std::string_view prefix = add ? "Add" : "Pull";
    if (name.substr(0, prefix.size()) != prefix) continue;
    const std::string_view rest = name.substr(prefix.size());
    for (const auto& e : kEntries)
      if (rest == e.suffix)
        return WorkbinItemOperation{add, std::string(e.media)};
  }
  return std::nullopt;
}

bool WorkbinOperationMatches(std::string_view op_media,
                             std::string_view media_type) {
  if (op_media.empty()) return true;
  if (op_media == "openmedia")
    return FamilyOf(media_type) == MediaFamily::kOpenMedia &&
           media_type != "tweet" && media_type != "facebook" &&
           media_type != "facebooksession";
  return op_media == media_type;
}

WorkbinService::WorkbinService(storage::Store* store,
                               DirectoryCache* directories,
                               const Notifier* notifier,
                               const InteractionRenderer* renderer,
                               const Clock* clock, RoutingTrigger* trigger)
    : store_(store),
      directories_(directories),
      notifier_(notifier),
      renderer_(renderer),
      clock_(clock),
      trigger_(trigger) {}

Result<std::vector<WorkbinContent>> WorkbinService::List(
    const Principal& who, bool own_only, bool with_content,
    const std::string& for_user_id) {
  std::vector<WorkbinContent> out;
  Status st = store_->Read([&](storage::ReadTx& tx) -> Status {
    out.clear();
    WB_ASSIGN_OR_RETURN(auto dir, directories_->Get(tx, who.contact_center_id));
    WB_ASSIGN_OR_RETURN(const storage::UserRecord* me, Caller(*dir, who));
    const storage::UserRecord* owner = me;
    if (!for_user_id.empty()) {
      WB_ASSIGN_OR_RETURN(owner, TargetUser(*dir, *me, for_user_id));
      own_only = true;
    }
    WB_ASSIGN_OR_RETURN(std::string place, CurrentPlace(tx, *dir, owner->id));
    struct Keyed {
      int rank;
      std::string name, owner, id;
      const storage::WorkbinRecord* w;
    };
    std::vector<Keyed> chosen;
    for (const auto& w : dir->data().workbins) {
      bool take = false;
      if (own_only) {
        take = IsOwnPlaceOrAgent(w, owner->id, place);
      } else {
        WB_ASSIGN_OR_RETURN(take, WorkbinVisible(tx, *dir, *me, w));
      }
      if (take)
        chosen.push_back({TypeRank(w.owner_type), DefinitionName(*dir, w),
                          WorkbinOwnerName(*dir, w), w.id, &w});
    }
    std::sort(chosen.begin(), chosen.end(), [](const Keyed& a, const Keyed& b) {
      return std::tie(a.rank, a.name, a.owner, a.id) <
             std::tie(b.rank, b.name, b.owner, b.id);
    });
    for (const auto& k : chosen) {
      WorkbinContent c;
      c.workbin = Resource(*dir, *k.w, notifier_->base_url());
      if (with_content) {
        WB_ASSIGN_OR_RETURN(auto items, tx.ListInteractionsInWorkbin(k.w->id));
        for (const auto& r : items)
          c.items.push_back(
              {r.media_type, renderer_->Resource(r, ViewFor(r, ""))});
      }
      out.push_back(std::move(c));
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<WorkbinContent> WorkbinService::Get(const Principal& who,
                                           const std::string& workbin_id,
                                           bool with_content,
                                           const WorkbinAddress& at,
                                           const ContentQuery* query,
                                           const std::string& scope) {
  WorkbinContent out;
  Status st = store_->Read([&](storage::ReadTx& tx) -> Status {
    out = WorkbinContent{};
    WB_ASSIGN_OR_RETURN(auto dir, directories_->Get(tx, who.contact_center_id));
    WB_ASSIGN_OR_RETURN(const storage::UserRecord* me, Caller(*dir, who));
    WB_ASSIGN_OR_RETURN(const storage::WorkbinRecord* w,
                        FindAddressed(tx, *dir, *me, workbin_id, at));
    out.workbin = Resource(*dir, *w, notifier_->base_url());
    if (query) {
      WB_ASSIGN_OR_RETURN(std::string secret, tx.GetServerSecret("cursor"));
      WB_ASSIGN_OR_RETURN(auto page,
                          ReadWorkbinPage(tx, w->id, *query, secret, scope));
      out.paged = true;
      out.total = page.total;
      out.next_cursor = std::move(page.next_cursor);
      out.counts = std::move(page.counts);
      for (const auto& r : page.items)
        out.items.push_back(
            {r.media_type, renderer_->Resource(r, ViewFor(r, ""))});
    } else if (with_content) {
      WB_ASSIGN_OR_RETURN(auto items, tx.ListInteractionsInWorkbin(w->id));
      for (const auto& r : items)
        out.items.push_back(
            {r.media_type, renderer_->Resource(r, ViewFor(r, ""))});
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<int64_t> WorkbinService::Add(const Principal& who,
                                    const std::string& workbin_id,
                                    const WorkbinItemRequest& req,
                                    const WorkbinAddress& at,
                                    const CommitStep& step) {
  const int64_t now = clock_->NowMillis();
  int64_t reference_id = 0;
  bool route_after = false;
  Status st = notifier_->Write(
      *store_, [&](storage::WriteTx& tx, NotificationList* out) -> Status {
        route_after = false;
        WB_ASSIGN_OR_RETURN(auto dir,
                            directories_->Get(tx, who.contact_center_id));
        WB_ASSIGN_OR_RETURN(const storage::UserRecord* me, Caller(*dir, who));
        WB_ASSIGN_OR_RETURN(const storage::WorkbinRecord* w,
                            FindAddressed(tx, *dir, *me, workbin_id, at));
        WB_ASSIGN_OR_RETURN(auto cur,
                            FindInteraction(tx, *dir, req.interaction_id));
        // Access first: a caller who may not read the interaction learns
        // nothing of its media, state or workbin.
        WB_ASSIGN_OR_RETURN(bool readable, MayRead(tx, *dir, who, cur));
        if (!readable) return NotVisible(cur.id, me->user_name);
        WB_RETURN_IF_ERROR(CheckMedia(req, cur));
        if (cur.state == "InWorkbin") {
          const auto* holder =
              cur.workbin_id ? dir->WorkbinById(*cur.workbin_id) : nullptr;
          return InUse(
              "Interaction " + cur.id + " is already in workbin '" +
              (holder ? DefinitionName(*dir, *holder) : std::string()) + "'");
        }
        const bool mine = cur.owner_id && *cur.owner_id == me->id;
        if (mine) {
          if (cur.state == "Invited")
            return InvalidState("Interaction " + cur.id +
                                " cannot be added in state 'Invited'");
        } else {
          const bool admin_like =
              HasRole(*me, "ROLE_ADMIN") || HasRole(*me, "ROLE_APIUSER");
          if (!admin_like && !HasRole(*me, "ROLE_SUPERVISOR"))
            return PermissionDenied("Interaction " + cur.id + " is not yours");
          // A supervisor may read it: checked above, before the media.
          if (cur.state == "Completed")
            return InvalidState("Interaction " + cur.id +
                                " cannot be added in state 'Completed'");
        }
        WB_ASSIGN_OR_RETURN(reference_id, tx.NextReferenceId(me->id));
        const Actor actor{me->id, me->user_name, reference_id};
        TxScope s{tx, *dir, *notifier_, *renderer_, now, out};

        storage::InteractionRecord next = cur;
        const std::optional<std::string> previous = cur.owner_id;
        next.state = "InWorkbin";
        next.owner_id.reset();
        next.workbin_id = w->id;
        next.workbin_entered_ms = now;
        if (previous && cur.state != "Invited") next.last_owner_id = previous;
        next.offer_expires_ms.reset();
        next.offer_reason.clear();
        next.transfer_from_id.reset();
        next.transfer_reference_id = 0;
        next.user_data = WithWorkbinKeys(*dir, *w, cur.user_data);
        WB_RETURN_IF_ERROR(tx.UpdateInteraction(next, cur));
        if (cur.state == "Invited")
          WB_RETURN_IF_ERROR(
              Append(s, MakeEvent(s, next, "OfferRevoked", &actor)));
        auto added = MakeEvent(s, next, "AddedToWorkbin", &actor);
        added.to_workbin_id = w->id;
        added.details = OperationDetails(req.operation);
        WB_RETURN_IF_ERROR(Append(s, added));
        if (req.save_lar) {
          // By user, the last agent is {userId}; FindAddressed checked it.
          const storage::UserRecord* agent =
              at.for_user_id.empty() ? me : dir->UserById(at.for_user_id);
          WB_RETURN_IF_ERROR(SaveLastAgent(s, next, *agent, actor));
        }
        if (previous)
          WB_RETURN_IF_ERROR(RestartIdle(s, *previous, cur.media_type));
        WB_RETURN_IF_ERROR(
            QueueWorkbinContentChanged(s, *w, next, "ItemAdded", actor));
        if (previous) {
          Notify(s, next, *previous, "StatusChange", ViewFor(next, *previous),
                 &actor);
          if (cur.state == "Invited")
            s.out->back().settles_offer = OfferOutcome::kRevoked;
        }
        // A freed offer or owner slot may let the router deliver more work.
        route_after = previous.has_value();
        if (step) WB_RETURN_IF_ERROR(step(tx, ChangeOutcome{reference_id, {}}));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  if (route_after && trigger_) trigger_->Trigger(who.contact_center_id);
  return reference_id;
}

Result<int64_t> WorkbinService::Pull(const Principal& who,
                                     const std::string& workbin_id,
                                     const WorkbinItemRequest& req,
                                     const WorkbinAddress& at,
                                     const CommitStep& step) {
  const int64_t now = clock_->NowMillis();
  int64_t reference_id = 0;
  Status st = notifier_->Write(
      *store_, [&](storage::WriteTx& tx, NotificationList* out) -> Status {
        WB_ASSIGN_OR_RETURN(auto dir,
                            directories_->Get(tx, who.contact_center_id));
        WB_ASSIGN_OR_RETURN(const storage::UserRecord* me, Caller(*dir, who));
        WB_ASSIGN_OR_RETURN(const storage::WorkbinRecord* w,
                            FindAddressed(tx, *dir, *me, workbin_id, at));
        WB_ASSIGN_OR_RETURN(auto cur,
                            FindInteraction(tx, *dir, req.interaction_id));
        WB_RETURN_IF_ERROR(CheckTakeable(tx, *dir, who, cur, *w));
        WB_RETURN_IF_ERROR(CheckMedia(req, cur));
        if (cur.state != "InWorkbin" || cur.workbin_id != w->id)
          return InUse("Interaction " + cur.id + " is no longer in workbin '" +
                       DefinitionName(*dir, *w) + "'");
        WB_ASSIGN_OR_RETURN(reference_id, tx.NextReferenceId(me->id));
        const Actor actor{me->id, me->user_name, reference_id};
        TxScope s{tx, *dir, *notifier_, *renderer_, now, out};

        storage::InteractionRecord next = cur;
        next.state = cur.working_state;
        next.owner_id = me->id;
        next.last_owner_id = me->id;
        next.workbin_id.reset();
        if (FamilyOf(cur.media_type) == MediaFamily::kChat) {
          const std::string nick = req.nickname.value_or(
              me->first_name.empty() ? me->user_name : me->first_name);
          next.participants.push_back(
              {nick, "Agent", ids::NewInteractionId(now)});
        }
        // Conditional: a concurrent Pull or Move that already took it makes
        // this one fail with kInUse, which is the loser's statusCode 19.
        WB_RETURN_IF_ERROR(tx.UpdateInteraction(next, cur));
        auto pulled = MakeEvent(s, next, "PulledFromWorkbin", &actor);
        pulled.from_workbin_id = w->id;
        pulled.details = OperationDetails(req.operation);
        WB_RETURN_IF_ERROR(Append(s, pulled));
        WB_RETURN_IF_ERROR(
            QueueWorkbinContentChanged(s, *w, cur, "ItemRemoved", actor));
        Notify(s, next, me->id, "StatusChange", ViewFor(next, me->id), &actor);
        if (step) WB_RETURN_IF_ERROR(step(tx, ChangeOutcome{reference_id, {}}));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return reference_id;
}

Result<std::vector<int64_t>> WorkbinService::Subscribe(
    const Principal& who, const std::vector<std::string>& workbin_ids, bool on,
    const WorkbinAddress& at) {
  const int64_t now = clock_->NowMillis();
  std::vector<int64_t> reference_ids;
  Status st = notifier_->Write(
      *store_, [&](storage::WriteTx& tx, NotificationList* out) -> Status {
        reference_ids.clear();
        WB_ASSIGN_OR_RETURN(auto dir,
                            directories_->Get(tx, who.contact_center_id));
        WB_ASSIGN_OR_RETURN(const storage::UserRecord* me, Caller(*dir, who));
        // Every workbin is checked before anything changes: the first failing
        // id decides and nothing is subscribed.
        std::vector<const storage::WorkbinRecord*> workbins;
        for (const auto& id : workbin_ids) {
          WB_ASSIGN_OR_RETURN(const storage::WorkbinRecord* w,
                              FindAddressed(tx, *dir, *me, id, at));
          workbins.push_back(w);
        }
        WB_ASSIGN_OR_RETURN(int64_t held,
                            tx.CountWorkbinSubscriptionsOfUser(me->id));
        for (const auto* w : workbins) {
          if (on) {
            WB_ASSIGN_OR_RETURN(bool already,
                                tx.IsSubscribedToWorkbin(me->id, w->id));
            if (!already) {
              if (held >= kMaxSubscriptionsPerUser)
                return InvalidArgument(
                    "User '" + me->user_name + "' already holds " +
                    std::to_string(kMaxSubscriptionsPerUser) +
                    " workbin subscriptions");
              WB_RETURN_IF_ERROR(tx.PutWorkbinSubscription(
                  {me->id, w->id, dir->contact_center().id, now}));
              ++held;
            }
          } else {
            WB_RETURN_IF_ERROR(tx.DeleteWorkbinSubscription(me->id, w->id));
          }
          WB_ASSIGN_OR_RETURN(int64_t reference_id, tx.NextReferenceId(me->id));
          reference_ids.push_back(reference_id);
          json::object data;
          data["messageType"] = "WorkbinSubscriptionStateChangeMessage";
          data["stateResource"] = on ? "Subscribed" : "Unsubscribed";
          data["id"] = w->id;
          if (!at.for_user_id.empty()) data["workbinUserId"] = at.for_user_id;
          if (w->owner_type == "AgentGroup" || w->owner_type == "PlaceGroup")
            AddWorkbinOwnerKey(*dir, *w, "", &data);
          out->push_back(notifier_->Make(
              *dir, me->id, "workbins", std::move(data), me->id, reference_id));
        }
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return reference_ids;
}

Status WorkbinService::EndSubscriptionsOf(const std::string& contact_center_id,
                                          const std::string& user_id) {
  return notifier_->Write(
      *store_, [&](storage::WriteTx& tx, NotificationList* out) -> Status {
        WB_ASSIGN_OR_RETURN(auto dir, directories_->Get(tx, contact_center_id));
        WB_ASSIGN_OR_RETURN(auto ended,
                            tx.DeleteWorkbinSubscriptionsOfUser(user_id));
        for (const auto& id : ended) {
          const auto* w = dir->WorkbinById(id);
          storage::WorkbinRecord known = w ? *w : storage::WorkbinRecord{};
          known.id = id;
          out->push_back(notifier_->Make(
              *dir, user_id, "workbins",
              SubscriptionStateMessage(*dir, known, false, "")));
        }
        return Status::Ok();
      });
}

Result<int64_t> WorkbinService::Move(const Principal& who,
                                     const std::string& workbin_id,
                                     const WorkbinItemRequest& req,
                                     const WorkbinAddress& at,
                                     const CommitStep& step) {
  const int64_t now = clock_->NowMillis();
  int64_t reference_id = 0;
  Status st = notifier_->Write(
      *store_, [&](storage::WriteTx& tx, NotificationList* out) -> Status {
        WB_ASSIGN_OR_RETURN(auto dir,
                            directories_->Get(tx, who.contact_center_id));
        WB_ASSIGN_OR_RETURN(const storage::UserRecord* me, Caller(*dir, who));
        WB_ASSIGN_OR_RETURN(const storage::WorkbinRecord* from,
                            FindAddressed(tx, *dir, *me, workbin_id, at));
        if (req.to_workbin_id == from->id)
          return InvalidArgument(
              "Cannot move an interaction to the workbin it is in");
        // Group parameters address the source only.
        const WorkbinAddress to_at{at.for_user_id, "", ""};
        WB_ASSIGN_OR_RETURN(
            const storage::WorkbinRecord* to,
            FindAddressed(tx, *dir, *me, req.to_workbin_id, to_at));
        WB_ASSIGN_OR_RETURN(auto cur,
                            FindInteraction(tx, *dir, req.interaction_id));
        WB_RETURN_IF_ERROR(CheckTakeable(tx, *dir, who, cur, *from));
        if (cur.state != "InWorkbin" || cur.workbin_id != from->id)
          return InUse("Interaction " + cur.id + " is no longer in workbin '" +
                       DefinitionName(*dir, *from) + "'");
        WB_ASSIGN_OR_RETURN(reference_id, tx.NextReferenceId(me->id));
        const Actor actor{me->id, me->user_name, reference_id};
        TxScope s{tx, *dir, *notifier_, *renderer_, now, out};

        storage::InteractionRecord next = cur;
        next.workbin_id = to->id;
        next.workbin_entered_ms = now;
        next.user_data = WithWorkbinKeys(*dir, *to, cur.user_data);
        // Conditional, like Pull: a concurrent Pull or Move wins or loses here.
        WB_RETURN_IF_ERROR(tx.UpdateInteraction(next, cur));
        auto moved = MakeEvent(s, next, "MovedToWorkbin", &actor);
        moved.from_workbin_id = from->id;
        moved.to_workbin_id = to->id;
        WB_RETURN_IF_ERROR(Append(s, moved));
        if (req.save_lar) {
          const storage::UserRecord* agent =
              at.for_user_id.empty() ? me : dir->UserById(at.for_user_id);
          WB_RETURN_IF_ERROR(SaveLastAgent(s, next, *agent, actor));
        }
        WB_RETURN_IF_ERROR(
            QueueWorkbinContentChanged(s, *from, cur, "ItemRemoved", actor));
        WB_RETURN_IF_ERROR(
            QueueWorkbinContentChanged(s, *to, next, "ItemAdded", actor));
        if (step) WB_RETURN_IF_ERROR(step(tx, ChangeOutcome{reference_id, {}}));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return reference_id;
}

Result<int64_t> WorkbinService::RequestStats(const Principal& who,
                                             const std::string& workbin_id,
                                             const WorkbinAddress& at) {
  int64_t reference_id = 0;
  Status st = notifier_->Write(
      *store_, [&](storage::WriteTx& tx, NotificationList* out) -> Status {
        WB_ASSIGN_OR_RETURN(auto dir,
                            directories_->Get(tx, who.contact_center_id));
        WB_ASSIGN_OR_RETURN(const storage::UserRecord* me, Caller(*dir, who));
        WB_ASSIGN_OR_RETURN(const storage::WorkbinRecord* w,
                            FindAddressed(tx, *dir, *me, workbin_id, at));
        WB_ASSIGN_OR_RETURN(auto items, tx.ListInteractionsInWorkbin(w->id));
        json::object stats{{"NumberOfInteractions", items.size()}};
        if (!items.empty()) {
          int64_t min = items.front().workbin_entered_ms, max = min;
          for (const auto& r : items) {
            min = std::min(min, r.workbin_entered_ms);
            max = std::max(max, r.workbin_entered_ms);
          }
          stats["MinMovedToQueueAt"] = IsoSeconds(min);
          stats["MaxMovedToQueueAt"] = IsoSeconds(max);
        }
        WB_ASSIGN_OR_RETURN(reference_id, tx.NextReferenceId(me->id));
        json::object data;
        data["messageType"] = "WorkbinStatsMessage";
        data["workbinStats"] =
            json::object{{StatsOwner(*dir, *w), std::move(stats)}};
        data["id"] = w->id;
        data["workbinType"] = w->owner_type;
        out->push_back(notifier_->Make(*dir, me->id, "workbins",
                                       std::move(data), me->id, reference_id));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return reference_id;
}

Result<int64_t> WorkbinService::RequestAgentStats(
    const Principal& who, const std::string& for_user_id,
    const std::string& type, const std::optional<std::string>& owner_name) {
  if (type != "Agent" && type != "Place" && type != "AgentGroup" &&
      type != "PlaceGroup")
    return InvalidArgument("Unknown workbinType '" + type +
                           "'; accepted: Agent, Place, AgentGroup, PlaceGroup");
  int64_t reference_id = 0;
  Status st = notifier_->Write(
      *store_, [&](storage::WriteTx& tx, NotificationList* out) -> Status {
        WB_ASSIGN_OR_RETURN(auto dir,
                            directories_->Get(tx, who.contact_center_id));
        WB_ASSIGN_OR_RETURN(const storage::UserRecord* me, Caller(*dir, who));
        const storage::UserRecord* subject = me;
        if (!for_user_id.empty()) {
          WB_ASSIGN_OR_RETURN(subject, TargetUser(*dir, *me, for_user_id));
        }
        // The owner ids whose workbins are reported.
        std::vector<std::string> owners;
        const Status unknown =
            NotFound("No such workbin owner '" + owner_name.value_or("") + "'");
        if (type == "Agent") {
          if (owner_name) {
            const auto* u = dir->UserByName(*owner_name);
            if (!u) u = dir->UserById(*owner_name);
            if (!u) return unknown;
            owners.push_back(u->id);
          } else {
            owners.push_back(subject->id);
          }
        } else if (type == "Place" || type == "PlaceGroup") {
          if (owner_name) {
            if (type == "Place") {
              const auto* p = dir->PlaceByName(*owner_name);
              if (!p) return unknown;
              owners.push_back(p->id);
            } else {
              const auto* g = dir->PlaceGroupByName(*owner_name);
              if (!g) return unknown;
              owners.push_back(g->id);
            }
          } else {
            WB_ASSIGN_OR_RETURN(std::string place,
                                CurrentPlace(tx, *dir, subject->id));
            if (!place.empty()) {
              if (type == "Place") {
                owners.push_back(place);
              } else {
                for (const auto* g : dir->GroupsOfPlace(place))
                  owners.push_back(g->id);
              }
            }
          }
        } else if (owner_name) {
          const auto* g = dir->AgentGroupByName(*owner_name);
          if (!g) return unknown;
          owners.push_back(g->id);
        } else {
          for (const auto* g : dir->GroupsOfAgent(subject->id))
            owners.push_back(g->id);
          for (const auto* g : dir->GroupsSupervisedBy(subject->id))
            if (std::find(owners.begin(), owners.end(), g->id) == owners.end())
              owners.push_back(g->id);
        }
        json::object stats;
        for (const auto& w : dir->data().workbins) {
          if (w.owner_type != type || std::find(owners.begin(), owners.end(),
                                                w.owner_id) == owners.end())
            continue;
          const WorkbinAddress at{for_user_id, "", ""};
          WB_ASSIGN_OR_RETURN(const storage::WorkbinRecord* found,
                              FindAddressed(tx, *dir, *me, w.id, at));
          WB_ASSIGN_OR_RETURN(int64_t count,
                              tx.CountInteractionsInWorkbin(found->id));
          stats[w.id] = json::object{{"Count", count},
                                     {"Owner", StatsOwner(*dir, w)},
                                     {"Type", w.owner_type}};
        }
        WB_ASSIGN_OR_RETURN(reference_id, tx.NextReferenceId(me->id));
        json::object data;
        data["workbinStats"] = std::move(stats);
        data["messageType"] = "WorkbinStatsMessage";
        out->push_back(notifier_->Make(*dir, me->id, "workbins",
                                       std::move(data), me->id, reference_id));
        return Status::Ok();
      });
  if (!st.ok()) return st;
  return reference_id;
}

}  // namespace workbind::domain
