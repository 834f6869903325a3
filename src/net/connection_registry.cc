#include "net/connection_registry.h"

#include <utility>
#include <vector>

namespace workbind::net {

ConnectionRegistry::Id ConnectionRegistry::Add(std::weak_ptr<Session> session) {
  std::lock_guard lock(mu_);
  if (draining_) return 0;
  Id id = next_id_++;
  sessions_.emplace(id, std::move(session));
  return id;
}

void ConnectionRegistry::Replace(Id id, std::weak_ptr<Session> session) {
  std::lock_guard lock(mu_);
  auto it = sessions_.find(id);
  if (it != sessions_.end()) it->second = std::move(session);
}

void ConnectionRegistry::Remove(Id id) {
  if (id == 0) return;
  std::lock_guard lock(mu_);
  sessions_.erase(id);
  if (sessions_.empty()) empty_cv_.notify_all();
}

size_t ConnectionRegistry::size() const {
  std::lock_guard lock(mu_);
  return sessions_.size();
}

std::vector<std::shared_ptr<Session>> ConnectionRegistry::Snapshot() const {
  std::vector<std::shared_ptr<Session>> out;
  std::lock_guard lock(mu_);
  out.reserve(sessions_.size());
  for (const auto& [id, weak] : sessions_) {
    if (auto s = weak.lock()) out.push_back(std::move(s));
  }
  return out;
}

void ConnectionRegistry::DrainAll() {
  {
    std::lock_guard lock(mu_);
    draining_ = true;
  }
  // Calls happen outside the lock: a session may finish (and Remove itself)
  // while we hold its strong reference.
  for (const auto& s : Snapshot()) s->Drain();
}

void ConnectionRegistry::ForceCloseAll() {
  for (const auto& s : Snapshot()) s->ForceClose();
}

bool ConnectionRegistry::WaitEmpty(
    std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  return empty_cv_.wait_until(lock, deadline,
                              [this] { return sessions_.empty(); });
}

}  // namespace workbind::net
