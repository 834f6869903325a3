// The merge of a workbin page (ReadTx::ListWorkbinPage) read as one ordered
// read per media type, each an index range: the backends run the reads, this
// merges them. Thread-safe (no state).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "storage/records.h"

namespace workbind::storage::codec {

// One read of the page: the rows of `media_type` (std::nullopt: of every
// media type) in page order, at most the page's limit.
using PageRead = std::function<Result<std::vector<InteractionRecord>>(
    const std::optional<std::string>& media_type)>;

// Calls `read` once per entry of `media_types` (once with std::nullopt when
// it is empty) and returns the rows in page order, (received_ms, id)
// ascending or `descending`, at most `limit` of them (0: all). Returns the
// first error of `read`.
Result<std::vector<InteractionRecord>> MergeWorkbinPage(
    const std::vector<std::string>& media_types, bool descending, int64_t limit,
    const PageRead& read);

}  // namespace workbind::storage::codec
