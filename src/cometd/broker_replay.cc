// Broker: the replay extension (extensions.md §2). A handshake with
// ext.replay reads the user's bounds from the ReplayLog (before mu_ is
// taken, on the Executor); subscribes inside the window queue a ReplayJob,
// read on the Executor and merged with the live events held meanwhile, so
// that nothing is lost or delivered twice between replay and live delivery.
#include <algorithm>

#include "cometd/broker.h"
#include "cometd/channel.h"

namespace workbind::cometd {
namespace json = boost::json;

namespace {

bool MatchesAny(const std::vector<std::string>& patterns,
                std::string_view channel) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const auto& p) { return ChannelMatches(p, channel); });
}

constexpr std::string_view kReplayChannel = "/v2/me/replay";

}  // namespace

EventPtr Broker::OwnCopy(const domain::Notification& n, bool replayed) {
  json::object data = n.data;
  if (n.reference_id > 0 && !n.actor_user_id.empty() &&
      n.actor_user_id == n.user_id)
    data["referenceId"] = n.reference_id;
  json::object e{{"channel", "/v2/me/" + n.topic}, {"data", std::move(data)}};
  if (n.seq > 0) {
    json::object ext{{"seq", n.seq}};
    if (replayed) ext["replayed"] = true;
    e["ext"] = std::move(ext);
  }
  return MakeEvent(e);
}

void Broker::EnqueueNumbered(Session* s, int64_t seq, const EventPtr& event,
                             Outbox* out) {
  if (s->replay && seq > 0) {
    ReplayState& r = *s->replay;
    if (r.jobs > 0) {
      r.held.emplace_back(seq, event);
      return;
    }
    if (Now() < r.window_end) {
      if (!r.seen.insert(seq).second) return;
    } else if (r.available || r.unavailable_sent) {
      s->replay.reset();  // the window is over: nothing more to track
    }
  }
  Enqueue(s, event, out);
}

json::object Broker::StartReplay(Session* s, const json::object& ask,
                                 const Result<domain::ReplayBounds>& bounds) {
  domain::ReplayBounds b;
  if (bounds.ok()) b = *bounds;
  json::object reply{{"lastSeq", b.last_seq}};
  if (b.oldest_seq > 0) reply["oldestSeq"] = b.oldest_seq;
  const json::value* from = ask.if_contains("fromSeq");
  if (from == nullptr || !from->is_number()) return reply;
  int64_t n = 1;
  if (from->is_int64()) {
    n = std::max<int64_t>(from->get_int64(), 1);
  } else if (from->is_uint64()) {
    n = from->get_uint64() > static_cast<uint64_t>(INT64_MAX)
            ? INT64_MAX
            : static_cast<int64_t>(from->get_uint64());
  } else {
    double d = from->get_double();
    n = d < 1 ? 1 : d > 9e18 ? INT64_MAX : static_cast<int64_t>(d);
  }
  // A log that could not be read cannot promise a replay.
  const bool available =
      bounds.ok() && n <= b.last_seq + 1 &&
      ((b.oldest_seq > 0 && n >= b.oldest_seq) || n == b.last_seq + 1);
  reply["fromSeq"] = n;
  reply["available"] = available;
  auto r = std::make_unique<ReplayState>();
  r->from_seq = n;
  r->last_seq = b.last_seq;
  r->oldest_seq = b.oldest_seq;
  r->available = available;
  r->window_end =
      Now() + std::chrono::milliseconds(settings_.replay_subscribe_window_ms);
  s->replay = std::move(r);
  return reply;
}

void Broker::SendReplayUnavailable(Session* s, Outbox* out) {
  ReplayState& r = *s->replay;
  r.unavailable_sent = true;
  json::object data{{"messageType", "ReplayUnavailable"},
                    {"fromSeq", r.from_seq},
                    {"lastSeq", r.last_seq}};
  if (r.oldest_seq > 0) data["oldestSeq"] = r.oldest_seq;
  Enqueue(s,
          MakeEvent(json::object{{"channel", kReplayChannel},
                                 {"data", std::move(data)}}),
          out);
}

void Broker::ReplayForSubscribe(Session* s,
                                const std::vector<std::string>& added,
                                Call* call) {
  if (!s->replay || added.empty()) return;
  ReplayState& r = *s->replay;
  if (!r.available) {
    if (!r.unavailable_sent && MatchesAny(added, kReplayChannel))
      SendReplayUnavailable(s, call->out);
    return;
  }
  if (Now() >= r.window_end || replay_ == nullptr) return;
  ++r.jobs;
  call->replays.push_back(
      ReplayJob{s->client_id, s->principal.user_id, r.from_seq, added});
}

void Broker::RunReplay(const ReplayJob& job) {
  Result<std::vector<domain::Notification>> got =
      replay_->Since(job.user_id, job.from_seq);
  std::vector<std::pair<int64_t, EventPtr>> replayed;
  if (got.ok()) {
    for (const auto& n : *got) {
      if (n.seq < job.from_seq ||
          !MatchesAny(job.patterns, "/v2/me/" + n.topic))
        continue;
      replayed.emplace_back(n.seq, OwnCopy(n, /*replayed=*/true));
    }
  }
  Outbox out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = sessions_.find(job.client_id);
    if (it == sessions_.end() || !it->second->replay) return;
    Session* s = it->second.get();
    ReplayState& r = *s->replay;
    --r.jobs;
    if (!got.ok()) {
      // The log could not be read: the client must re-read its state.
      r.available = false;
      SendReplayUnavailable(s, &out);
      if (!sessions_.count(job.client_id)) return;
    }
    std::vector<std::pair<int64_t, EventPtr>> all = std::move(replayed);
    if (r.jobs == 0) {
      for (auto& e : r.held) all.push_back(std::move(e));
      r.held.clear();
    }
    // Stable: for a seq both replayed and held, the replayed copy comes
    // first and the second is dropped by `seen`.
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
      return a.first < b.first;
    });
    for (auto& [seq, event] : all) {
      if (!r.seen.insert(seq).second) continue;
      Enqueue(s, event, &out);
      // Enqueue may end the session (queue overflow).
      if (!sessions_.count(job.client_id)) break;
    }
  }
  out.Run();
}

}  // namespace workbind::cometd
