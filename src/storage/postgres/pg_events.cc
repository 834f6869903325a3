#include "storage/postgres/pg_events.h"

#include "common/log.h"
#include "storage/postgres/pg_listener.h"

namespace workbind::storage::postgres {
namespace {

// ChangeListener over PgListener: decodes the payloads of kEventChannel.
class PostgresChangeListener final : public ChangeListener {
 public:
  PostgresChangeListener(const StoreOptions& options, ChangeEvents events,
                         const std::string& application_name)
      : events_(std::move(events)),
        listener_(
            options.postgres_dsn, std::string(kEventChannel),
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
    auto event = ParseEventPayload(*payload);
    if (!event) {
      log::Warn("postgres: ignoring malformed event '{}'", *payload);
      return;
    }
    if (event->kind == Event::Kind::kNotification) {
      if (events_.notification) events_.notification(event->id, event->seq);
    } else if (events_.session_ended) {
      events_.session_ended(event->id);
    }
  }

  const ChangeEvents events_;
  PgListener listener_;
};

}  // namespace

std::unique_ptr<ChangeListener> OpenPgChangeListener(
    const StoreOptions& options, ChangeEvents events,
    const std::string& application_name) {
  return std::make_unique<PostgresChangeListener>(options, std::move(events),
                                                  application_name);
}

}  // namespace workbind::storage::postgres
