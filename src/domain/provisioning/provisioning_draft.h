// ProvisioningDraft: a working copy of one contact center's directory that
// provisioning changes (from the provisioning file or the admin REST API) are
// applied to in memory, with the rules of provisioning.md, and then written
// back as the difference from what was loaded. Commit also derives the
// workbin instances (provisioning.md §4), ends the sessions of users whose
// access shrinks (disabled, deleted, password changed, a role lost, removed
// as supervisor of an agent group), and bumps the directory version.
//
// Every Apply*/Remove call reports rule violations into ProvisioningIssues
// (pointers under `at`) and returns a non-OK Status only for storage
// failures. After a violation the draft may be partly changed: the caller
// must not commit it (and must abort the transaction).
//
// A draft lives inside one storage transaction: it keeps the ReadTx and the
// ProvisioningUsage it was given (both must outlive it). Not thread-safe.
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "domain/provisioning/provisioning_issues.h"
#include "domain/provisioning/provisioning_patch.h"
#include "domain/provisioning/provisioning_rules.h"
#include "domain/provisioning/provisioning_usage.h"
#include "domain/workbins/workbin_subscriptions.h"
#include "storage/store.h"

namespace workbind::domain {

// Side effects of a committed change the caller must announce.
struct ChangeEffects {
  std::vector<std::string>
      ended_sessions;  // HTTP session ids that were deleted
  std::vector<std::string>
      ended_user_ids;  // users left without any session by the change
  std::vector<std::string> ended_user_names;  // their user names, same order
  std::vector<std::string> created_workbins;  // workbin instance ids
  std::vector<std::string> deleted_workbins;  // workbin instance ids
  // Subscriptions the change ended (workbin deleted or no longer visible).
  std::vector<EndedSubscription> ended_subscriptions;
};

// How Apply* chooses the object a patch is about.
enum class ApplyMode {
  kCreate,  // a new object; its name (and explicit id) must be free
  kUpdate,  // the object with the given id; changing id/userName/type is
            // read-only
  kUpsert,  // by explicit id if given, else by name; created when absent (file)
};

class ProvisioningDraft {
 public:
  // The stored directory of contact center `cc_id`; kNotFound when unknown.
  static Result<ProvisioningDraft> Load(storage::ReadTx* tx,
                                        ProvisioningUsage* usage,
                                        const std::string& cc_id);
  // A contact center that is not stored yet (defaults of provisioning.md
  // §2.1 with the given id and name); Commit creates it.
  static ProvisioningDraft ForNewContactCenter(storage::ReadTx* tx,
                                               ProvisioningUsage* usage,
                                               const std::string& id,
                                               const std::string& name);

  const storage::DirectoryData& data() const { return data_; }
  const std::string& contact_center_id() const {
    return data_.contact_center.id;
  }
  bool is_new() const { return is_new_; }

  // The HTTP session making the change: when it changes its own user's
  // password, that one session is kept (the user's other sessions end).
  void set_acting_session(std::string session_id) {
    acting_session_ = std::move(session_id);
  }

  // From now on, names referenced by patches of `kind` (members, places,
  // agentGroup, owners, defaultPlace) resolve only when in `names` (pruning:
  // the file is the complete truth).
  void RestrictReferences(ObjectKind kind, std::set<std::string> names);

  // Names of objects of `kind` that could not be decoded (their problems are
  // reported already): references to them are accepted without further
  // checks, so one mistake is reported once.
  void TolerateNames(ObjectKind kind, std::set<std::string> names);

  // Applies displayName, features, mediaTypes, settings (merged per leaf;
  // capacity replaced whole) and name (must be free on the server). The id
  // is not touched.
  Status ApplyContactCenter(const ContactCenterPatch& p, const std::string& at,
                            ProvisioningIssues* issues);

  // Apply a patch to the object chosen by `mode` (`target_id` for kUpdate).
  // On success `*id` is the object's id; it stays empty when the object could
  // not be found or created. User patches must carry the password as
  // `password_hash` (the plain `password` is ignored: callers hash it).
  Status ApplyUser(const UserPatch& p, ApplyMode mode,
                   const std::string& target_id, const std::string& at,
                   ProvisioningIssues* issues, std::string* id);
  Status ApplyPlace(const PlacePatch& p, ApplyMode mode,
                    const std::string& target_id, const std::string& at,
                    ProvisioningIssues* issues, std::string* id);
  Status ApplyPlaceGroup(const PlaceGroupPatch& p, ApplyMode mode,
                         const std::string& target_id, const std::string& at,
                         ProvisioningIssues* issues, std::string* id);
  Status ApplyAgentGroup(const AgentGroupPatch& p, ApplyMode mode,
                         const std::string& target_id, const std::string& at,
                         ProvisioningIssues* issues, std::string* id);
  Status ApplyQueue(const QueuePatch& p, ApplyMode mode,
                    const std::string& target_id, const std::string& at,
                    ProvisioningIssues* issues, std::string* id);
  Status ApplyDefinition(const DefinitionPatch& p, ApplyMode mode,
                         const std::string& target_id, const std::string& at,
                         ProvisioningIssues* issues, std::string* id);

  // Deletes an object with the rules of provisioning.md §7.3: refused (kInUse
  // issue) while it is in use; otherwise it is removed from every group,
  // defaultPlace and owners list. kNotFound issue when there is no such
  // object. Workbin instances follow at Commit.
  Status Remove(ObjectKind kind, const std::string& id, const std::string& at,
                ProvisioningIssues* issues);

  // (id, name) of every object of the kind, in the draft's current state.
  std::vector<std::pair<std::string, std::string>> Objects(
      ObjectKind kind) const;

  // Checks the in-use rules for the derived changes (workbin instances that
  // would disappear, custom media types removed) and, when none is violated,
  // writes the difference into `tx` (the transaction the draft was loaded
  // in). Deletes the HTTP sessions of every user that is deleted, disabled,
  // loses a role or its supervision of an agent group (the group deleted
  // included), or whose password changes (keeping the acting session).
  // Appends to `effects`. Violations are reported as kInUse issues and
  // nothing is written. Storage failures are returned.
  Status Commit(storage::WriteTx& tx, const std::string& at,
                ProvisioningIssues* issues, ChangeEffects* effects);

 private:
  ProvisioningDraft(storage::ReadTx* tx, ProvisioningUsage* usage, bool is_new,
                    storage::DirectoryData data);

  // Resolves a referenced name (honouring RestrictReferences).
  const storage::UserRecord* RefUser(const std::string& name) const;
  const storage::PlaceRecord* RefPlace(const std::string& name) const;
  const storage::PlaceGroupRecord* RefPlaceGroup(const std::string& name) const;
  const storage::AgentGroupRecord* RefAgentGroup(const std::string& name) const;
  bool InScope(ObjectKind kind, const std::string& name) const;
  bool Tolerated(ObjectKind kind, const std::string& name) const;

  // Whether an object of the kind with this id exists in another contact
  // center (loaded once per draft).
  Result<bool> IdTakenElsewhere(ObjectKind kind, const std::string& id);
  // The id for a new object: the explicit one (kAlreadyExists issue when
  // taken) or the derived one (a random one if the derived id is taken).
  Status NewId(ObjectKind kind, const std::optional<std::string>& explicit_id,
               const std::string& name, const std::string& at,
               ProvisioningIssues* issues, std::string* id);
  // A user name is free when no user of any contact center and no system
  // admin has it.
  Result<bool> UserNameFree(const std::string& name) const;

  // Renames and deletions keep the definitions' owners lists in step.
  void RenameOwner(const std::string& type, const std::string& from,
                   const std::string& to);
  void DropOwner(const std::string& type, const std::string& name);

  // Finds (or, by mode, creates) the object a patch is about in `v`; nullptr
  // with an issue reported when there is none.
  template <typename T>
  Result<T*> Locate(std::vector<T>& v, ObjectKind kind,
                    const std::optional<std::string>& pid,
                    const std::optional<std::string>& pname, ApplyMode mode,
                    const std::string& target_id, const std::string& at,
                    ProvisioningIssues* issues, bool* created);
  // Renames an object of `v` to `new_name` unless another object has it.
  template <typename T>
  bool Rename(std::vector<T>& v, T* rec, ObjectKind kind,
              const std::optional<std::string>& pname, const std::string& at,
              ProvisioningIssues* issues);

  storage::ReadTx* tx_;
  ProvisioningUsage* usage_;
  bool is_new_;
  storage::DirectoryData original_;
  storage::DirectoryData data_;
  std::map<ObjectKind, std::set<std::string>> scope_;
  std::map<ObjectKind, std::set<std::string>> tolerated_;
  std::optional<std::map<ObjectKind, std::set<std::string>>> foreign_ids_;
  std::string acting_session_;
};

// Deletes a contact center and everything it holds, ending its users'
// sessions (appended to `effects`). Refused (kInUse issue) while any of its
// interactions is not Completed. Storage failures are returned.
Status RemoveContactCenter(storage::WriteTx& tx, ProvisioningUsage* usage,
                           const storage::ContactCenterRecord& cc,
                           const std::string& at, ProvisioningIssues* issues,
                           ChangeEffects* effects);

}  // namespace workbind::domain
