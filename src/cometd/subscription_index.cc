#include "cometd/subscription_index.h"

#include <algorithm>

namespace workbind::cometd {

void SubscriptionIndex::Add(std::string_view contact_center,
                            std::string_view pattern, Session* s) {
  auto cc = by_contact_center_.find(contact_center);
  if (cc == by_contact_center_.end())
    cc = by_contact_center_.emplace(std::string(contact_center), ByPattern{})
             .first;
  auto it = cc->second.find(pattern);
  if (it == cc->second.end())
    it = cc->second.emplace(std::string(pattern), Subscribers{}).first;
  it->second.push_back(s);
}

void SubscriptionIndex::Remove(std::string_view contact_center,
                               std::string_view pattern, Session* s) {
  auto cc = by_contact_center_.find(contact_center);
  if (cc == by_contact_center_.end()) return;
  auto it = cc->second.find(pattern);
  if (it == cc->second.end()) return;
  Subscribers& v = it->second;
  auto pos = std::find(v.begin(), v.end(), s);
  if (pos == v.end()) return;
  *pos = v.back();  // order among subscribers does not matter
  v.pop_back();
  if (!v.empty()) return;
  cc->second.erase(it);
  if (cc->second.empty()) by_contact_center_.erase(cc);
}

void SubscriptionIndex::Match(std::string_view contact_center,
                              std::string_view channel,
                              std::vector<Session*>* out) const {
  out->clear();
  auto cc = by_contact_center_.find(contact_center);
  if (cc == by_contact_center_.end()) return;
  const ByPattern& patterns = cc->second;
  int lists = 0;  // non-empty lists appended: more than one may overlap
  auto take = [&](std::string_view key) {
    auto it = patterns.find(key);
    if (it == patterns.end()) return;
    out->insert(out->end(), it->second.begin(), it->second.end());
    ++lists;
  };
  take(channel);
  // The wildcard ancestors: "<parent>/*" for the last segment, and
  // "<prefix>/**" for every proper prefix.
  std::string key;
  key.reserve(channel.size() + 2);
  size_t slash = channel.rfind('/');
  if (slash != std::string_view::npos && slash + 1 < channel.size()) {
    key.assign(channel.substr(0, slash + 1));
    key.push_back('*');
    take(key);
  }
  for (size_t end = slash; end != std::string_view::npos;
       end = end == 0 ? std::string_view::npos : channel.rfind('/', end - 1)) {
    key.assign(channel.substr(0, end + 1));
    key.append("**");
    take(key);
  }
  if (lists > 1) {
    std::sort(out->begin(), out->end());
    out->erase(std::unique(out->begin(), out->end()), out->end());
  }
}

size_t SubscriptionIndex::PatternCount() const {
  size_t n = 0;
  for (const auto& [cc, patterns] : by_contact_center_) n += patterns.size();
  return n;
}

}  // namespace workbind::cometd
