// LoginThrottle: counts failed Basic sign-ins per user name and per remote
// address and locks a key out for a while once it has failed too often, so
// that passwords cannot be guessed at the speed of the server. It never
// blocks a thread: a locked-out attempt is refused at once by the caller.
//
// A key (a user name, or an address) that reaches its failure limit within
// the window (window_seconds from the first failure counted; the next
// failure after it opens a new window) is locked out for lockout_seconds; every
// further lockout of the same key doubles that, up to max_lockout_seconds. A
// key's entry is forgotten (and its lockout starts again at lockout_seconds)
// once it has seen no failure and no lockout for max(window, max_lockout)
// seconds. Each table holds at most max_keys entries; beyond that the least
// recently failed entries are dropped first.
//
// Thread-safe (one mutex; every call is O(log n) amortised).
#pragma once

#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <unordered_map>

namespace workbind::domain {

struct ThrottleSettings {
  int max_failures = 5;               // per user name, within the window
  int max_failures_per_address = 20;  // per remote address, within the window
  int window_seconds = 60;
  int lockout_seconds = 30;       // first lockout of a key
  int max_lockout_seconds = 900;  // doubling stops here
  size_t max_keys = 100000;       // per table (names, addresses)
};

class LoginThrottle {
 public:
  explicit LoginThrottle(ThrottleSettings settings);

  // Seconds (>= 1) until `user_name` and `address` are both free again when
  // either is locked out at `now_ms`; 0 when the attempt may proceed. An
  // empty address is not keyed.
  int RetryAfterSeconds(const std::string& user_name,
                        const std::string& address, int64_t now_ms);
  // Records a failed attempt for the name and the address.
  void Failed(const std::string& user_name, const std::string& address,
              int64_t now_ms);
  // A successful sign-in: forgets the name's failures and lockouts (the
  // address keeps its count).
  void Succeeded(const std::string& user_name);

  // Entries held (names + addresses), for tests.
  size_t size() const;

 private:
  struct Entry {
    int failures = 0;  // within the current window
    int64_t window_start_ms = 0;
    int64_t locked_until_ms = 0;
    int lockouts = 0;        // lockouts so far (for the doubling)
    int64_t expires_ms = 0;  // forgotten from then on
    std::list<std::string>::iterator order;
  };
  // One table: entries by key, and their keys from the least to the most
  // recently failed.
  struct Table {
    std::unordered_map<std::string, Entry> entries;
    std::list<std::string> order;
  };

  int64_t LockedFor(Table& table, const std::string& key, int64_t now_ms);
  void Fail(Table& table, const std::string& key, int limit, int64_t now_ms);
  void Expire(Table& table, int64_t now_ms);

  const ThrottleSettings settings_;
  mutable std::mutex mu_;
  Table names_;
  Table addresses_;
};

}  // namespace workbind::domain
