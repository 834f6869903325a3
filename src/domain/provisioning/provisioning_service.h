// ProvisioningService: the admin REST API of provisioning.md §7 (objects of
// one contact center) and the system API of §8 (contact centers), without
// HTTP. Bodies are the parsed JSON objects; unknown keys are ignored. Each
// change runs in one storage transaction with the rules and error codes of
// §7.2/§7.3, bumps the directory version and drops the cached directory.
// Roles and features are checked by the route table, not here.
// Thread-safe; every method blocks on storage (call from worker threads).
#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/executor.h"
#include "common/status.h"
#include "domain/directory/directory.h"
#include "domain/directory/password.h"
#include "domain/notifications/notifier.h"
#include "domain/provisioning/provisioning_draft.h"
#include "domain/provisioning/provisioning_rules.h"
#include "domain/provisioning/provisioning_usage.h"
#include "storage/store.h"

namespace workbind::domain {

struct ProvisioningChange {
  std::string id;    // the created object's id (creates only)
  std::string path;  // its canonical path relative to /api/v2 (creates only)
  // Sessions ended (users whose access shrank: tell CometD and the auth
  // cache)
  // and workbin instances created/deleted (tell the workbin subscribers).
  ChangeEffects effects;
};

class ProvisioningService {
 public:
  // `usage` answers the in-use checks (nullptr: nothing is ever in use);
  // `notifier` records and sends the Unsubscribed messages of subscriptions
  // a change ends (nullptr: none are sent). The pointers must outlive the
  // service. `slow_work` (null: inline) runs the Argon2id hashing of a new
  // password, so that a request fiber does not hold its I/O thread for it.
  ProvisioningService(storage::Store* store, DirectoryCache* directories,
                      Argon2Params argon2, const Clock* clock,
                      ProvisioningUsage* usage = nullptr,
                      const Notifier* notifier = nullptr,
                      Executor* slow_work = nullptr);

  // --- Objects of a contact center (§7) ---
  //
  // Errors (first failing check wins):
  //   kMissingParameter "Missing required field '<key>'": a required key of
  //     a create body (name/userName, password or passwordHash and roles for
  //     users, type for definitions, agentGroup for queues).
  //   kInvalidArgument "Field '<key>' ...": wrong type, format, enum value or
  //     range; a supervisor without ROLE_SUPERVISOR.
  //   kReadOnly "Field '<key>' is read-only": changing id, userName or a
  //     definition's type.
  //   kNotFound: unknown contact center or object id (an id of the wrong
  //     format included); a referenced name that does not exist ("Field
  //     'defaultPlace': no place named 'x'").
  //   kAlreadyExists: name or id taken ("userName already taken" for users,
  //     whose names are unique on the whole server).
  //   kInUse: the change would delete a workbin instance holding
  //     interactions ("Workbin 'w' of 'alice' still holds 2 interactions"),
  //     or a delete refused by §7.3.
  //   storage codes (kStorage*) when the database fails.

  // Creates an object; returns its id and path.
  Result<ProvisioningChange> Create(const std::string& contact_center_id,
                                    ObjectKind kind,
                                    const boost::json::object& body);
  // Changes the keys present in `body`; arrays and capacity maps replace the
  // stored values whole. A user's sessions end when it is disabled, loses a
  // role or a supervised group, or gets a new password; in that last case
  // the session `acting_session_id` (the one making the change) is kept.
  Result<ProvisioningChange> Update(const std::string& contact_center_id,
                                    ObjectKind kind, const std::string& id,
                                    const boost::json::object& body,
                                    const std::string& acting_session_id = "");
  // Deletes an object (§7.3): it leaves every group, defaultPlace and owners
  // list; a user's sessions end.
  Result<ProvisioningChange> Delete(const std::string& contact_center_id,
                                    ObjectKind kind, const std::string& id);
  // The resource object; kNotFound for an unknown id.
  Result<boost::json::object> Get(const std::string& contact_center_id,
                                  ObjectKind kind, const std::string& id,
                                  std::string_view api_url);
  // Every object of the kind, ordered by name (users by userName).
  Result<boost::json::array> List(const std::string& contact_center_id,
                                  ObjectKind kind, std::string_view api_url);

  // --- Contact centers (§8, system admins only) ---

  // Creates a contact center from the keys of §2.1 (others ignored);
  // kAlreadyExists when the name or id is taken.
  Result<ProvisioningChange> CreateContactCenter(
      const boost::json::object& body);
  // Changes displayName, features, mediaTypes, settings (merged per leaf,
  // capacity whole) and name; kReadOnly when changing the id; kInUse when a
  // removed media type still has open interactions.
  Result<ProvisioningChange> UpdateContactCenter(
      const std::string& id, const boost::json::object& body);
  // Deletes a contact center and all it holds, ending its users' sessions;
  // kInUse while any of its interactions is not Completed.
  Result<ProvisioningChange> DeleteContactCenter(const std::string& id);
  Result<boost::json::object> GetContactCenter(const std::string& id,
                                               std::string_view api_url);
  // Ordered by name.
  Result<boost::json::array> ListContactCenters(std::string_view api_url);
  // Creates a user in the given contact center (same rules as Create with
  // kUser); kNotFound "No such contact center" when it does not exist.
  Result<ProvisioningChange> CreateUserInContactCenter(
      const std::string& contact_center_id, const boost::json::object& body);

 private:
  // Decodes a body of `kind`; `creating` adds the required-key checks.
  // Passwords are hashed here, before any transaction is opened.
  struct DecodedBody;
  Result<DecodedBody> Decode(ObjectKind kind, const boost::json::object& body,
                             bool creating);
  // Runs `edit` on the contact center's draft in one write transaction and
  // commits it; the first issue becomes the returned Status.
  template <typename Edit>
  Result<ProvisioningChange> Change(const std::string& contact_center_id,
                                    Edit edit);
  Status ApplyBody(ProvisioningDraft& draft, const DecodedBody& body,
                   ApplyMode mode, const std::string& target_id,
                   ProvisioningIssues* issues, std::string* id);

  storage::Store* store_;
  DirectoryCache* directories_;
  Argon2Params argon2_;
  Executor* slow_work_;
  const Clock* clock_;  // not used yet; kept for time-stamped side effects
  NoProvisioningUsage no_usage_;
  ProvisioningUsage* usage_;
  const Notifier* notifier_;
};

}  // namespace workbind::domain
