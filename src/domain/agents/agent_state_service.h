// AgentStateService: the contact-center session of auth.md §7.3 and the
// channel states of interactions.md §8 — StartContactCenterSession,
// EndContactCenterSession, Ready/NotReady per channel, and the
// ChannelStateChangeMessageV2 notifications. Thread-safe; methods block on
// storage.
#pragma once

#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "domain/core/principal.h"
#include "domain/directory/directory.h"
#include "domain/notifications/notifier.h"
#include "storage/store.h"

namespace workbind::domain {

// Observes agent-state changes inside the write transaction (the router uses
// it to revoke offers of logged-out channels). Implementations must only use
// `tx` and must not block on anything else.
class AgentStateObserver {
 public:
  virtual ~AgentStateObserver() = default;
  // Channels that were logged out (session ended or channel dropped).
  virtual Status OnChannelsLoggedOut(storage::WriteTx& tx, const Directory& dir,
                                     const std::string& user_id,
                                     const std::vector<std::string>& channels,
                                     std::vector<Notification>* out) = 0;
  // After any state change has been committed (e.g. to trigger routing).
  virtual void AfterChange(const std::string& contact_center_id) = 0;
};

struct ChannelResult {
  std::string channel;
  Status status;
};

class AgentStateService {
 public:
  AgentStateService(storage::Store* store, DirectoryCache* directories,
                    const Notifier* notifier, const Clock* clock);
  void SetObserver(AgentStateObserver* observer) { observer_ = observer; }

  // auth.md §9.3. Returns the per-channel results (all OK, some failed, or
  // the error of the first failing channel when every channel failed, in
  // which case nothing changed). kNotFound for an unknown place, kInUse for
  // a place used by another user.
  Result<std::vector<ChannelResult>> Start(
      const Principal& who, const std::vector<std::string>& channels,
      const std::optional<std::string>& place_name);
  // Ends the user's contact-center session (no-op when none); notifies the
  // user with "channels":[]. Used by EndContactCenterSession and when the
  // user's last HTTP session ends.
  Status End(const std::string& contact_center_id, const std::string& user_id);
  // Ready/NotReady on one channel (or every logged-in channel when
  // `channel` is empty) of `target_user_id`, by `actor`. Returns the actor's
  // referenceId. kNotFound when the channel is not logged in; kInvalidState
  // when no channel is logged in (all-channels form).
  Result<int64_t> SetState(const Principal& actor,
                           const std::string& target_user_id,
                           const std::string& channel, bool ready,
                           const std::optional<std::string>& reason);
  // The user's contact-center session, if any.
  Result<std::optional<storage::AgentStateRecord>> Get(
      const std::string& user_id);

  // The channel-state object of interactions.md §8.1.
  static boost::json::object RenderChannel(
      const storage::ChannelStateRecord& c);

 private:
  boost::json::object Message(const storage::AgentStateRecord* state) const;

  storage::Store* store_;
  DirectoryCache* directories_;
  const Notifier* notifier_;
  const Clock* clock_;
  AgentStateObserver* observer_ = nullptr;
};

}  // namespace workbind::domain
