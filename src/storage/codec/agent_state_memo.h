// AgentStateMemo: the agent states one transaction has read or written, so
// that a second GetAgentState of a user in the same transaction is answered
// without a statement. Each backend's transaction owns one; it lives and
// dies with the transaction. Not thread-safe (a transaction is not shared).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "common/status.h"
#include "storage/records.h"

namespace workbind::storage::codec {

class AgentStateMemo {
 public:
  using State = std::optional<AgentStateRecord>;

  // The remembered state of `user_id` (a remembered absence too), else what
  // `load()` (a Result<State>) reads, remembered when it succeeded.
  template <typename Load>
  Result<State> Get(const std::string& user_id, Load&& load) {
    auto known = states_.find(user_id);
    if (known != states_.end()) return known->second;
    WB_ASSIGN_OR_RETURN(State state, std::forward<Load>(load)());
    states_.emplace(user_id, state);
    return state;
  }
  // After a write of `r` (`written`: it succeeded): remembers `r`, or
  // forgets the user when the write failed.
  void Wrote(const AgentStateRecord& r, bool written) {
    states_.erase(r.user_id);
    if (written) states_.emplace(r.user_id, r);
  }
  // After a delete (or any change not known row by row): forgets the user.
  void Forget(const std::string& user_id) { states_.erase(user_id); }

 private:
  std::map<std::string, State> states_;
};

}  // namespace workbind::storage::codec
