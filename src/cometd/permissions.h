// Channel permissions (notifications.md §7): who may subscribe to and
// publish on which channels. Pure functions; thread-safe. The one check that
// needs the authentication layer (may the caller act for a given user) is
// passed in as a callback so these rules stay testable without it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/core/principal.h"

namespace workbind::cometd {

enum class SubscribeDecision {
  kAllow,  // record the subscription
  kNoOp,   // succeed, record nothing (/service/**)
  kDeny,   // 403::Subscription denied
};

enum class PublishDecision {
  kOpen,     // deliver to subscribed sessions of the publisher's contact center
  kService,  // succeed, deliver nothing (/service/**)
  kDeny,     // 403::Publish denied
};

// Decides a subscription to the normalized `pattern` by `who`.
// `may_act_for(user_id)` is consulted only for /v2/users/{userId}/...
// patterns of a SUPERVISOR/ADMIN/APIUSER.
SubscribeDecision CheckSubscribe(
    std::string_view pattern, const domain::Principal& who,
    const std::vector<std::string>& open_channels,
    const std::function<bool(const std::string&)>& may_act_for);

// Decides a publish on the normalized `channel`.
PublishDecision CheckPublish(std::string_view channel,
                             const std::vector<std::string>& open_channels);

// The {userId} of "/v2/users/{userId}" or "/v2/users/{userId}/...", when it
// is not a wildcard; else nullopt.
std::optional<std::string> SupervisedUserOf(std::string_view pattern);

// True for SUPERVISOR, ADMIN and APIUSER: the roles that may subscribe to
// /v2/users/**.
bool MayWatchOthers(const domain::Principal& who);

// True when `open_channels` covers the whole of `pattern`.
bool IsOpenChannel(std::string_view pattern,
                   const std::vector<std::string>& open_channels);

}  // namespace workbind::cometd
