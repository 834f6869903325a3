#include "domain/interactions/interaction_model.h"

#include <algorithm>

namespace workbind::domain {
namespace {

using Op = InteractionOp;

constexpr MediaNames kNames[] = {
    {"workitem", "workitems", "workitems", "WorkitemStateChangeMessage",
     "workitemType"},
    {"email", "emails", "emails", "EmailStateChangeMessage", "emailType"},
    {"chat", "chats", "chats", "ChatStateChangeMessage", "chatType"},
    {"openmedia", "openmedia", "openmedia", "OpenmediaStateChangeMessage",
     "openmediaType"},
};

constexpr std::string_view kStateNames[] = {
    "Queued",   "Invited",   "Processing", "Composing",
    "Chatting", "InWorkbin", "Completed",  "Revoked"};

constexpr std::string_view kOpNames[] = {
    "Accept",         "Reject",         "Complete",
    "Transfer",       "AttachUserData", "UpdateUserData",
    "DeleteUserData", "SetInFocus",     "PlaceInQueue"};

// One row of the capability table: a state, the families it applies to and
// the operations in the order they are emitted.
struct CapabilityRow {
  InteractionState state;
  std::vector<MediaFamily> families;
  std::vector<Op> ops;
};

const std::vector<CapabilityRow>& Table() {
  using F = MediaFamily;
  using S = InteractionState;
  static const std::vector<CapabilityRow> kTable = {
      {S::kInvited,
       {F::kWorkitem, F::kEmail, F::kChat, F::kOpenMedia},
       {Op::kAccept, Op::kReject}},
      {S::kProcessing,
       {F::kWorkitem, F::kEmail, F::kOpenMedia},
       {Op::kTransfer, Op::kAttachUserData, Op::kUpdateUserData,
        Op::kDeleteUserData, Op::kSetInFocus, Op::kComplete,
        Op::kPlaceInQueue}},
      {S::kComposing,
       {F::kEmail},
       {Op::kAttachUserData, Op::kUpdateUserData, Op::kDeleteUserData,
        Op::kSetInFocus, Op::kTransfer, Op::kComplete, Op::kPlaceInQueue}},
      {S::kChatting,
       {F::kChat},
       {Op::kTransfer, Op::kSetInFocus, Op::kAttachUserData,
        Op::kDeleteUserData, Op::kUpdateUserData, Op::kComplete,
        Op::kPlaceInQueue}},
  };
  return kTable;
}

}  // namespace

MediaFamily FamilyOf(std::string_view media_type) {
  if (media_type == "workitem") return MediaFamily::kWorkitem;
  if (media_type == "email") return MediaFamily::kEmail;
  if (media_type == "chat") return MediaFamily::kChat;
  return MediaFamily::kOpenMedia;
}

const MediaNames& NamesOf(MediaFamily family) {
  return kNames[static_cast<int>(family)];
}

std::string CanonicalPath(std::string_view media_type, std::string_view id) {
  const MediaFamily family = FamilyOf(media_type);
  std::string path = "/";
  path += NamesOf(family).plural;
  if (family == MediaFamily::kOpenMedia) {
    path += "/";
    path += media_type;
  }
  path += "/";
  path += id;
  return path;
}

std::string_view StateName(InteractionState state) {
  return kStateNames[static_cast<int>(state)];
}

std::optional<InteractionState> ParseState(std::string_view name) {
  for (InteractionState s : kAllStates)
    if (StateName(s) == name) return s;
  return std::nullopt;
}

bool IsWorkingState(InteractionState state) {
  return state == InteractionState::kProcessing ||
         state == InteractionState::kComposing ||
         state == InteractionState::kChatting;
}

std::string_view OpName(InteractionOp op) {
  return kOpNames[static_cast<int>(op)];
}

std::optional<InteractionOp> ParseOp(std::string_view name) {
  for (InteractionOp op : kAllOps)
    if (OpName(op) == name) return op;
  return std::nullopt;
}

const std::vector<InteractionOp>& Capabilities(InteractionState state,
                                               MediaFamily family) {
  static const std::vector<InteractionOp> kNone;
  for (const auto& row : Table()) {
    if (row.state != state) continue;
    if (std::find(row.families.begin(), row.families.end(), family) !=
        row.families.end())
      return row.ops;
  }
  return kNone;
}

bool Allows(InteractionState state, MediaFamily family, InteractionOp op) {
  const auto& ops = Capabilities(state, family);
  return std::find(ops.begin(), ops.end(), op) != ops.end();
}

}  // namespace workbind::domain
