// Directory: an immutable snapshot of everything provisioned in one contact
// center, with the lookups the services need (by id, by name, membership,
// supervision, visibility of workbins). DirectoryCache keeps the latest
// snapshot per contact center and reloads it when the stored directory
// version changes. Snapshots are shared read-only (thread-safe); the cache is
// thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "storage/store.h"

namespace workbind::domain {

class Directory {
 public:
  Directory(storage::DirectoryData data, int64_t version);

  const storage::ContactCenterRecord& contact_center() const {
    return data_.contact_center;
  }
  const storage::DirectoryData& data() const { return data_; }
  int64_t version() const { return version_; }

  const storage::UserRecord* UserById(const std::string& id) const;
  const storage::UserRecord* UserByName(const std::string& name) const;
  const storage::PlaceRecord* PlaceById(const std::string& id) const;
  const storage::PlaceRecord* PlaceByName(const std::string& name) const;
  const storage::PlaceGroupRecord* PlaceGroupById(const std::string& id) const;
  const storage::PlaceGroupRecord* PlaceGroupByName(
      const std::string& name) const;
  const storage::AgentGroupRecord* AgentGroupById(const std::string& id) const;
  const storage::AgentGroupRecord* AgentGroupByName(
      const std::string& name) const;
  const storage::QueueRecord* QueueById(const std::string& id) const;
  const storage::QueueRecord* QueueByName(const std::string& name) const;
  const storage::WorkbinDefinitionRecord* DefinitionById(
      const std::string& id) const;
  const storage::WorkbinDefinitionRecord* DefinitionByName(
      const std::string& name) const;
  const storage::WorkbinRecord* WorkbinById(const std::string& id) const;

  // Agent groups the user is a member of / supervises, ordered by name.
  std::vector<const storage::AgentGroupRecord*> GroupsOfAgent(
      const std::string& user_id) const;
  std::vector<const storage::AgentGroupRecord*> GroupsSupervisedBy(
      const std::string& user_id) const;
  // Place groups that contain the place, ordered by name.
  std::vector<const storage::PlaceGroupRecord*> GroupsOfPlace(
      const std::string& place_id) const;
  // True when `actor` may act for `target` (auth.md §7.1): itself, an
  // admin/API user of the same contact center, or a supervisor of a group
  // that has `target` as a member.
  bool MayActFor(const storage::UserRecord& actor,
                 const std::string& target_id) const;
  // Users who may act for `target` other than itself (for supervisor copies).
  std::vector<std::string> Watchers(const std::string& target_id) const;
  // Whether the feature is enabled in this contact center.
  bool FeatureEnabled(std::string_view feature) const;
  // Every open-media type of the contact center (fixed social types + custom).
  bool IsMediaType(std::string_view media) const;

 private:
  storage::DirectoryData data_;
  int64_t version_;
  std::map<std::string, size_t> users_by_id_, users_by_name_;
};

class DirectoryCache {
 public:
  // With a clock, Get(contact_center_id) outside a transaction answers from
  // the cached snapshot while a transaction confirmed its version less than
  // a second ago (busy nodes then read no version for it); without one it
  // always reads the version.
  explicit DirectoryCache(storage::Store* store, const Clock* clock = nullptr)
      : store_(store), clock_(clock) {}

  // The current snapshot (reloaded when the stored version moved on; see
  // the constructor for the second in which it is not read again).
  // kNotFound for an unknown contact center; storage errors as returned.
  Result<std::shared_ptr<const Directory>> Get(
      const std::string& contact_center_id);
  // Same, inside a transaction the caller already holds.
  Result<std::shared_ptr<const Directory>> Get(
      storage::ReadTx& tx, const std::string& contact_center_id);
  // Drops the cached snapshot (after a provisioning write).
  void Invalidate(const std::string& contact_center_id);
  // The version of the cached snapshot, without reading the store; -1 when
  // none is cached. Moves on whenever a transaction saw a newer version.
  int64_t CachedVersion(const std::string& contact_center_id) const;

 private:
  struct Entry {
    std::shared_ptr<const Directory> snapshot;
    int64_t confirmed_ms = 0;  // when a transaction last saw its version
  };
  storage::Store* store_;
  const Clock* clock_;
  mutable std::mutex mu_;
  std::map<std::string, Entry> cache_;
};

}  // namespace workbind::domain
