#include "app/log_format.h"

#include <fmt/format.h>
#include <time.h>

#include <array>
#include <iterator>

#include "common/http_message.h"

namespace workbind::app {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// The length of the well-formed UTF-8 sequence at the start of `s`
// (RFC 3629: no overlongs, no surrogates, at most U+10FFFF), or 0.
size_t Utf8SequenceLength(std::string_view s) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto cont = [&](size_t i) {
    return i < s.size() && (b(i) & 0xC0) == 0x80;
  };
  const unsigned char c = b(0);
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (c == 0xED && b(1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && b(1) < 0x90) return 0;   // overlong
    if (c == 0xF4 && b(1) >= 0x90) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

// `name` percent-decoded and lower-cased, without '-' and '_'.
std::string NormalizedName(std::string_view name) {
  std::string n;
  for (char c : PercentDecode(name, /*plus_is_space=*/true)) {
    if (c == '-' || c == '_') continue;
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    n.push_back(c);
  }
  return n;
}

bool EndsWith(std::string_view s, std::string_view end) {
  return s.size() >= end.size() && s.substr(s.size() - end.size()) == end;
}

}  // namespace

void AppendJsonString(std::string_view s, std::string* out) {
  out->push_back('"');
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      size_t n = Utf8SequenceLength(s.substr(i));
      if (n == 0) {
        out->append("\\ufffd");
        ++i;
      } else {
        out->append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  out->push_back('"');
}

void AppendRfc3339Millis(std::chrono::system_clock::time_point t,
                         std::string* out) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  time_t seconds = static_cast<time_t>(ms / 1000);
  int millis = static_cast<int>(ms % 1000);
  if (millis < 0) {  // before 1970
    millis += 1000;
    --seconds;
  }
  struct tm tm {};
  gmtime_r(&seconds, &tm);
  fmt::format_to(std::back_inserter(*out),
                 "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                 tm.tm_min, tm.tm_sec, millis);
}

bool IsSecretParameter(std::string_view name) {
  static constexpr std::array<std::string_view, 18> kExact = {
      "password",  "passwd",  "pwd",       "pass",       "secret",
      "token",     "key",     "apikey",    "auth",       "authorization",
      "code",      "session", "sessionid", "jsessionid", "csrf",
      "signature", "sig",     "credential"};
  const std::string n = NormalizedName(name);
  for (std::string_view e : kExact)
    if (n == e) return true;
  return n == "credentials" || EndsWith(n, "password") ||
         EndsWith(n, "secret") || EndsWith(n, "token") || EndsWith(n, "key");
}

std::string ScrubTarget(std::string_view target) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return std::string(target);
  std::string out(target.substr(0, q + 1));
  std::string_view query = target.substr(q + 1);
  bool first = true;
  while (true) {
    const size_t amp = query.find('&');
    std::string_view param = query.substr(0, amp);
    if (!first) out.push_back('&');
    first = false;
    const size_t eq = param.find('=');
    if (eq != std::string_view::npos &&
        IsSecretParameter(param.substr(0, eq))) {
      out.append(param.substr(0, eq + 1));
      out.append("***");
    } else {
      out.append(param);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

void AppendJsonLine(const JsonLine& line, std::string* out) {
  out->append("{\"time\":\"");
  AppendRfc3339Millis(line.time, out);
  out->append("\",\"level\":");
  AppendJsonString(line.level, out);
  out->append(",\"message\":");
  AppendJsonString(line.message, out);
  if (const log::AccessFields* a = line.access) {
    out->append(",\"method\":");
    AppendJsonString(a->method, out);
    out->append(",\"path\":");
    AppendJsonString(ScrubTarget(a->target), out);
    fmt::format_to(std::back_inserter(*out), ",\"status\":{}", a->http_status);
    if (a->has_status_code)
      fmt::format_to(std::back_inserter(*out), ",\"statusCode\":{}",
                     a->status_code);
    fmt::format_to(std::back_inserter(*out), ",\"durationMs\":{:.3f}",
                   a->duration_ms);
    if (!a->user.empty()) {
      out->append(",\"user\":");
      AppendJsonString(a->user, out);
    }
    out->append(",\"remote\":");
    AppendJsonString(a->remote, out);
  }
  if (!line.request_id.empty()) {
    out->append(",\"requestId\":");
    AppendJsonString(line.request_id, out);
  }
  out->push_back('}');
}

}  // namespace workbind::app
