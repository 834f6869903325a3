// SqliteTx: workbin pages, item counts and server secrets
// (migrations/0007_workbin_paging.sql).
#include "storage/codec/workbin_page.h"
#include "storage/sqlite/sqlite_tx.h"

namespace workbind::storage::sqlite {
namespace {

// The page statements: [descending][with a media type][after a position].
// Literals, because prepared statements are cached by their text's address.
#define WB_PAGE(where, order)                                               \
  WB_INTERACTION_COLUMNS                                                    \
  "WHERE workbin_id = ?1 AND state = 'InWorkbin' " where " ORDER BY " order \
  " LIMIT ?5"
const char* const kPageSql[2][2][2] = {
    {{WB_PAGE("", "received_ms, id"),
      WB_PAGE("AND (received_ms, id) > (?3, ?4)", "received_ms, id")},
     {WB_PAGE("AND media_type = ?2", "received_ms, id"),
      WB_PAGE("AND media_type = ?2 AND (received_ms, id) > (?3, ?4)",
              "received_ms, id")}},
    {{WB_PAGE("", "received_ms DESC, id DESC"),
      WB_PAGE("AND (received_ms, id) < (?3, ?4)", "received_ms DESC, id DESC")},
     {WB_PAGE("AND media_type = ?2", "received_ms DESC, id DESC"),
      WB_PAGE("AND media_type = ?2 AND (received_ms, id) < (?3, ?4)",
              "received_ms DESC, id DESC")}}};
#undef WB_PAGE

}  // namespace

Result<std::vector<InteractionRecord>> SqliteTx::ListWorkbinPage(
    const std::string& workbin_id, const std::vector<std::string>& media_types,
    bool descending,
    const std::optional<std::pair<int64_t, std::string>>& after,
    int64_t limit) {
  // One ordered read per media type (an index range each), merged.
  return codec::MergeWorkbinPage(
      media_types, descending, limit,
      [&](const std::optional<std::string>& media) {
        auto s = c_->Prepare(
            kPageSql[descending][media.has_value()][after.has_value()]);
        s.Bind(1, workbin_id);
        if (media) s.Bind(2, *media);
        if (after) s.Bind(3, after->first).Bind(4, after->second);
        s.Bind(5, limit > 0 ? limit : int64_t{-1});
        return ReadInteractionRows(s);
      });
}

Result<std::map<std::string, int64_t>> SqliteTx::CountWorkbinItemsByMedia(
    const std::string& workbin_id) {
  auto s = c_->Prepare(
      "SELECT media_type, n FROM workbin_item_counts WHERE workbin_id = ? AND "
      "n > 0");
  s.Bind(1, workbin_id);
  std::map<std::string, int64_t> out;
  while (s.Step()) out[s.Text(0)] = s.Int(1);
  if (!s.status().ok()) return s.status();
  return out;
}

Result<std::string> SqliteTx::GetServerSecret(const std::string& name) {
  auto s = c_->Prepare("SELECT value FROM server_secrets WHERE name = ?");
  s.Bind(1, name);
  std::optional<std::string> v;
  if (s.Step()) v = s.Text(0);
  while (s.Step()) {
  }
  if (!s.status().ok()) return s.status();
  if (!v) return NotFound("No server secret '" + name + "'");
  return *v;
}

}  // namespace workbind::storage::sqlite
