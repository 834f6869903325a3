#include "domain/directory/directory.h"

#include <algorithm>

namespace workbind::domain {
namespace {

template <typename T>
const T* FindBy(const std::vector<T>& v, const std::string& key,
                std::string T::*field) {
  for (const auto& x : v)
    if (x.*field == key) return &x;
  return nullptr;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

Directory::Directory(storage::DirectoryData data, int64_t version)
    : data_(std::move(data)), version_(version) {
  for (size_t i = 0; i < data_.users.size(); ++i) {
    users_by_id_[data_.users[i].id] = i;
    users_by_name_[data_.users[i].user_name] = i;
  }
}

const storage::UserRecord* Directory::UserById(const std::string& id) const {
  auto it = users_by_id_.find(id);
  return it == users_by_id_.end() ? nullptr : &data_.users[it->second];
}
const storage::UserRecord* Directory::UserByName(
    const std::string& name) const {
  auto it = users_by_name_.find(name);
  return it == users_by_name_.end() ? nullptr : &data_.users[it->second];
}
const storage::PlaceRecord* Directory::PlaceById(const std::string& id) const {
  return FindBy(data_.places, id, &storage::PlaceRecord::id);
}
const storage::PlaceRecord* Directory::PlaceByName(
    const std::string& name) const {
  return FindBy(data_.places, name, &storage::PlaceRecord::name);
}
const storage::PlaceGroupRecord* Directory::PlaceGroupById(
    const std::string& id) const {
  return FindBy(data_.place_groups, id, &storage::PlaceGroupRecord::id);
}
const storage::PlaceGroupRecord* Directory::PlaceGroupByName(
    const std::string& name) const {
  return FindBy(data_.place_groups, name, &storage::PlaceGroupRecord::name);
}
const storage::AgentGroupRecord* Directory::AgentGroupById(
    const std::string& id) const {
  return FindBy(data_.agent_groups, id, &storage::AgentGroupRecord::id);
}
const storage::AgentGroupRecord* Directory::AgentGroupByName(
    const std::string& name) const {
  return FindBy(data_.agent_groups, name, &storage::AgentGroupRecord::name);
}
const storage::QueueRecord* Directory::QueueById(const std::string& id) const {
  return FindBy(data_.queues, id, &storage::QueueRecord::id);
}
const storage::QueueRecord* Directory::QueueByName(
    const std::string& name) const {
  return FindBy(data_.queues, name, &storage::QueueRecord::name);
}
const storage::WorkbinDefinitionRecord* Directory::DefinitionById(
    const std::string& id) const {
  return FindBy(data_.workbin_definitions, id,
                &storage::WorkbinDefinitionRecord::id);
}
const storage::WorkbinDefinitionRecord* Directory::DefinitionByName(
    const std::string& name) const {
  return FindBy(data_.workbin_definitions, name,
                &storage::WorkbinDefinitionRecord::name);
}
const storage::WorkbinRecord* Directory::WorkbinById(
    const std::string& id) const {
  return FindBy(data_.workbins, id, &storage::WorkbinRecord::id);
}

std::vector<const storage::AgentGroupRecord*> Directory::GroupsOfAgent(
    const std::string& user_id) const {
  std::vector<const storage::AgentGroupRecord*> out;
  for (const auto& g : data_.agent_groups)
    if (Contains(g.agent_ids, user_id)) out.push_back(&g);
  return out;
}

std::vector<const storage::AgentGroupRecord*> Directory::GroupsSupervisedBy(
    const std::string& user_id) const {
  std::vector<const storage::AgentGroupRecord*> out;
  for (const auto& g : data_.agent_groups)
    if (Contains(g.supervisor_ids, user_id)) out.push_back(&g);
  return out;
}

std::vector<const storage::PlaceGroupRecord*> Directory::GroupsOfPlace(
    const std::string& place_id) const {
  std::vector<const storage::PlaceGroupRecord*> out;
  for (const auto& g : data_.place_groups)
    if (Contains(g.place_ids, place_id)) out.push_back(&g);
  return out;
}

bool Directory::MayActFor(const storage::UserRecord& actor,
                          const std::string& target_id) const {
  if (actor.id == target_id) return true;
  if (actor.contact_center_id != data_.contact_center.id) return false;
  if (!UserById(target_id)) return false;
  if (Contains(actor.roles, "ROLE_ADMIN") ||
      Contains(actor.roles, "ROLE_APIUSER"))
    return true;
  if (!Contains(actor.roles, "ROLE_SUPERVISOR")) return false;
  for (const auto& g : data_.agent_groups)
    if (Contains(g.supervisor_ids, actor.id) &&
        Contains(g.agent_ids, target_id))
      return true;
  return false;
}

std::vector<std::string> Directory::Watchers(
    const std::string& target_id) const {
  std::vector<std::string> out;
  for (const auto& u : data_.users)
    if (u.id != target_id && u.enabled && MayActFor(u, target_id))
      out.push_back(u.id);
  return out;
}

bool Directory::FeatureEnabled(std::string_view feature) const {
  for (const auto& f : data_.contact_center.features)
    if (f == feature) return true;
  return false;
}

bool Directory::IsMediaType(std::string_view media) const {
  static constexpr std::string_view kFixed[] = {
      "email", "chat", "workitem", "tweet", "facebook", "facebooksession"};
  for (auto f : kFixed)
    if (f == media) return true;
  for (const auto& m : data_.contact_center.media_types)
    if (m == media) return true;
  return false;
}

Result<std::shared_ptr<const Directory>> DirectoryCache::Get(
    const std::string& cc) {
  if (clock_) {
    constexpr int64_t kConfirmedFor = 1000;
    const int64_t now = clock_->NowMillis();
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(cc);
    if (it != cache_.end() && now - it->second.confirmed_ms < kConfirmedFor)
      return it->second.snapshot;
  }
  Result<std::shared_ptr<const Directory>> out = Internal("unset");
  Status st = store_->Read([&](storage::ReadTx& tx) {
    out = Get(tx, cc);
    return out.status();
  });
  if (!st.ok()) return st;
  return out;
}

Result<std::shared_ptr<const Directory>> DirectoryCache::Get(
    storage::ReadTx& tx, const std::string& cc) {
  WB_ASSIGN_OR_RETURN(int64_t version, tx.DirectoryVersion(cc));
  const int64_t now = clock_ ? clock_->NowMillis() : 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(cc);
    if (it != cache_.end() && it->second.snapshot->version() == version) {
      it->second.confirmed_ms = now;
      return it->second.snapshot;
    }
  }
  WB_ASSIGN_OR_RETURN(auto data, tx.LoadDirectory(cc));
  auto snapshot = std::make_shared<const Directory>(std::move(data), version);
  std::lock_guard<std::mutex> lock(mu_);
  Entry& slot = cache_[cc];
  if (!slot.snapshot || slot.snapshot->version() <= version) {
    slot.snapshot = snapshot;
    slot.confirmed_ms = now;
  }
  return snapshot;
}

int64_t DirectoryCache::CachedVersion(const std::string& cc) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cache_.find(cc);
  return it == cache_.end() ? -1 : it->second.snapshot->version();
}

void DirectoryCache::Invalidate(const std::string& cc) {
  std::lock_guard<std::mutex> lock(mu_);
  cache_.erase(cc);
}

}  // namespace workbind::domain
