// LastSessionEnd: what ends with a user's last HTTP session (auth.md §3.2):
// its contact-center session (agent state, place) and its workbin
// subscriptions. AuthService reports the users (its LastSessionEndedHook);
// this applies the rule. Thread-safe; blocks on storage.
#pragma once

#include <string>
#include <vector>

#include "storage/store.h"

namespace workbind::domain {

class AgentStateService;
class WorkbinService;

class LastSessionEnd {
 public:
  // The pointers must outlive this object.
  LastSessionEnd(storage::Store* store, AgentStateService* agent_states,
                 WorkbinService* workbins);

  // For each user whose last HTTP session ended: ends its contact-center
  // session, then its workbin subscriptions. A user no longer stored is
  // skipped; a failure is logged and the next step and user go on.
  void Apply(const std::vector<std::string>& user_ids) const;

 private:
  storage::Store* store_;
  AgentStateService* agent_states_;
  WorkbinService* workbins_;
};

}  // namespace workbind::domain
