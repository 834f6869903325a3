#include "domain/directory/login_throttle.h"

#include <algorithm>

namespace workbind::domain {

LoginThrottle::LoginThrottle(ThrottleSettings settings)
    : settings_(std::move(settings)) {}

void LoginThrottle::Expire(Table& table, int64_t now_ms) {
  // The front is the least recently failed entry; later ones expire later
  // (all have the same lifetime after their last failure, give or take the
  // lockout), so stopping at the first live one is enough to bound memory.
  while (!table.order.empty()) {
    auto it = table.entries.find(table.order.front());
    if (it != table.entries.end() && it->second.expires_ms > now_ms) break;
    if (it != table.entries.end()) table.entries.erase(it);
    table.order.pop_front();
  }
}

int64_t LoginThrottle::LockedFor(Table& table, const std::string& key,
                                 int64_t now_ms) {
  auto it = table.entries.find(key);
  if (it == table.entries.end()) return 0;
  return std::max<int64_t>(0, it->second.locked_until_ms - now_ms);
}

void LoginThrottle::Fail(Table& table, const std::string& key, int limit,
                         int64_t now_ms) {
  Expire(table, now_ms);
  const int64_t window_ms = int64_t{settings_.window_seconds} * 1000;
  const int64_t max_lockout_ms = int64_t{settings_.max_lockout_seconds} * 1000;
  auto [it, inserted] = table.entries.try_emplace(key);
  Entry& e = it->second;
  if (inserted) {
    table.order.push_back(key);
    e.order = std::prev(table.order.end());
  } else {
    table.order.splice(table.order.end(), table.order, e.order);
    // Past its expiry but not purged yet: start afresh.
    if (e.expires_ms <= now_ms) e = Entry{0, 0, 0, 0, 0, e.order};
  }
  if (e.failures == 0 || now_ms - e.window_start_ms >= window_ms) {
    e.failures = 0;
    e.window_start_ms = now_ms;
  }
  if (++e.failures >= limit) {
    // Lockout n lasts lockout_seconds * 2^(n-1), capped.
    int64_t lock_ms = int64_t{settings_.lockout_seconds} * 1000;
    for (int i = 0; i < e.lockouts && lock_ms < max_lockout_ms; ++i)
      lock_ms *= 2;
    lock_ms = std::min(lock_ms, max_lockout_ms);
    ++e.lockouts;
    e.locked_until_ms = now_ms + lock_ms;
    e.failures = 0;
  }
  e.expires_ms =
      std::max(e.locked_until_ms, now_ms) + std::max(window_ms, max_lockout_ms);
  while (table.entries.size() > settings_.max_keys) {
    table.entries.erase(table.order.front());
    table.order.pop_front();
  }
}

int LoginThrottle::RetryAfterSeconds(const std::string& user_name,
                                     const std::string& address,
                                     int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t wait_ms = LockedFor(names_, user_name, now_ms);
  if (!address.empty())
    wait_ms = std::max(wait_ms, LockedFor(addresses_, address, now_ms));
  if (wait_ms <= 0) return 0;
  return static_cast<int>((wait_ms + 999) / 1000);
}

void LoginThrottle::Failed(const std::string& user_name,
                           const std::string& address, int64_t now_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  Fail(names_, user_name, settings_.max_failures, now_ms);
  if (!address.empty())
    Fail(addresses_, address, settings_.max_failures_per_address, now_ms);
}

void LoginThrottle::Succeeded(const std::string& user_name) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = names_.entries.find(user_name);
  if (it == names_.entries.end()) return;
  names_.order.erase(it->second.order);
  names_.entries.erase(it);
}

size_t LoginThrottle::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return names_.entries.size() + addresses_.entries.size();
}

}  // namespace workbind::domain
