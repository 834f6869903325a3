#include "cometd/permissions.h"

#include "cometd/channel.h"

namespace workbind::cometd {
namespace {

constexpr std::string_view kMe = "/v2/me";
constexpr std::string_view kUsers = "/v2/users/";

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

bool MayWatchOthers(const domain::Principal& who) {
  return who.HasRole("ROLE_SUPERVISOR") || who.HasRole("ROLE_ADMIN") ||
         who.HasRole("ROLE_APIUSER");
}

std::optional<std::string> SupervisedUserOf(std::string_view pattern) {
  if (!StartsWith(pattern, kUsers)) return std::nullopt;
  std::string_view rest = pattern.substr(kUsers.size());
  std::string_view id = rest.substr(0, rest.find('/'));
  if (id.empty() || id == "*" || id == "**") return std::nullopt;
  return std::string(id);
}

bool IsOpenChannel(std::string_view pattern,
                   const std::vector<std::string>& open_channels) {
  for (const auto& open : open_channels)
    if (PatternCovers(open, pattern)) return true;
  return false;
}

SubscribeDecision CheckSubscribe(
    std::string_view pattern, const domain::Principal& who,
    const std::vector<std::string>& open_channels,
    const std::function<bool(const std::string&)>& may_act_for) {
  if (IsMetaChannel(pattern)) return SubscribeDecision::kDeny;
  if (IsServiceChannel(pattern)) return SubscribeDecision::kNoOp;
  // /v2/me, /v2/me/* and everything below /v2/me/.
  if (pattern == kMe || StartsWith(pattern, std::string(kMe) + "/"))
    return SubscribeDecision::kAllow;
  if (StartsWith(pattern, kUsers)) {
    if (!MayWatchOthers(who)) return SubscribeDecision::kDeny;
    std::string_view rest = pattern.substr(kUsers.size());
    if (rest == "*" || rest == "**") return SubscribeDecision::kAllow;
    std::optional<std::string> user = SupervisedUserOf(pattern);
    if (!user) return SubscribeDecision::kDeny;
    return may_act_for && may_act_for(*user) ? SubscribeDecision::kAllow
                                             : SubscribeDecision::kDeny;
  }
  if (FirstSegment(pattern) != "v2" && IsOpenChannel(pattern, open_channels))
    return SubscribeDecision::kAllow;
  return SubscribeDecision::kDeny;
}

PublishDecision CheckPublish(std::string_view channel,
                             const std::vector<std::string>& open_channels) {
  if (IsServiceChannel(channel)) return PublishDecision::kService;
  if (IsWildcard(channel) || IsMetaChannel(channel) ||
      FirstSegment(channel) == "v2")
    return PublishDecision::kDeny;
  for (const auto& open : open_channels)
    if (ChannelMatches(open, channel)) return PublishDecision::kOpen;
  return PublishDecision::kDeny;
}

}  // namespace workbind::cometd
