# Generates a C++ source holding every migrations/*.sql file, in name order,
# as (version, text) pairs. Invoked at build time by CMakeLists.txt.
file(GLOB files ${SRC_DIR}/migrations/*.sql)
list(SORT files)
set(body "")
foreach(f ${files})
  get_filename_component(name ${f} NAME)
  string(REGEX MATCH "^[0-9]+" version ${name})
  math(EXPR version "${version} + 0")
  file(READ ${f} sql)
  string(APPEND body "  {${version}, R\"wbsql(${sql})wbsql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from storage/postgres/migrations/*.sql. Do not edit.\n#include \"storage/postgres/pg_migrations.h\"\nnamespace workbind::storage::postgres {\nconst std::vector<Migration>& Migrations() {\n  static const std::vector<Migration> kMigrations = {\n${body}  };\n  return kMigrations;\n}\n}  // namespace workbind::storage::postgres\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${OUT}.tmp ${OUT})
