#include "storage/postgres/pg_events.h"

#include <chrono>
#include <pqxx/pqxx>

#include "common/log.h"
#include "storage/postgres/pg_listener.h"

namespace workbind::storage::postgres {
namespace {

constexpr std::string_view kFrom = "from:";

// The counters advanced since `cursor` (the oldest transaction running at
// the previous read; "0": all), and the next cursor in the first column of
// the first row (the one row has NULLs when no counter moved).
constexpr const char* kChangedCounters =
    "WITH s AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin) "
    "SELECT s.xmin::text, c.user_id, c.last_seq FROM s LEFT JOIN "
    "notification_counters c ON c.tx >= $1::xid8";

// ChangeListener over PgListener: decodes the payloads of kEventChannel and
// reads the changed counters on the listener's connection.
class PostgresChangeListener final : public ChangeListener {
 public:
  PostgresChangeListener(const StoreOptions& options, ChangeEvents events,
                         const std::string& application_name)
      : events_(std::move(events)),
        node_id_(options.node_id),
        listener_(
            options.postgres_dsn, std::string(kEventChannel),
            [this](const std::optional<std::string>& payload) {
              OnWake(payload);
            },
            application_name) {
    listener_.SetCheck(
        [this](pqxx::connection_base& c, bool due) { Check(c, due); },
        std::chrono::milliseconds(std::max(1, options.postgres_poll_ms)));
  }
  ~PostgresChangeListener() override { Stop(); }

  void Start() override { listener_.Start(); }
  void Stop() override { listener_.Stop(); }
  int connections() const override { return listener_.connections(); }

 private:
  // On the listener thread, as Check: no lock needed for wanted_, cursor_.
  void OnWake(const std::optional<std::string>& payload) {
    if (!payload) {
      if (events_.connected) events_.connected();
      return;
    }
    auto a = ParseAnnouncement(*payload);
    if (!a) {
      log::Warn("postgres: ignoring malformed event '{}'", *payload);
      return;
    }
    if (events_.session_ended)
      for (const auto& id : a->ended_sessions) events_.session_ended(id);
    if (a->notifications && (node_id_.empty() || a->from != node_id_))
      wanted_ = true;
  }

  void Check(pqxx::connection_base& c, bool due) {
    if (!due && !wanted_) return;
    wanted_ = false;
    pqxx::nontransaction q(c);
    const pqxx::result r = q.exec_params(kChangedCounters, cursor_);
    std::string next = r.empty() ? cursor_ : r[0][0].c_str();
    if (events_.notification)
      for (const auto& row : r)
        if (!row[1].is_null())
          events_.notification(row[1].c_str(), row[2].as<int64_t>());
    cursor_ = std::move(next);
  }

  const ChangeEvents events_;
  const std::string node_id_;
  bool wanted_ = false;
  std::string cursor_ = "0";
  PgListener listener_;
};

}  // namespace

std::vector<std::string> AnnouncementPayloads(
    std::string_view node_id, bool notifications,
    const std::vector<std::string>& ended_sessions) {
  std::vector<std::string> out;
  const std::string head = std::string(kFrom) + std::string(node_id);
  std::string p = head + (notifications ? " n" : "");
  bool has_content = notifications;
  for (const auto& id : ended_sessions) {
    const std::string token = " e:" + id;
    if (has_content && p.size() + token.size() > kMaxPayloadBytes) {
      out.push_back(std::move(p));
      p = head;
    }
    p += token;
    has_content = true;
  }
  if (has_content) out.push_back(std::move(p));
  return out;
}

std::optional<Announcement> ParseAnnouncement(std::string_view payload) {
  Announcement a;
  bool any = false;
  size_t i = 0;
  while (i < payload.size()) {
    size_t end = payload.find(' ', i);
    if (end == std::string_view::npos) end = payload.size();
    const std::string_view token = payload.substr(i, end - i);
    i = end + 1;
    if (token.substr(0, kFrom.size()) == kFrom) {
      a.from = std::string(token.substr(kFrom.size()));
      any = true;
    } else if (token == "n") {
      a.notifications = true;
      any = true;
    } else if (token.size() > 2 && token.substr(0, 2) == "e:") {
      a.ended_sessions.emplace_back(token.substr(2));
      any = true;
    }
  }
  if (!any) return std::nullopt;
  return a;
}

std::unique_ptr<ChangeListener> OpenPgChangeListener(
    const StoreOptions& options, ChangeEvents events,
    const std::string& application_name) {
  return std::make_unique<PostgresChangeListener>(options, std::move(events),
                                                  application_name);
}

}  // namespace workbind::storage::postgres
