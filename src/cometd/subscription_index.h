// SubscriptionIndex: the sessions subscribed to each channel pattern, kept
// per contact center, so that a publish finds its subscribers by looking up
// only the channel itself and its wildcard ancestors (for /a/b/c: /a/b/c,
// /a/b/*, /a/b/**, /a/** and /**) instead of testing every session. A
// session appears under a pattern at most once (the caller adds a pattern
// only when the session did not have it). Pointers are not owned: the caller
// removes a session's patterns before destroying it. Not thread-safe; the
// Broker uses it under its mutex.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace workbind::cometd {

struct Session;

class SubscriptionIndex {
 public:
  // Records that `s` (of `contact_center`) is subscribed to `pattern`
  // (normalized; a channel, or one ending in `*` or `**`).
  void Add(std::string_view contact_center, std::string_view pattern,
           Session* s);
  // Forgets `s` under `pattern`; a no-op when it was not recorded there.
  void Remove(std::string_view contact_center, std::string_view pattern,
              Session* s);
  // Appends to `out` each session of `contact_center` subscribed to a
  // pattern matching the concrete `channel`, once even when several of its
  // patterns match. `out` is cleared first.
  void Match(std::string_view contact_center, std::string_view channel,
             std::vector<Session*>* out) const;

  // The number of (contact center, pattern) entries (for tests).
  size_t PatternCount() const;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return std::hash<std::string_view>{}(s);
    }
  };
  using Subscribers = std::vector<Session*>;
  using ByPattern =
      std::unordered_map<std::string, Subscribers, Hash, std::equal_to<>>;

  std::unordered_map<std::string, ByPattern, Hash, std::equal_to<>>
      by_contact_center_;
};

}  // namespace workbind::cometd
