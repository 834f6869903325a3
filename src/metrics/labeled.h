// Labeled<M>: one metric M (Counter or Histogram) per combination of label
// values, created on first use. Thread-safe: With() takes a shared lock to
// find an existing child (an exclusive one only to create it); children are
// never destroyed before the family, so the returned reference stays valid.
// Callers keep label values to a small closed set (no user input).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

namespace workbind::metrics {

template <typename M>
class Labeled {
 public:
  using Values = std::vector<std::string>;

  Labeled(std::vector<std::string> names,
          std::function<std::unique_ptr<M>()> make)
      : names_(std::move(names)), make_(std::move(make)) {}

  // The child for `values` (one per label name, in order).
  M& With(const Values& values) {
    {
      std::shared_lock lock(mu_);
      auto it = children_.find(values);
      if (it != children_.end()) return *it->second;
    }
    std::unique_lock lock(mu_);
    auto& slot = children_[values];
    if (!slot) slot = make_();
    return *slot;
  }

  const std::vector<std::string>& names() const { return names_; }

  // Calls fn(values, child) for every child, in label-value order, under the
  // shared lock (fn must not call With on this family).
  void ForEach(const std::function<void(const Values&, const M&)>& fn) const {
    std::shared_lock lock(mu_);
    for (const auto& [values, child] : children_) fn(values, *child);
  }

 private:
  std::vector<std::string> names_;
  std::function<std::unique_ptr<M>()> make_;
  mutable std::shared_mutex mu_;
  std::map<Values, std::unique_ptr<M>> children_;
};

}  // namespace workbind::metrics
