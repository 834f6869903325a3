// The SQLite schema as ordered, versioned migrations (migrations/*.sql,
// embedded at build time). The applied version is PRAGMA user_version.
#pragma once

#include <vector>

namespace workbind::storage::sqlite {

struct Migration {
  int version;
  const char* sql;
};

// Every migration, ascending by version.
const std::vector<Migration>& Migrations();

}  // namespace workbind::storage::sqlite
