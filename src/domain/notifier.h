// Notifier: builds domain::Notification values addressed to users (with the
// supervisor watchers and the user uri filled in) and hands them to the
// EventSink after the change is committed. Thread-safe.
#pragma once

#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "domain/directory.h"
#include "domain/event_sink.h"

namespace workbind::domain {

class Notifier {
 public:
  Notifier(EventSink* sink, std::string external_api_url)
      : sink_(sink), base_(std::move(external_api_url)) {}

  // A message to `user_id` on /v2/me/<topic>; `actor_user_id`/`reference_id`
  // mark the request that caused it (reference_id 0: none).
  Notification Make(const Directory& dir, const std::string& user_id,
                    std::string topic, boost::json::object data,
                    const std::string& actor_user_id = "",
                    int64_t reference_id = 0) const;
  void Send(std::vector<Notification> batch) const {
    if (!batch.empty()) sink_->Deliver(std::move(batch));
  }
  EventSink* sink() const { return sink_; }
  const std::string& base_url() const { return base_; }

 private:
  EventSink* sink_;
  std::string base_;
};

}  // namespace workbind::domain
