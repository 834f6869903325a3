#include "storage/codec/workbin_page.h"

#include <algorithm>
#include <tuple>

namespace workbind::storage::codec {

Result<std::vector<InteractionRecord>> MergeWorkbinPage(
    const std::vector<std::string>& media_types, bool descending, int64_t limit,
    const PageRead& read) {
  std::vector<std::optional<std::string>> medias;
  for (const auto& m : media_types) medias.emplace_back(m);
  if (medias.empty()) medias.emplace_back();
  std::vector<InteractionRecord> out;
  for (const auto& media : medias) {
    WB_ASSIGN_OR_RETURN(auto part, read(media));
    if (out.empty()) {
      out = std::move(part);
    } else {
      for (auto& r : part) out.push_back(std::move(r));
    }
  }
  if (medias.size() > 1) {
    auto before = [descending](const InteractionRecord& a,
                               const InteractionRecord& b) {
      return descending
                 ? std::tie(a.received_ms, a.id) > std::tie(b.received_ms, b.id)
                 : std::tie(a.received_ms, a.id) <
                       std::tie(b.received_ms, b.id);
    };
    std::sort(out.begin(), out.end(), before);
    if (limit > 0 && static_cast<int64_t>(out.size()) > limit)
      out.resize(static_cast<size_t>(limit));
  }
  return out;
}

}  // namespace workbind::storage::codec
