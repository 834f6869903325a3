#include "http/router.h"

#include <algorithm>

namespace workbind::http {
namespace {

std::vector<std::string> Split(const std::string& pattern) {
  std::vector<std::string> out;
  size_t i = 1;
  while (i <= pattern.size()) {
    size_t slash = pattern.find('/', i);
    if (slash == std::string::npos) slash = pattern.size();
    if (slash > i) out.push_back(pattern.substr(i, slash - i));
    i = slash + 1;
  }
  return out;
}

bool IsParam(const std::string& s) {
  return s.size() > 2 && s.front() == '{' && s.back() == '}';
}

}  // namespace

void Router::Add(const std::string& method, const std::string& pattern,
                 size_t route) {
  entries_.push_back({method, pattern, route});
  for (auto& p : patterns_) {
    if (p.text == pattern) {
      p.methods.emplace_back(method, route);
      return;
    }
  }
  patterns_.push_back({pattern, Split(pattern), {{method, route}}});
}

Router::Match Router::Find(const std::string& method,
                           const std::vector<std::string>& segments) const {
  const Pattern* best = nullptr;
  std::vector<bool> best_literal;
  for (const auto& p : patterns_) {
    if (p.segments.size() != segments.size()) continue;
    std::vector<bool> literal(segments.size());
    bool ok = true;
    for (size_t i = 0; i < segments.size() && ok; ++i) {
      if (IsParam(p.segments[i])) {
        literal[i] = false;
      } else {
        ok = p.segments[i] == segments[i];
        literal[i] = true;
      }
    }
    if (!ok) continue;
    // Prefer a literal segment at the first position where they differ.
    if (!best ||
        std::lexicographical_compare(best_literal.begin(), best_literal.end(),
                                     literal.begin(), literal.end())) {
      best = &p;
      best_literal = std::move(literal);
    }
  }
  Match m;
  if (!best) return m;
  for (const auto& [meth, route] : best->methods) {
    if (std::find(m.allowed.begin(), m.allowed.end(), meth) == m.allowed.end())
      m.allowed.push_back(meth);
  }
  for (const auto& [meth, route] : best->methods) {
    if (meth == method) {
      m.kind = Match::kFound;
      m.route = route;
      for (size_t i = 0; i < segments.size(); ++i) {
        if (IsParam(best->segments[i]))
          m.params.emplace_back(
              best->segments[i].substr(1, best->segments[i].size() - 2),
              segments[i]);
      }
      return m;
    }
  }
  m.kind = Match::kNoMethod;
  return m;
}

}  // namespace workbind::http
