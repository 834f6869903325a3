// SqliteTx: what every area of the transaction shares.
#include "storage/sqlite/sqlite_tx.h"

namespace workbind::storage::sqlite {

Status SqliteTx::DeleteById(const char* sql, const std::string& id) {
  auto s = c_->Prepare(sql);
  s.Bind(1, id);
  return s.Exec(Code::kStorageDelete);
}

Result<int64_t> ReadCount(Stmt& s) {
  if (s.Step()) {
    int64_t n = s.Int(0);
    while (s.Step()) {
    }
    return n;
  }
  if (!s.status().ok()) return s.status();
  return int64_t{0};
}

}  // namespace workbind::storage::sqlite
