#include "domain/workbins/workbin_operations.h"

#include "domain/interactions/interaction_model.h"

namespace workbind::domain {

std::optional<WorkbinItemOperation> ParseWorkbinItemOperation(
    std::string_view name) {
  struct Entry {
    std::string_view suffix;
    std::string_view media;
  };
  static constexpr Entry kEntries[] = {{"Interaction", ""},
                                       {"Email", "email"},
                                       {"Chat", "chat"},
                                       {"Workitem", "workitem"},
                                       {"Tweet", "tweet"},
                                       {"Facebook", "facebook"},
                                       {"Facebooksession", "facebooksession"},
                                       {"Openmedia", "openmedia"}};
  if (name == "AddInteractionToWorkbin") return WorkbinItemOperation{true, ""};
  for (bool add : {true, false}) {
    const std::string_view prefix = add ? "Add" : "Pull";
    if (name.substr(0, prefix.size()) != prefix) continue;
    const std::string_view rest = name.substr(prefix.size());
    for (const auto& e : kEntries)
      if (rest == e.suffix)
        return WorkbinItemOperation{add, std::string(e.media)};
  }
  return std::nullopt;
}

bool WorkbinOperationMatches(std::string_view op_media,
                             std::string_view media_type) {
  if (op_media.empty()) return true;
  if (op_media == "openmedia")
    return FamilyOf(media_type) == MediaFamily::kOpenMedia &&
           media_type != "tweet" && media_type != "facebook" &&
           media_type != "facebooksession";
  return op_media == media_type;
}

}  // namespace workbind::domain
