// The operation names of the workbin item requests (workbins.md §3): which
// are an Add and which a Pull, and the media each is bound to. Pure
// functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace workbind::domain {

// What an Add/Pull operation name means: `add` and the media it is bound to
// ("" any, "openmedia" custom types). nullopt for other names.
struct WorkbinItemOperation {
  bool add = false;
  std::string media;
};
std::optional<WorkbinItemOperation> ParseWorkbinItemOperation(
    std::string_view name);
// Whether an interaction of `media_type` matches an operation bound to
// `op_media`.
bool WorkbinOperationMatches(std::string_view op_media,
                             std::string_view media_type);

}  // namespace workbind::domain
