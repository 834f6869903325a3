#include "domain/core/time_format.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>

namespace workbind::domain {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

struct Civil {
  int year;
  unsigned month, day, hour, minute, second, millis;
};

Civil ToCivil(int64_t millis) {
  using namespace std::chrono;
  const int64_t days = FloorDiv(millis, 86'400'000);
  const int64_t rest = millis - days * 86'400'000;
  const year_month_day ymd{sys_days{std::chrono::days{days}}};
  Civil c;
  c.year = static_cast<int>(ymd.year());
  c.month = static_cast<unsigned>(ymd.month());
  c.day = static_cast<unsigned>(ymd.day());
  c.hour = static_cast<unsigned>(rest / 3'600'000);
  c.minute = static_cast<unsigned>(rest / 60'000 % 60);
  c.second = static_cast<unsigned>(rest / 1000 % 60);
  c.millis = static_cast<unsigned>(rest % 1000);
  return c;
}

int64_t ReadBigEndian(const std::string& data, size_t pos, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i)
    v = (v << 8) | static_cast<unsigned char>(data[pos + i]);
  if (bytes == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}

bool SafeName(const std::string& name) {
  if (name.empty() || name[0] == '/' || name.find("..") != std::string::npos)
    return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' ||
          c == '-' || c == '+'))
      return false;
  return true;
}

}  // namespace

Result<TimeZone> TimeZone::Load(const std::string& name) {
  if (name == "UTC" || name == "Etc/UTC") return Utc();
  const Status bad = InvalidArgument("Unknown time zone '" + name + "'");
  if (!SafeName(name)) return bad;
  std::ifstream in("/usr/share/zoneinfo/" + name, std::ios::binary);
  if (!in) return bad;
  const std::string data((std::istreambuf_iterator<char>(in)),
                         std::istreambuf_iterator<char>());
  // RFC 8536: a 44-byte header, then the version 1 block (4-byte times);
  // version 2+ files repeat header and block with 8-byte times.
  auto parse_block = [&](size_t pos, int time_bytes, size_t* end,
                         TimeZone* tz) -> bool {
    if (data.size() < pos + 44 || data.compare(pos, 4, "TZif") != 0)
      return false;
    const int64_t isutcnt = ReadBigEndian(data, pos + 20, 4);
    const int64_t isstdcnt = ReadBigEndian(data, pos + 24, 4);
    const int64_t leapcnt = ReadBigEndian(data, pos + 28, 4);
    const int64_t timecnt = ReadBigEndian(data, pos + 32, 4);
    const int64_t typecnt = ReadBigEndian(data, pos + 36, 4);
    const int64_t charcnt = ReadBigEndian(data, pos + 40, 4);
    size_t p = pos + 44;
    const size_t need = timecnt * time_bytes + timecnt + typecnt * 6 + charcnt +
                        leapcnt * (time_bytes + 4) + isstdcnt + isutcnt;
    if (typecnt < 1 || data.size() < p + need) return false;
    const size_t times = p, indices = p + timecnt * time_bytes;
    const size_t types = indices + timecnt;
    auto offset_of = [&](int64_t type) {
      return static_cast<int>(ReadBigEndian(data, types + type * 6, 4));
    };
    tz->transitions_.clear();
    tz->offsets_.clear();
    tz->initial_offset_ = offset_of(0);
    for (int64_t i = 0; i < timecnt; ++i) {
      const auto type = static_cast<unsigned char>(data[indices + i]);
      if (type >= typecnt) return false;
      tz->transitions_.push_back(
          ReadBigEndian(data, times + i * time_bytes, time_bytes));
      tz->offsets_.push_back(offset_of(type));
    }
    *end = p + need;
    return true;
  };
  TimeZone tz;
  size_t end = 0;
  if (!parse_block(0, 4, &end, &tz)) return bad;
  if (data[4] >= '2') {
    TimeZone v2;
    size_t end2 = 0;
    if (parse_block(end, 8, &end2, &v2)) tz = std::move(v2);
  }
  return tz;
}

int TimeZone::OffsetSeconds(int64_t utc_seconds) const {
  int offset = initial_offset_;
  for (size_t i = 0; i < transitions_.size() && transitions_[i] <= utc_seconds;
       ++i)
    offset = offsets_[i];
  return offset;
}

namespace {

// Writes `v` as exactly `width` decimal digits (v < 10^width).
char* PutDigits(char* p, unsigned v, int width) {
  for (int i = width - 1; i >= 0; --i) {
    p[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return p + width;
}

// "YYYY-MM-DD HH:MM:SS.mmm" followed by `sep`, without printf (these are
// rendered for every interaction of every reply). nullptr for a year
// outside 0..9999, which the callers format with snprintf instead.
char* PutCivil(char* p, const Civil& c, char sep) {
  if (c.year < 0 || c.year > 9999) return nullptr;
  p = PutDigits(p, static_cast<unsigned>(c.year), 4);
  *p++ = '-';
  p = PutDigits(p, c.month, 2);
  *p++ = '-';
  p = PutDigits(p, c.day, 2);
  *p++ = sep;
  p = PutDigits(p, c.hour, 2);
  *p++ = ':';
  p = PutDigits(p, c.minute, 2);
  *p++ = ':';
  p = PutDigits(p, c.second, 2);
  *p++ = '.';
  return PutDigits(p, c.millis, 3);
}

}  // namespace

std::string FormatGwsDate(int64_t utc_millis, const TimeZone& zone) {
  const int offset = zone.OffsetSeconds(FloorDiv(utc_millis, 1000));
  const Civil c = ToCivil(utc_millis + int64_t{offset} * 1000);
  const int abs_offset = offset < 0 ? -offset : offset;
  char buf[48];
  if (char* p = PutCivil(buf, c, ' '); p && abs_offset / 3600 < 100) {
    *p++ = offset < 0 ? '-' : '+';
    p = PutDigits(p, static_cast<unsigned>(abs_offset / 3600), 2);
    p = PutDigits(p, static_cast<unsigned>(abs_offset / 60 % 60), 2);
    return std::string(buf, p);
  }
  std::snprintf(
      buf, sizeof(buf), "%04d-%02u-%02u %02u:%02u:%02u.%03u%c%02d%02d", c.year,
      c.month, c.day, c.hour, c.minute, c.second, c.millis,
      offset < 0 ? '-' : '+', abs_offset / 3600, abs_offset / 60 % 60);
  return buf;
}

std::string FormatIsoMillis(int64_t utc_millis) {
  const Civil c = ToCivil(utc_millis);
  char buf[40];
  if (char* p = PutCivil(buf, c, 'T')) {
    *p++ = 'Z';
    return std::string(buf, p);
  }
  std::snprintf(buf, sizeof(buf), "%04d-%02u-%02uT%02u:%02u:%02u.%03uZ", c.year,
                c.month, c.day, c.hour, c.minute, c.second, c.millis);
  return buf;
}

}  // namespace workbind::domain
