#include "storage/open_store.h"

#include <spdlog/spdlog.h>

#include "storage/postgres/pg_events.h"
#include "storage/postgres/pg_listener.h"
#include "storage/postgres/pg_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace workbind::storage {
namespace {

// ChangeListener over PgListener: decodes the payloads of kEventChannel.
class PostgresChangeListener final : public ChangeListener {
 public:
  PostgresChangeListener(const StoreOptions& options, ChangeEvents events,
                         const std::string& application_name)
      : events_(std::move(events)),
        listener_(
            options.postgres_dsn, std::string(postgres::kEventChannel),
            [this](const std::optional<std::string>& payload) {
              OnWake(payload);
            },
            application_name) {}
  ~PostgresChangeListener() override { Stop(); }

  void Start() override { listener_.Start(); }
  void Stop() override { listener_.Stop(); }
  int connections() const override { return listener_.connections(); }

 private:
  void OnWake(const std::optional<std::string>& payload) {
    if (!payload) {
      if (events_.connected) events_.connected();
      return;
    }
    auto event = postgres::ParseEventPayload(*payload);
    if (!event) {
      spdlog::warn("postgres: ignoring malformed event '{}'", *payload);
      return;
    }
    if (event->kind == postgres::Event::Kind::kNotification) {
      if (events_.notification) events_.notification(event->id, event->seq);
    } else if (events_.session_ended) {
      events_.session_ended(event->id);
    }
  }

  const ChangeEvents events_;
  postgres::PgListener listener_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(const StoreOptions& options) {
  if (options.backend == "sqlite") return sqlite::OpenSqliteStore(options);
  if (options.backend == "postgres")
    return postgres::OpenPostgresStore(options);
  return InvalidArgument("Unknown storage backend '" + options.backend + "'");
}

Result<std::unique_ptr<ChangeListener>> OpenChangeListener(
    const StoreOptions& options, ChangeEvents events,
    const std::string& application_name) {
  if (options.backend == "sqlite") return std::unique_ptr<ChangeListener>();
  if (options.backend == "postgres")
    return std::unique_ptr<ChangeListener>(std::make_unique<PostgresChangeListener>(
        options, std::move(events), application_name));
  return InvalidArgument("Unknown storage backend '" + options.backend + "'");
}

}  // namespace workbind::storage
