#include "domain/provisioning/provisioning_service.h"

#include <boost/json.hpp>

#include "common/ids.h"
#include "common/suspend.h"
#include "domain/provisioning/provisioning_render.h"

namespace workbind::domain {
namespace json = boost::json;
namespace {

Status NoSuchContactCenter() { return NotFound("No such contact center"); }

Status NoSuch(ObjectKind kind) {
  return NotFound("No such " + std::string(KindLabel(kind)));
}

}  // namespace

struct ProvisioningService::DecodedBody {
  ObjectKind kind;
  UserPatch user;
  PlacePatch place;
  PlaceGroupPatch place_group;
  AgentGroupPatch agent_group;
  QueuePatch queue;
  DefinitionPatch definition;
};

ProvisioningService::ProvisioningService(
    storage::Store* store, DirectoryCache* directories, Argon2Params argon2,
    const Clock* clock, ProvisioningUsage* usage, const Notifier* notifier,
    Executor* slow_work)
    : store_(store),
      directories_(directories),
      argon2_(argon2),
      slow_work_(slow_work),
      clock_(clock),
      usage_(usage ? usage : &no_usage_),
      notifier_(notifier) {}

Result<ProvisioningService::DecodedBody> ProvisioningService::Decode(
    ObjectKind kind, const json::object& body, bool creating) {
  ProvisioningIssues issues;
  if (creating) {
    RequireKeys(body, "", RequiredKeys(kind), &issues);
    if (kind == ObjectKind::kUser) RequirePassword(body, "", &issues);
  }
  DecodedBody d;
  d.kind = kind;
  switch (kind) {
    case ObjectKind::kUser:
      d.user = DecodeUser(body, "", Strictness::kLenient, &issues);
      break;
    case ObjectKind::kPlace:
      d.place = DecodePlace(body, "", Strictness::kLenient, &issues);
      break;
    case ObjectKind::kPlaceGroup:
      d.place_group = DecodePlaceGroup(body, "", Strictness::kLenient, &issues);
      break;
    case ObjectKind::kAgentGroup:
      d.agent_group = DecodeAgentGroup(body, "", Strictness::kLenient, &issues);
      break;
    case ObjectKind::kQueue:
      d.queue = DecodeQueue(body, "", Strictness::kLenient, &issues);
      break;
    case ObjectKind::kWorkbinDefinition:
      d.definition = DecodeDefinition(body, "", Strictness::kLenient, &issues);
      break;
  }
  if (!issues.empty()) return issues.FirstStatus();
  // Argon2id is slow by design: hash before the write transaction.
  if (kind == ObjectKind::kUser && d.user.password) {
    Result<std::string> hash = Internal("unset");
    RunOn(slow_work_, [&] { hash = HashPassword(*d.user.password, argon2_); });
    WB_ASSIGN_OR_RETURN(d.user.password_hash, std::move(hash));
    d.user.password.reset();
  }
  return d;
}

Status ProvisioningService::ApplyBody(ProvisioningDraft& draft,
                                      const DecodedBody& b, ApplyMode mode,
                                      const std::string& target_id,
                                      ProvisioningIssues* issues,
                                      std::string* id) {
  switch (b.kind) {
    case ObjectKind::kUser:
      return draft.ApplyUser(b.user, mode, target_id, "", issues, id);
    case ObjectKind::kPlace:
      return draft.ApplyPlace(b.place, mode, target_id, "", issues, id);
    case ObjectKind::kPlaceGroup:
      return draft.ApplyPlaceGroup(b.place_group, mode, target_id, "", issues,
                                   id);
    case ObjectKind::kAgentGroup:
      return draft.ApplyAgentGroup(b.agent_group, mode, target_id, "", issues,
                                   id);
    case ObjectKind::kQueue:
      return draft.ApplyQueue(b.queue, mode, target_id, "", issues, id);
    case ObjectKind::kWorkbinDefinition:
      return draft.ApplyDefinition(b.definition, mode, target_id, "", issues,
                                   id);
  }
  return Internal("Internal error");
}

template <typename Edit>
Result<ProvisioningChange> ProvisioningService::Change(const std::string& cc_id,
                                                       Edit edit) {
  if (!ids::IsUuid(cc_id)) return NoSuchContactCenter();
  ProvisioningChange change;
  auto apply = [&](storage::WriteTx& tx, NotificationList* out) -> Status {
    change = ProvisioningChange();
    auto draft = ProvisioningDraft::Load(&tx, usage_, cc_id);
    if (!draft.ok())
      return draft.status().code() == Code::kNotFound ? NoSuchContactCenter()
                                                      : draft.status();
    ProvisioningIssues issues;
    WB_RETURN_IF_ERROR(edit(*draft, &issues, &change.id));
    if (!issues.empty()) return issues.FirstStatus();
    WB_RETURN_IF_ERROR(draft->Commit(tx, "", &issues, &change.effects));
    WB_RETURN_IF_ERROR(issues.FirstStatus());
    if (notifier_ == nullptr) return Status::Ok();
    return NotifyEndedSubscriptions(tx, *notifier_,
                                    change.effects.ended_subscriptions, out);
  };
  Status st = notifier_ ? notifier_->Write(*store_, apply)
                        : store_->Write([&](storage::WriteTx& tx) -> Status {
                            NotificationList unused;
                            return apply(tx, &unused);
                          });
  if (!st.ok()) return st;
  directories_->Invalidate(cc_id);
  return change;
}

Result<ProvisioningChange> ProvisioningService::Create(
    const std::string& cc_id, ObjectKind kind, const json::object& body) {
  WB_ASSIGN_OR_RETURN(DecodedBody decoded,
                      Decode(kind, body, /*creating=*/true));
  WB_ASSIGN_OR_RETURN(
      ProvisioningChange change,
      Change(cc_id, [&](ProvisioningDraft& draft, ProvisioningIssues* issues,
                        std::string* id) {
        return ApplyBody(draft, decoded, ApplyMode::kCreate, "", issues, id);
      }));
  change.path = KindPath(kind, change.id);
  return change;
}

Result<ProvisioningChange> ProvisioningService::CreateUserInContactCenter(
    const std::string& cc_id, const json::object& body) {
  return Create(cc_id, ObjectKind::kUser, body);
}

Result<ProvisioningChange> ProvisioningService::Update(
    const std::string& cc_id, ObjectKind kind, const std::string& id,
    const json::object& body, const std::string& acting_session_id) {
  WB_ASSIGN_OR_RETURN(DecodedBody decoded,
                      Decode(kind, body, /*creating=*/false));
  if (!IsIdOf(kind, id)) return NoSuch(kind);
  return Change(cc_id, [&](ProvisioningDraft& draft, ProvisioningIssues* issues,
                           std::string* out) {
    draft.set_acting_session(acting_session_id);
    Status st = ApplyBody(draft, decoded, ApplyMode::kUpdate, id, issues, out);
    out->clear();  // updates report no id
    return st;
  });
}

Result<ProvisioningChange> ProvisioningService::Delete(const std::string& cc_id,
                                                       ObjectKind kind,
                                                       const std::string& id) {
  if (!IsIdOf(kind, id)) return NoSuch(kind);
  return Change(
      cc_id, [&](ProvisioningDraft& draft, ProvisioningIssues* issues,
                 std::string*) { return draft.Remove(kind, id, "", issues); });
}

Result<json::object> ProvisioningService::Get(const std::string& cc_id,
                                              ObjectKind kind,
                                              const std::string& id,
                                              std::string_view api_url) {
  if (!ids::IsUuid(cc_id)) return NoSuchContactCenter();
  if (!IsIdOf(kind, id)) return NoSuch(kind);
  json::object out;
  Status st = store_->Read([&](storage::ReadTx& tx) -> Status {
    auto dir = directories_->Get(tx, cc_id);
    if (!dir.ok())
      return dir.status().code() == Code::kNotFound ? NoSuchContactCenter()
                                                    : dir.status();
    const Directory& d = **dir;
    switch (kind) {
      case ObjectKind::kUser:
        if (const auto* u = d.UserById(id))
          out = RenderUser(d.data(), *u, api_url);
        break;
      case ObjectKind::kPlace:
        if (const auto* p = d.PlaceById(id)) out = RenderPlace(*p, api_url);
        break;
      case ObjectKind::kPlaceGroup:
        if (const auto* g = d.PlaceGroupById(id))
          out = RenderPlaceGroup(d.data(), *g, api_url);
        break;
      case ObjectKind::kAgentGroup:
        if (const auto* g = d.AgentGroupById(id))
          out = RenderAgentGroup(d.data(), *g, api_url);
        break;
      case ObjectKind::kQueue:
        if (const auto* q = d.QueueById(id)) {
          WB_ASSIGN_OR_RETURN(int64_t waiting, usage_->WaitingInQueue(tx, id));
          out = RenderQueue(d.data(), *q, api_url, waiting);
        }
        break;
      case ObjectKind::kWorkbinDefinition:
        if (const auto* def = d.DefinitionById(id))
          out = RenderDefinition(*def, api_url);
        break;
    }
    return out.empty() ? NoSuch(kind) : Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<json::array> ProvisioningService::List(const std::string& cc_id,
                                              ObjectKind kind,
                                              std::string_view api_url) {
  if (!ids::IsUuid(cc_id)) return NoSuchContactCenter();
  json::array out;
  Status st = store_->Read([&](storage::ReadTx& tx) -> Status {
    auto dir = directories_->Get(tx, cc_id);
    if (!dir.ok())
      return dir.status().code() == Code::kNotFound ? NoSuchContactCenter()
                                                    : dir.status();
    const storage::DirectoryData& d = (*dir)->data();
    // The directory lists are ordered by name (users by user name).
    switch (kind) {
      case ObjectKind::kUser:
        for (const auto& u : d.users)
          out.emplace_back(RenderUser(d, u, api_url));
        break;
      case ObjectKind::kPlace:
        for (const auto& p : d.places)
          out.emplace_back(RenderPlace(p, api_url));
        break;
      case ObjectKind::kPlaceGroup:
        for (const auto& g : d.place_groups)
          out.emplace_back(RenderPlaceGroup(d, g, api_url));
        break;
      case ObjectKind::kAgentGroup:
        for (const auto& g : d.agent_groups)
          out.emplace_back(RenderAgentGroup(d, g, api_url));
        break;
      case ObjectKind::kQueue:
        for (const auto& q : d.queues) {
          WB_ASSIGN_OR_RETURN(int64_t waiting,
                              usage_->WaitingInQueue(tx, q.id));
          out.emplace_back(RenderQueue(d, q, api_url, waiting));
        }
        break;
      case ObjectKind::kWorkbinDefinition:
        for (const auto& def : d.workbin_definitions)
          out.emplace_back(RenderDefinition(def, api_url));
        break;
    }
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<ProvisioningChange> ProvisioningService::CreateContactCenter(
    const json::object& body) {
  ProvisioningIssues issues;
  RequireKeys(body, "", {"name"}, &issues);
  ContactCenterPatch patch =
      DecodeContactCenter(body, "", Strictness::kLenient, &issues);
  if (!issues.empty()) return issues.FirstStatus();
  ProvisioningChange change;
  Status st = store_->Write([&](storage::WriteTx& tx) -> Status {
    change = ProvisioningChange();
    WB_ASSIGN_OR_RETURN(auto same_name,
                        tx.FindContactCenterByName(*patch.name));
    if (same_name)
      return AlreadyExists("Contact center name '" + *patch.name +
                           "' already used");
    std::string id = patch.id ? *patch.id : DerivedContactCenterId(*patch.name);
    for (;;) {
      WB_ASSIGN_OR_RETURN(auto same_id, tx.GetContactCenter(id));
      if (!same_id) break;
      if (patch.id) return AlreadyExists("Id '" + id + "' already used");
      id = ids::RandomUuid4();  // the derived id is held by a renamed contact
                                // center
    }
    ProvisioningDraft draft =
        ProvisioningDraft::ForNewContactCenter(&tx, usage_, id, *patch.name);
    ProvisioningIssues apply_issues;
    WB_RETURN_IF_ERROR(draft.ApplyContactCenter(patch, "", &apply_issues));
    WB_RETURN_IF_ERROR(draft.Commit(tx, "", &apply_issues, &change.effects));
    WB_RETURN_IF_ERROR(apply_issues.FirstStatus());
    change.id = id;
    return Status::Ok();
  });
  if (!st.ok()) return st;
  change.path = "/system/contact-centers/" + change.id;
  directories_->Invalidate(change.id);
  return change;
}

Result<ProvisioningChange> ProvisioningService::UpdateContactCenter(
    const std::string& id, const json::object& body) {
  ProvisioningIssues issues;
  ContactCenterPatch patch =
      DecodeContactCenter(body, "", Strictness::kLenient, &issues);
  if (!issues.empty()) return issues.FirstStatus();
  if (!ids::IsUuid(id)) return NoSuchContactCenter();
  return Change(id, [&](ProvisioningDraft& draft, ProvisioningIssues* issues,
                        std::string*) {
    if (patch.id && *patch.id != id) issues->ReadOnly("/id", "id");
    return draft.ApplyContactCenter(patch, "", issues);
  });
}

Result<ProvisioningChange> ProvisioningService::DeleteContactCenter(
    const std::string& id) {
  if (!ids::IsUuid(id)) return NoSuchContactCenter();
  ProvisioningChange change;
  Status st = store_->Write([&](storage::WriteTx& tx) -> Status {
    change = ProvisioningChange();
    WB_ASSIGN_OR_RETURN(auto cc, tx.GetContactCenter(id));
    if (!cc) return NoSuchContactCenter();
    ProvisioningIssues issues;
    WB_RETURN_IF_ERROR(
        RemoveContactCenter(tx, usage_, *cc, "", &issues, &change.effects));
    return issues.FirstStatus();
  });
  if (!st.ok()) return st;
  directories_->Invalidate(id);
  return change;
}

Result<json::object> ProvisioningService::GetContactCenter(
    const std::string& id, std::string_view api_url) {
  if (!ids::IsUuid(id)) return NoSuchContactCenter();
  json::object out;
  Status st = store_->Read([&](storage::ReadTx& tx) -> Status {
    WB_ASSIGN_OR_RETURN(auto cc, tx.GetContactCenter(id));
    if (!cc) return NoSuchContactCenter();
    out = RenderContactCenter(*cc, api_url);
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

Result<json::array> ProvisioningService::ListContactCenters(
    std::string_view api_url) {
  json::array out;
  Status st = store_->Read([&](storage::ReadTx& tx) -> Status {
    WB_ASSIGN_OR_RETURN(auto centers, tx.ListContactCenters());
    for (const auto& cc : centers)
      out.emplace_back(RenderContactCenter(cc, api_url));
    return Status::Ok();
  });
  if (!st.ok()) return st;
  return out;
}

}  // namespace workbind::domain
