// The PostgreSQL schema as ordered, versioned migrations (migrations/*.sql,
// embedded at build time), mirroring the SQLite ones. The applied versions
// are rows of the table workbind_schema.
#pragma once

#include <vector>

namespace workbind::storage::postgres {

struct Migration {
  int version;
  const char* sql;
};

// Every migration, ascending by version.
const std::vector<Migration>& Migrations();

}  // namespace workbind::storage::postgres
