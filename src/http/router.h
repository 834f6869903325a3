// Router: matches a method and decoded path segments against path patterns
// such as "/api/v2/users/{userId}/workbins/{id}". Where several patterns
// match a path, the one with the most literal segments (leftmost first)
// wins. Built once at start, then read-only (thread-safe to share).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace workbind::http {

class Router {
 public:
  struct Match {
    enum Kind { kFound, kNoRoute, kNoMethod } kind = kNoRoute;
    size_t route = 0;  // the value given to Add, when kFound
    std::vector<std::string>
        allowed;  // methods of the matched path (kFound, kNoMethod)
    std::vector<std::pair<std::string, std::string>> params;  // bound {names}
  };

  // Registers `method` on `pattern`, yielding `route` when matched.
  void Add(const std::string& method, const std::string& pattern, size_t route);
  Match Find(const std::string& method,
             const std::vector<std::string>& segments) const;
  // Every registered (method, pattern, route), in registration order.
  struct Entry {
    std::string method;
    std::string pattern;
    size_t route;
  };
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  struct Pattern {
    std::string text;
    std::vector<std::string> segments;  // "{x}" marks a parameter
    std::vector<std::pair<std::string, size_t>> methods;
  };
  std::vector<Pattern> patterns_;
  std::vector<Entry> entries_;
};

}  // namespace workbind::http
