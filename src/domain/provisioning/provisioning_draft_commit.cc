// ProvisioningDraft: deletes, listing and the write-back of the difference.
#include <algorithm>
#include <set>
#include <tuple>

#include "domain/provisioning/provisioning_draft.h"
#include "domain/provisioning/workbin_instances.h"

namespace workbind::domain {
namespace {

bool Same(const storage::ContactCenterRecord& a,
          const storage::ContactCenterRecord& b) {
  return std::tie(a.id, a.name, a.display_name, a.features, a.media_types,
                  a.offer_timeout_seconds, a.capacity,
                  a.decline_cooldown_seconds, a.last_agent_wait_seconds) ==
         std::tie(b.id, b.name, b.display_name, b.features, b.media_types,
                  b.offer_timeout_seconds, b.capacity,
                  b.decline_cooldown_seconds, b.last_agent_wait_seconds);
}
bool Same(const storage::UserRecord& a, const storage::UserRecord& b) {
  return std::tie(a.id, a.contact_center_id, a.user_name, a.password_hash,
                  a.first_name, a.last_name, a.email_address, a.roles,
                  a.enabled, a.default_place_id, a.capacity) ==
         std::tie(b.id, b.contact_center_id, b.user_name, b.password_hash,
                  b.first_name, b.last_name, b.email_address, b.roles,
                  b.enabled, b.default_place_id, b.capacity);
}
bool Same(const storage::PlaceRecord& a, const storage::PlaceRecord& b) {
  return std::tie(a.id, a.name) == std::tie(b.id, b.name);
}
bool Same(const storage::PlaceGroupRecord& a,
          const storage::PlaceGroupRecord& b) {
  return std::tie(a.id, a.name, a.place_ids) ==
         std::tie(b.id, b.name, b.place_ids);
}
bool Same(const storage::AgentGroupRecord& a,
          const storage::AgentGroupRecord& b) {
  return std::tie(a.id, a.name, a.agent_ids, a.supervisor_ids) ==
         std::tie(b.id, b.name, b.agent_ids, b.supervisor_ids);
}
bool Same(const storage::QueueRecord& a, const storage::QueueRecord& b) {
  return std::tie(a.id, a.name, a.description, a.agent_group_id) ==
         std::tie(b.id, b.name, b.description, b.agent_group_id);
}
bool Same(const storage::WorkbinDefinitionRecord& a,
          const storage::WorkbinDefinitionRecord& b) {
  return std::tie(a.id, a.name, a.display_name, a.type, a.owners) ==
         std::tie(b.id, b.name, b.display_name, b.type, b.owners);
}

template <typename T>
const T* ById(const std::vector<T>& v, const std::string& id) {
  for (const auto& x : v)
    if (x.id == id) return &x;
  return nullptr;
}

template <typename T>
bool Contains(const std::vector<T>& v, const std::string& id) {
  return ById(v, id) != nullptr;
}

// Deletes the stored rows the draft no longer has.
template <typename T, typename Del>
Status DeleteMissing(const std::vector<T>& before, const std::vector<T>& after,
                     bool* changed, Del del) {
  for (const auto& x : before) {
    if (Contains(after, x.id)) continue;
    WB_RETURN_IF_ERROR(del(x));
    *changed = true;
  }
  return Status::Ok();
}

// Writes the rows that are new or differ from the stored ones.
template <typename T, typename Put>
Status PutChanged(const std::vector<T>& before, const std::vector<T>& after,
                  bool* changed, Put put) {
  for (const auto& x : after) {
    const T* old = ById(before, x.id);
    if (old && Same(*old, x)) continue;
    WB_RETURN_IF_ERROR(put(x));
    *changed = true;
  }
  return Status::Ok();
}

void Append(std::vector<std::string>* to, std::vector<std::string> from) {
  to->insert(to->end(), std::make_move_iterator(from.begin()),
             std::make_move_iterator(from.end()));
}

std::string Plural(int64_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

template <typename T>
void EraseById(std::vector<T>& v, const std::string& id) {
  v.erase(std::remove_if(v.begin(), v.end(),
                         [&](const T& x) { return x.id == id; }),
          v.end());
}

void Erase(std::vector<std::string>& v, const std::string& s) {
  v.erase(std::remove(v.begin(), v.end(), s), v.end());
}

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// True when `after` lacks a role of `before`.
bool LostRole(const storage::UserRecord& before,
              const storage::UserRecord& after) {
  for (const auto& r : before.roles)
    if (!Has(after.roles, r)) return true;
  return false;
}

// Deletes the HTTP sessions of `user`, except the one with id `keep` (if
// any), and records them in `effects`; the user is recorded as left without
// sessions unless `keep` was one of its sessions.
Status EndSessionsOf(storage::WriteTx& tx, const storage::UserRecord& user,
                     const std::string& keep, ChangeEffects* effects) {
  bool kept = false;
  if (keep.empty()) {
    WB_ASSIGN_OR_RETURN(auto ended, tx.DeleteSessionsOfUser(user.id));
    Append(&effects->ended_sessions, std::move(ended));
  } else {
    WB_ASSIGN_OR_RETURN(auto sessions, tx.ListSessionsOfUser(user.id));
    for (const auto& s : sessions) {
      if (s.id == keep) {
        kept = true;
        continue;
      }
      WB_RETURN_IF_ERROR(tx.DeleteSession(s.id));
      effects->ended_sessions.push_back(s.id);
    }
  }
  if (!kept && !Has(effects->ended_user_ids, user.id)) {
    effects->ended_user_ids.push_back(user.id);
    effects->ended_user_names.push_back(user.user_name);
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ProvisioningDraft::Objects(
    ObjectKind kind) const {
  std::vector<std::pair<std::string, std::string>> out;
  switch (kind) {
    case ObjectKind::kUser:
      for (const auto& x : data_.users) out.emplace_back(x.id, x.user_name);
      break;
    case ObjectKind::kPlace:
      for (const auto& x : data_.places) out.emplace_back(x.id, x.name);
      break;
    case ObjectKind::kPlaceGroup:
      for (const auto& x : data_.place_groups) out.emplace_back(x.id, x.name);
      break;
    case ObjectKind::kAgentGroup:
      for (const auto& x : data_.agent_groups) out.emplace_back(x.id, x.name);
      break;
    case ObjectKind::kQueue:
      for (const auto& x : data_.queues) out.emplace_back(x.id, x.name);
      break;
    case ObjectKind::kWorkbinDefinition:
      for (const auto& x : data_.workbin_definitions)
        out.emplace_back(x.id, x.name);
      break;
  }
  return out;
}

Status ProvisioningDraft::Remove(ObjectKind kind, const std::string& id,
                                 const std::string& at,
                                 ProvisioningIssues* issues) {
  std::string name;
  for (const auto& [oid, oname] : Objects(kind))
    if (oid == id) name = oname;
  if (name.empty()) {
    std::string label(KindLabel(kind));
    issues->AddWithMessage(Code::kNotFound, at,
                           "no such " + label + " '" + id + "'",
                           "No such " + label);
    return Status::Ok();
  }
  auto refuse = [&](std::string message) {
    issues->AddWithMessage(Code::kInUse, at, message, message);
    return Status::Ok();
  };
  switch (kind) {
    case ObjectKind::kUser: {
      WB_ASSIGN_OR_RETURN(int64_t n, usage_->InteractionsOwnedByUser(*tx_, id));
      if (n > 0)
        return refuse("User '" + name + "' owns " + Plural(n, "interaction"));
      for (auto& g : data_.agent_groups) {
        Erase(g.agent_ids, id);
        Erase(g.supervisor_ids, id);
      }
      DropOwner("Agent", name);
      EraseById(data_.users, id);
      break;
    }
    case ObjectKind::kPlace: {
      WB_ASSIGN_OR_RETURN(int64_t n, usage_->SessionsUsingPlace(*tx_, id));
      if (n > 0)
        return refuse("Place '" + name +
                      "' is in use by a contact-center session");
      for (auto& g : data_.place_groups) Erase(g.place_ids, id);
      for (auto& u : data_.users)
        if (u.default_place_id == id) u.default_place_id.reset();
      DropOwner("Place", name);
      EraseById(data_.places, id);
      break;
    }
    case ObjectKind::kPlaceGroup:
      DropOwner("PlaceGroup", name);
      EraseById(data_.place_groups, id);
      break;
    case ObjectKind::kAgentGroup:
      for (const auto& q : data_.queues)
        if (q.agent_group_id == id)
          return refuse("Agent group '" + name + "' is used by queue '" +
                        q.name + "'");
      DropOwner("AgentGroup", name);
      EraseById(data_.agent_groups, id);
      break;
    case ObjectKind::kQueue: {
      WB_ASSIGN_OR_RETURN(int64_t n, usage_->InteractionsOfQueue(*tx_, id));
      if (n > 0)
        return refuse("Queue '" + name + "' still has " +
                      Plural(n, "interaction"));
      EraseById(data_.queues, id);
      break;
    }
    case ObjectKind::kWorkbinDefinition:
      EraseById(data_.workbin_definitions, id);
      break;
  }
  return Status::Ok();
}

Status ProvisioningDraft::Commit(storage::WriteTx& tx, const std::string& at,
                                 ProvisioningIssues* issues,
                                 ChangeEffects* effects) {
  // Derived state and the in-use checks come first: nothing is written when
  // one of them refuses the change.
  data_.workbins = DesiredWorkbins(data_);
  WorkbinDiff diff = DiffWorkbins(original_.workbins, data_.workbins);
  const size_t issues_before = issues->size();
  for (const auto& w : diff.remove) {
    WB_ASSIGN_OR_RETURN(int64_t n, usage_->InteractionsInWorkbin(tx, w.id));
    if (n > 0) {
      std::string message = "Workbin '" + WorkbinDefinitionName(original_, w) +
                            "' of '" + WorkbinOwnerName(original_, w) +
                            "' still holds " + Plural(n, "interaction");
      issues->AddWithMessage(Code::kInUse, at, message, message);
    }
  }
  for (const auto& m : original_.contact_center.media_types) {
    const auto& now = data_.contact_center.media_types;
    if (std::find(now.begin(), now.end(), m) != now.end()) continue;
    WB_ASSIGN_OR_RETURN(int64_t n, usage_->OpenInteractionsOfMediaType(
                                       tx, contact_center_id(), m));
    if (n > 0) {
      std::string message = "Media type '" + m + "' still has " +
                            Plural(n, "interaction") +
                            " that are not Completed";
      issues->AddWithMessage(Code::kInUse, PointerJoin(at, "mediaTypes"),
                             message, message);
    }
  }
  if (issues->size() != issues_before) return Status::Ok();

  // Subscriptions are re-checked against the changed directory below.
  std::vector<storage::WorkbinSubscriptionRecord> subscriptions;
  if (!is_new_) {
    WB_ASSIGN_OR_RETURN(
        subscriptions,
        tx.ListWorkbinSubscriptionsInContactCenter(contact_center_id()));
  }

  bool changed = false;
  if (is_new_ || !Same(original_.contact_center, data_.contact_center)) {
    WB_RETURN_IF_ERROR(tx.PutContactCenter(data_.contact_center));
    changed = true;
  }
  // Deletes before puts, so that a freed name can be taken in the same change.
  for (const auto& w : diff.remove) {
    WB_RETURN_IF_ERROR(tx.DeleteWorkbin(w.id));
    effects->deleted_workbins.push_back(w.id);
    changed = true;
  }
  WB_RETURN_IF_ERROR(
      DeleteMissing(original_.queues, data_.queues, &changed,
                    [&](const auto& x) { return tx.DeleteQueue(x.id); }));
  WB_RETURN_IF_ERROR(DeleteMissing(
      original_.workbin_definitions, data_.workbin_definitions, &changed,
      [&](const auto& x) { return tx.DeleteWorkbinDefinition(x.id); }));
  // A supervisor of a deleted group loses rights: its sessions end.
  WB_RETURN_IF_ERROR(DeleteMissing(
      original_.agent_groups, data_.agent_groups, &changed,
      [&](const storage::AgentGroupRecord& x) -> Status {
        for (const auto& id : x.supervisor_ids)
          if (const auto* u = ById(data_.users, id))
            WB_RETURN_IF_ERROR(EndSessionsOf(tx, *u, "", effects));
        return tx.DeleteAgentGroup(x.id);
      }));
  WB_RETURN_IF_ERROR(
      DeleteMissing(original_.place_groups, data_.place_groups, &changed,
                    [&](const auto& x) { return tx.DeletePlaceGroup(x.id); }));
  WB_RETURN_IF_ERROR(DeleteMissing(
      original_.users, data_.users, &changed,
      [&](const storage::UserRecord& x) -> Status {
        WB_ASSIGN_OR_RETURN(auto ended, tx.DeleteSessionsOfUser(x.id));
        Append(&effects->ended_sessions, std::move(ended));
        effects->ended_user_ids.push_back(x.id);
        effects->ended_user_names.push_back(x.user_name);
        return tx.DeleteUser(x.id);
      }));
  WB_RETURN_IF_ERROR(
      DeleteMissing(original_.places, data_.places, &changed,
                    [&](const auto& x) { return tx.DeletePlace(x.id); }));

  WB_RETURN_IF_ERROR(PutChanged(original_.places, data_.places, &changed,
                                [&](const auto& x) { return tx.PutPlace(x); }));
  WB_RETURN_IF_ERROR(
      PutChanged(original_.place_groups, data_.place_groups, &changed,
                 [&](const auto& x) { return tx.PutPlaceGroup(x); }));
  WB_RETURN_IF_ERROR(PutChanged(original_.users, data_.users, &changed,
                                [&](const storage::UserRecord& x) -> Status {
                                  WB_RETURN_IF_ERROR(tx.PutUser(x));
                                  // Disabling a user or taking a role away ends
                                  // its sessions at once; a new password ends
                                  // all but the session that set it.
                                  const auto* old = ById(original_.users, x.id);
                                  if (!old || !old->enabled)
                                    return Status::Ok();
                                  if (!x.enabled || LostRole(*old, x))
                                    return EndSessionsOf(tx, x, "", effects);
                                  if (old->password_hash != x.password_hash)
                                    return EndSessionsOf(tx, x, acting_session_,
                                                         effects);
                                  return Status::Ok();
                                }));
  WB_RETURN_IF_ERROR(
      PutChanged(original_.agent_groups, data_.agent_groups, &changed,
                 [&](const storage::AgentGroupRecord& x) -> Status {
                   WB_RETURN_IF_ERROR(tx.PutAgentGroup(x));
                   // A user no longer supervising the group loses rights.
                   const auto* old = ById(original_.agent_groups, x.id);
                   if (!old) return Status::Ok();
                   for (const auto& id : old->supervisor_ids) {
                     if (Has(x.supervisor_ids, id)) continue;
                     if (const auto* u = ById(data_.users, id))
                       WB_RETURN_IF_ERROR(EndSessionsOf(tx, *u, "", effects));
                   }
                   return Status::Ok();
                 }));
  WB_RETURN_IF_ERROR(PutChanged(original_.queues, data_.queues, &changed,
                                [&](const auto& x) { return tx.PutQueue(x); }));
  WB_RETURN_IF_ERROR(PutChanged(
      original_.workbin_definitions, data_.workbin_definitions, &changed,
      [&](const auto& x) { return tx.PutWorkbinDefinition(x); }));
  for (const auto& w : diff.create) {
    WB_RETURN_IF_ERROR(tx.PutWorkbin(w));
    effects->created_workbins.push_back(w.id);
    changed = true;
  }
  if (changed) WB_RETURN_IF_ERROR(tx.BumpDirectoryVersion(contact_center_id()));
  if (changed && !subscriptions.empty()) {
    const Directory before(original_, 0), after(data_, 0);
    WB_RETURN_IF_ERROR(EndLostSubscriptions(tx, before, after, subscriptions,
                                            &effects->ended_subscriptions));
  }
  original_ = data_;
  is_new_ = false;
  return Status::Ok();
}

Status RemoveContactCenter(storage::WriteTx& tx, ProvisioningUsage* usage,
                           const storage::ContactCenterRecord& cc,
                           const std::string& at, ProvisioningIssues* issues,
                           ChangeEffects* effects) {
  WB_ASSIGN_OR_RETURN(int64_t open,
                      usage->OpenInteractionsOfContactCenter(tx, cc.id));
  if (open > 0) {
    std::string message = "Contact center '" + cc.name + "' still has " +
                          Plural(open, "interaction") +
                          " that are not Completed";
    issues->AddWithMessage(Code::kInUse, at, message, message);
    return Status::Ok();
  }
  WB_ASSIGN_OR_RETURN(storage::DirectoryData d, tx.LoadDirectory(cc.id));
  for (const auto& u : d.users)
    WB_RETURN_IF_ERROR(EndSessionsOf(tx, u, "", effects));
  for (const auto& w : d.workbins) effects->deleted_workbins.push_back(w.id);
  return tx.DeleteContactCenter(cc.id);
}

}  // namespace workbind::domain
