// The provisioning file (provisioning.md §5): a declarative JSON document of
// system admins and contact centers applied at start. The whole file is
// validated first (syntax, unknown keys, types, required keys, formats, enum
// values, references, duplicates, in-use rules of deletes); every problem
// becomes one line "provisioning: <json-pointer>: <problem>". Only when there
// is none is the file applied, in one storage transaction, as an upsert by
// name (or explicit id): keys present are updated, omitted keys keep their
// stored values. Thread-safe (the Store serialises writes).
#pragma once

#include <string>
#include <vector>

#include "domain/directory/password.h"
#include "domain/notifications/notifier.h"
#include "domain/provisioning/provisioning_draft.h"
#include "domain/provisioning/provisioning_usage.h"
#include "storage/store.h"

namespace workbind::domain {

struct ProvisioningResult {
  // One line per problem, in document order; empty when the file was applied.
  std::vector<std::string> errors;
  // Side effects to announce (sessions of deleted/disabled users and removed
  // system admins, workbin instances created and deleted).
  ChangeEffects effects;
  // Ids of the contact centers the file named or pruned (their cached
  // directories must be dropped).
  std::vector<std::string> contact_center_ids;

  bool ok() const { return errors.empty(); }
};

// Validates and applies the provisioning file `json_text`. With `prune`
// (setting provisioning.prune) objects absent from the file are deleted, and
// references resolve only to objects the file names. Passwords are hashed
// with `params` (a stored hash that verifies is kept). `usage` answers the
// in-use checks (nullptr: nothing is in use). A storage failure is reported
// as one error line.
// With `notifier`, the subscriptions the file ends get their Unsubscribed
// messages recorded for replay.
ProvisioningResult ApplyProvisioningFile(const std::string& json_text,
                                         storage::Store* store,
                                         const Argon2Params& params, bool prune,
                                         ProvisioningUsage* usage = nullptr,
                                         const Notifier* notifier = nullptr);

// Reads the file at `path` and applies it as above; an unreadable file is
// reported as one error line ("provisioning: cannot read <path>").
ProvisioningResult ApplyProvisioningFileAt(const std::string& path,
                                           storage::Store* store,
                                           const Argon2Params& params,
                                           bool prune,
                                           ProvisioningUsage* usage = nullptr,
                                           const Notifier* notifier = nullptr);

}  // namespace workbind::domain
