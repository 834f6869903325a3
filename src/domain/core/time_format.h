// Date formats: the GWS interaction date
// ("2024-05-14 09:30:12.000+0000", in the server's time zone) and ISO 8601
// UTC with milliseconds ("2024-05-14T09:30:12.000Z"), and TimeZone, the
// setting server.timeZone read from the system's TZif files. Values and
// pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace workbind::domain {

class TimeZone {
 public:
  // Coordinated universal time.
  static TimeZone Utc() { return TimeZone(); }
  // "UTC" (and "Etc/UTC") without any file; other IANA names from
  // /usr/share/zoneinfo. kInvalidArgument when the zone is unknown or its
  // file cannot be read.
  static Result<TimeZone> Load(const std::string& name);

  // Offset from UTC, in seconds, at the instant `utc_seconds`.
  int OffsetSeconds(int64_t utc_seconds) const;

 private:
  TimeZone() = default;
  std::vector<int64_t> transitions_;  // ascending UTC seconds
  std::vector<int> offsets_;          // offset in force from each transition
  int initial_offset_ = 0;            // before the first transition
};

// "yyyy-MM-dd HH:mm:ss.SSS±hhmm" in `zone`.
std::string FormatGwsDate(int64_t utc_millis, const TimeZone& zone);
// "yyyy-MM-ddTHH:mm:ss.SSSZ".
std::string FormatIsoMillis(int64_t utc_millis);

}  // namespace workbind::domain
