// PgTx: workbin pages, item counts and server secrets
// (migrations/0007_workbin_paging.sql).
#include "storage/codec/workbin_page.h"
#include "storage/postgres/pg_tx.h"

namespace workbind::storage::postgres {
namespace {

// The page statements: [descending][with a media type][after a position].
// Each names only the parameters it uses (PostgreSQL must infer every
// parameter's type): $1 workbin, then the media type, then the position
// (received_ms, id), then the limit (NULL: all).
#define WB_PAGE(where, order) \
  WB_INTERACTION_COLUMNS      \
  "WHERE workbin_id = $1 AND state = 'InWorkbin' " where " ORDER BY " order
const char* const kPageSql[2][2][2] = {
    {{WB_PAGE("", "received_ms, id LIMIT $2"),
      WB_PAGE("AND (received_ms, id) > ($2, $3)", "received_ms, id LIMIT $4")},
     {WB_PAGE("AND media_type = $2", "received_ms, id LIMIT $3"),
      WB_PAGE("AND media_type = $2 AND (received_ms, id) > ($3, $4)",
              "received_ms, id LIMIT $5")}},
    {{WB_PAGE("", "received_ms DESC, id DESC LIMIT $2"),
      WB_PAGE("AND (received_ms, id) < ($2, $3)",
              "received_ms DESC, id DESC LIMIT $4")},
     {WB_PAGE("AND media_type = $2", "received_ms DESC, id DESC LIMIT $3"),
      WB_PAGE("AND media_type = $2 AND (received_ms, id) < ($3, $4)",
              "received_ms DESC, id DESC LIMIT $5")}}};
#undef WB_PAGE

}  // namespace

Result<std::vector<InteractionRecord>> PgTx::ListWorkbinPage(
    const std::string& workbin_id, const std::vector<std::string>& media_types,
    bool descending,
    const std::optional<std::pair<int64_t, std::string>>& after,
    int64_t limit) {
  WB_RETURN_IF_ERROR(Escalate());
  // One ordered read per media type (an index range each), merged.
  const std::optional<int64_t> max_rows =
      limit > 0 ? std::optional<int64_t>(limit) : std::nullopt;
  return codec::MergeWorkbinPage(
      media_types, descending, limit,
      [&](const std::optional<std::string>& media)
          -> Result<std::vector<InteractionRecord>> {
        const char* sql =
            kPageSql[descending][media.has_value()][after.has_value()];
        Result<pqxx::result> r = pqxx::result();
        if (media && after)
          r = Run(Code::kStorageRead, sql, workbin_id, *media, after->first,
                  after->second, max_rows);
        else if (media)
          r = Run(Code::kStorageRead, sql, workbin_id, *media, max_rows);
        else if (after)
          r = Run(Code::kStorageRead, sql, workbin_id, after->first,
                  after->second, max_rows);
        else
          r = Run(Code::kStorageRead, sql, workbin_id, max_rows);
        if (!r.ok()) return r.status();
        return ReadInteractionRows(*r);
      });
}

Result<std::map<std::string, int64_t>> PgTx::CountWorkbinItemsByMedia(
    const std::string& workbin_id) {
  WB_RETURN_IF_ERROR(Escalate());
  WB_ASSIGN_OR_RETURN(auto r, Run(Code::kStorageRead,
                                  "SELECT media_type, n FROM "
                                  "workbin_item_counts WHERE workbin_id = $1 "
                                  "AND n > 0",
                                  workbin_id));
  std::map<std::string, int64_t> out;
  for (const auto& row : r) out[Text(row, 0)] = Int(row, 1);
  return out;
}

Result<std::string> PgTx::GetServerSecret(const std::string& name) {
  WB_ASSIGN_OR_RETURN(
      auto r, Run(Code::kStorageRead,
                  "SELECT value FROM server_secrets WHERE name = $1", name));
  if (r.empty()) return NotFound("No server secret '" + name + "'");
  return Text(r[0], 0);
}

}  // namespace workbind::storage::postgres
