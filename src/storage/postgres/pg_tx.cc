// PgTx: what every area of the transaction shares: column readers,
// argument checks and the classification of driver failures.
#include "storage/postgres/pg_tx.h"

#include "storage/codec/storage_status.h"
#include "storage/postgres/pg_events.h"

namespace workbind::storage::postgres {
namespace {

// Whether `s` is valid UTF-8 without NUL bytes.
bool ValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0) return false;
    size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;  // truncated sequence
    for (size_t k = 1; k <= n; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF.
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
        (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

}  // namespace

std::string Text(const pqxx::row& row, int col) {
  const pqxx::field f = row[col];
  if (f.is_null()) return {};
  return std::string(f.c_str(), f.size());
}

std::optional<std::string> OptText(const pqxx::row& row, int col) {
  const pqxx::field f = row[col];
  if (f.is_null()) return std::nullopt;
  return std::string(f.c_str(), f.size());
}

int64_t Int(const pqxx::row& row, int col) {
  const pqxx::field f = row[col];
  if (f.is_null()) return 0;
  return f.as<int64_t>();
}

bool PgTx::Storable(std::string_view s) { return ValidUtf8(s); }

Result<pqxx::result> PgTx::Unstorable(Code code) const {
  if (code == Code::kStorageRead) return pqxx::result();
  return InvalidArgument("Text is not valid UTF-8");
}

Status PgTx::Failed(const std::exception& e, Code code, bool contained) {
  DriverError d = Classify(e, code);
  retry_ = retry_ || d.retry;
  broken_ = broken_ || d.broken;
  // A serialization failure or a lost connection spoils the transaction
  // even inside a savepoint.
  if ((!contained || d.retry || d.broken) && failure_.ok()) failure_ = d.status;
  return d.status;
}

Status PgTx::Escalate() {
  if (!row_locks_) return Status::Ok();
  escalate_ = true;
  retry_ = true;
  const Status st = codec::StorageError(Code::kStorageRead, false);
  if (failure_.ok()) failure_ = st;
  return st;
}

Status PgTx::KeyLock(const std::string& key) {
  if (!row_locks_) return Status::Ok();
  return Exec(Code::kStorageRead,
              "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", key);
}

Status PgTx::DeleteById(const char* sql, const std::string& id) {
  return Exec(Code::kStorageDelete, sql, id);
}

Status PgTx::Announce(const std::string& node_id) {
  if (!notifications_stored_ && ended_sessions_.empty()) return Status::Ok();
  for (const std::string& payload :
       AnnouncementPayloads(node_id, notifications_stored_, ended_sessions_)) {
    ++announcements_;
    WB_RETURN_IF_ERROR(Exec(Code::kStorageUpdate, "SELECT pg_notify($1, $2)",
                            std::string(kEventChannel), payload));
  }
  notifications_stored_ = false;
  ended_sessions_.clear();
  return Status::Ok();
}

}  // namespace workbind::storage::postgres
