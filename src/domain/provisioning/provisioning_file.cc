#include "domain/provisioning/provisioning_file.h"

#include <fstream>
#include <sstream>

#include "common/ids.h"
#include "domain/provisioning/provisioning_file_schema.h"

namespace workbind::domain {
namespace {

// Stands in for a hash that is never stored: it is used only once a problem
// has been found, so that expensive hashing is skipped and nothing is applied.
constexpr char kUnappliedHash[] = "!unapplied";

// The second pass: applies the decoded file inside one write transaction,
// collecting every problem. The caller aborts the transaction when any
// problem was found.
class FileApplier {
 public:
  FileApplier(storage::WriteTx* tx, const Argon2Params& params, bool prune,
              ProvisioningUsage* usage, ProvisioningIssues* issues,
              ProvisioningResult* result)
      : tx_(*tx),
        params_(params),
        prune_(prune),
        usage_(usage),
        issues_(issues),
        result_(result) {}

  Status Run(ProvisioningFileModel& model) {
    WB_RETURN_IF_ERROR(ApplySystemAdmins(model.system_admins));
    WB_ASSIGN_OR_RETURN(auto stored, tx_.ListContactCenters());
    std::vector<const storage::ContactCenterRecord*> matched(
        model.contact_centers.size());
    std::set<std::string> matched_ids;
    for (size_t i = 0; i < model.contact_centers.size(); ++i) {
      matched[i] = Match(model.contact_centers[i], stored);
      if (matched[i]) matched_ids.insert(matched[i]->id);
    }
    if (prune_) {
      // Contact centers the file does not name go first, freeing their user
      // names for the file.
      for (const auto& cc : stored) {
        if (matched_ids.count(cc.id)) continue;
        WB_RETURN_IF_ERROR(RemoveContactCenter(tx_, usage_, cc, "", issues_,
                                               &result_->effects));
        result_->contact_center_ids.push_back(cc.id);
      }
    }
    for (size_t i = 0; i < model.contact_centers.size(); ++i)
      WB_RETURN_IF_ERROR(ApplyCenter(model.contact_centers[i], matched[i]));
    return Status::Ok();
  }

 private:
  // The hash to store for a password given in the file: the stored one when
  // it verifies, else a fresh one.
  Result<std::string> HashFor(const std::string& password,
                              const std::string* stored_hash) {
    if (!issues_->empty())
      return stored_hash ? *stored_hash : std::string(kUnappliedHash);
    if (stored_hash && VerifyPassword(password, *stored_hash))
      return *stored_hash;
    return HashPassword(password, params_);
  }

  Status ApplySystemAdmins(
      const std::vector<FileEntry<SystemAdminPatch>>& admins) {
    WB_ASSIGN_OR_RETURN(auto stored, tx_.ListSystemAdmins());
    std::set<std::string> named;
    for (const auto& e : admins)
      if (e.patch.user_name) named.insert(*e.patch.user_name);
    // The file's list replaces the stored one, whatever prune says.
    for (const auto& admin : stored) {
      if (named.count(admin.user_name)) continue;
      WB_ASSIGN_OR_RETURN(auto ended, tx_.DeleteSessionsOfUser(admin.id));
      for (auto& s : ended)
        result_->effects.ended_sessions.push_back(std::move(s));
      result_->effects.ended_user_ids.push_back(admin.id);
      result_->effects.ended_user_names.push_back(admin.user_name);
      WB_RETURN_IF_ERROR(tx_.DeleteSystemAdmin(admin.id));
    }
    for (const auto& e : admins) {
      if (e.broken || !e.patch.user_name) continue;
      const std::string& name = *e.patch.user_name;
      const storage::SystemAdminRecord* existing = nullptr;
      for (const auto& admin : stored)
        if (admin.user_name == name) existing = &admin;
      WB_ASSIGN_OR_RETURN(auto user, tx_.FindUserByName(name));
      if (user) {
        issues_->AddWithMessage(
            Code::kAlreadyExists, PointerJoin(e.at, "userName"),
            "userName '" + name + "' already taken", "userName already taken");
        continue;
      }
      storage::SystemAdminRecord rec;
      rec.id = existing ? existing->id : DerivedSystemAdminId(name);
      rec.user_name = name;
      if (e.patch.password_hash) {
        rec.password_hash = *e.patch.password_hash;
      } else {
        WB_ASSIGN_OR_RETURN(
            rec.password_hash,
            HashFor(*e.patch.password,
                    existing ? &existing->password_hash : nullptr));
      }
      if (existing && existing->password_hash == rec.password_hash) continue;
      if (!issues_->empty()) continue;
      WB_RETURN_IF_ERROR(tx_.PutSystemAdmin(rec));
      if (existing) {
        // A new password ends the admin's sessions.
        WB_ASSIGN_OR_RETURN(auto ended, tx_.DeleteSessionsOfUser(existing->id));
        for (auto& s : ended)
          result_->effects.ended_sessions.push_back(std::move(s));
        result_->effects.ended_user_ids.push_back(existing->id);
        result_->effects.ended_user_names.push_back(existing->user_name);
      }
    }
    return Status::Ok();
  }

  // The stored contact center a file entry names (by id, else by name).
  const storage::ContactCenterRecord* Match(
      const FileContactCenter& fc,
      const std::vector<storage::ContactCenterRecord>& stored) {
    const ContactCenterPatch& p = fc.patch;
    if (p.id) {
      for (const auto& cc : stored) {
        if (cc.id != *p.id) continue;
        if (p.name && cc.name != *p.name) {
          std::string text =
              "id '" + *p.id + "' belongs to contact center '" + cc.name + "'";
          issues_->AddWithMessage(Code::kAlreadyExists,
                                  PointerJoin(fc.at, "id"), text, text);
        }
        return &cc;
      }
      if (p.name) {
        for (const auto& cc : stored) {
          if (cc.name != *p.name) continue;
          std::string text =
              "contact center '" + cc.name + "' already has id '" + cc.id + "'";
          issues_->AddWithMessage(Code::kReadOnly, PointerJoin(fc.at, "id"),
                                  text, text);
          return &cc;
        }
      }
      return nullptr;
    }
    if (!p.name) return nullptr;
    for (const auto& cc : stored)
      if (cc.name == *p.name) return &cc;
    return nullptr;
  }

  Result<std::string> NewContactCenterId(const FileContactCenter& fc) {
    if (fc.patch.id) return *fc.patch.id;
    // A derived id can be held by a contact center renamed since.
    std::string id = DerivedContactCenterId(*fc.patch.name);
    for (;;) {
      WB_ASSIGN_OR_RETURN(auto other, tx_.GetContactCenter(id));
      if (!other) return id;
      id = ids::RandomUuid4();
    }
  }

  Status ApplyCenter(FileContactCenter& fc,
                     const storage::ContactCenterRecord* stored) {
    if (!fc.patch.name) return Status::Ok();  // reported by the first pass
    const size_t issues_before = issues_->size();
    std::optional<ProvisioningDraft> draft;
    if (stored) {
      WB_ASSIGN_OR_RETURN(auto loaded,
                          ProvisioningDraft::Load(&tx_, usage_, stored->id));
      draft.emplace(std::move(loaded));
    } else {
      WB_ASSIGN_OR_RETURN(std::string id, NewContactCenterId(fc));
      draft.emplace(ProvisioningDraft::ForNewContactCenter(&tx_, usage_, id,
                                                           *fc.patch.name));
    }
    WB_RETURN_IF_ERROR(draft->ApplyContactCenter(fc.patch, fc.at, issues_));
    for (auto kind : kKinds) {
      draft->TolerateNames(kind, fc.broken_names[kind]);
      if (prune_) draft->RestrictReferences(kind, fc.names[kind]);
    }
    std::string id;
    for (const auto& e : fc.places)
      WB_RETURN_IF_ERROR(draft->ApplyPlace(e.patch, ApplyMode::kUpsert, "",
                                           e.at, issues_, &id));
    for (const auto& e : fc.place_groups)
      WB_RETURN_IF_ERROR(draft->ApplyPlaceGroup(e.patch, ApplyMode::kUpsert, "",
                                                e.at, issues_, &id));
    for (const auto& e : fc.users) WB_RETURN_IF_ERROR(ApplyUser(*draft, e));
    for (const auto& e : fc.agent_groups)
      WB_RETURN_IF_ERROR(draft->ApplyAgentGroup(e.patch, ApplyMode::kUpsert, "",
                                                e.at, issues_, &id));
    for (const auto& e : fc.queues)
      WB_RETURN_IF_ERROR(draft->ApplyQueue(e.patch, ApplyMode::kUpsert, "",
                                           e.at, issues_, &id));
    for (const auto& e : fc.workbins)
      WB_RETURN_IF_ERROR(draft->ApplyDefinition(e.patch, ApplyMode::kUpsert, "",
                                                e.at, issues_, &id));
    // Deletions are checked once the rest is valid: a reference that failed
    // above would otherwise show up again as an object still in use.
    if (prune_ && issues_->size() == issues_before) {
      // Dependents before what they depend on.
      for (auto kind : {ObjectKind::kQueue, ObjectKind::kWorkbinDefinition,
                        ObjectKind::kAgentGroup, ObjectKind::kPlaceGroup,
                        ObjectKind::kUser, ObjectKind::kPlace}) {
        for (const auto& [oid, name] : draft->Objects(kind))
          if (!fc.names[kind].count(name))
            WB_RETURN_IF_ERROR(draft->Remove(kind, oid, fc.at, issues_));
      }
    }
    if (issues_->size() == issues_before)
      WB_RETURN_IF_ERROR(draft->Commit(tx_, fc.at, issues_, &result_->effects));
    result_->contact_center_ids.push_back(draft->contact_center_id());
    return Status::Ok();
  }

  Status ApplyUser(ProvisioningDraft& draft, const FileEntry<UserPatch>& e) {
    UserPatch p = e.patch;
    const storage::UserRecord* existing = nullptr;
    for (const auto& u : draft.data().users)
      if ((p.id && u.id == *p.id) ||
          (!p.id && p.user_name && u.user_name == *p.user_name))
        existing = &u;
    if (p.password) {
      WB_ASSIGN_OR_RETURN(
          p.password_hash,
          HashFor(*p.password, existing ? &existing->password_hash : nullptr));
    } else if (!p.password_hash && e.has_password) {
      p.password_hash = kUnappliedHash;  // its problem is reported already
    }
    std::string id;
    return draft.ApplyUser(p, ApplyMode::kUpsert, "", e.at, issues_, &id);
  }

  static constexpr ObjectKind kKinds[] = {
      ObjectKind::kUser,       ObjectKind::kPlace,
      ObjectKind::kPlaceGroup, ObjectKind::kAgentGroup,
      ObjectKind::kQueue,      ObjectKind::kWorkbinDefinition};

  storage::WriteTx& tx_;
  const Argon2Params& params_;
  bool prune_;
  ProvisioningUsage* usage_;
  ProvisioningIssues* issues_;
  ProvisioningResult* result_;
};

}  // namespace

ProvisioningResult ApplyProvisioningFile(const std::string& json_text,
                                         storage::Store* store,
                                         const Argon2Params& params, bool prune,
                                         ProvisioningUsage* usage,
                                         const Notifier* notifier) {
  NoProvisioningUsage unused;
  if (!usage) usage = &unused;
  ProvisioningIssues first_pass;
  ProvisioningFileModel model = ParseProvisioningFile(json_text, &first_pass);
  ProvisioningResult result;
  if (!model.parsed) {
    result.errors = first_pass.Lines();
    return result;
  }
  ProvisioningIssues issues;
  bool rejected = false;
  auto apply = [&](storage::WriteTx& tx, NotificationList* out) -> Status {
    issues = first_pass;
    result = ProvisioningResult();
    FileApplier applier(&tx, params, prune, usage, &issues, &result);
    WB_RETURN_IF_ERROR(applier.Run(model));
    if (!issues.empty()) {
      rejected = true;
      return InvalidArgument("provisioning file rejected");  // rolls back
    }
    if (notifier == nullptr) return Status::Ok();
    return NotifyEndedSubscriptions(tx, *notifier,
                                    result.effects.ended_subscriptions, out);
  };
  Status st = notifier ? notifier->Write(*store, apply)
                       : store->Write([&](storage::WriteTx& tx) -> Status {
                           NotificationList unused;
                           return apply(tx, &unused);
                         });
  if (rejected) {
    result = ProvisioningResult();
    result.errors = issues.Lines();
  } else if (!st.ok()) {
    result = ProvisioningResult();
    result.errors.push_back("provisioning: storage failure: " + st.message());
  }
  return result;
}

ProvisioningResult ApplyProvisioningFileAt(const std::string& path,
                                           storage::Store* store,
                                           const Argon2Params& params,
                                           bool prune, ProvisioningUsage* usage,
                                           const Notifier* notifier) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    ProvisioningResult result;
    result.errors.push_back("provisioning: cannot read " + path);
    return result;
  }
  return ApplyProvisioningFile(text.str(), store, params, prune, usage,
                               notifier);
}

}  // namespace workbind::domain
