#include "cometd/request_decoding.h"

#include <cctype>

#include "common/http_message.h"

namespace workbind::cometd {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// windows-1252 code points of bytes 0x80-0x9F (0: undefined, kept as C1).
constexpr uint16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// Value of a form or query parameter in "a=b&c=d".
std::optional<std::string> FindParam(std::string_view query,
                                     std::string_view name) {
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view()
                                          : query.substr(amp + 1);
    size_t eq = pair.find('=');
    std::string key = PercentDecode(pair.substr(0, eq), true);
    if (key != name) continue;
    return eq == std::string_view::npos
               ? std::string()
               : PercentDecode(pair.substr(eq + 1), true);
  }
  return std::nullopt;
}

}  // namespace

std::string_view PathOf(std::string_view target) {
  return target.substr(0, target.find('?'));
}

std::optional<std::string> QueryParam(std::string_view target,
                                      std::string_view name) {
  size_t q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  return FindParam(target.substr(q + 1), name);
}

std::vector<std::string> CookieValues(const HttpRequest& req,
                                      std::string_view name) {
  std::vector<std::string> values;
  for (const auto& [k, v] : req.headers) {
    if (!EqualsIgnoreCase(k, "Cookie")) continue;
    std::string_view rest = v;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view item = TrimOws(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view()
                                            : rest.substr(semi + 1);
      size_t eq = item.find('=');
      if (eq == std::string_view::npos || TrimOws(item.substr(0, eq)) != name)
        continue;
      std::string_view value = TrimOws(item.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      values.emplace_back(value);
    }
  }
  return values;
}

std::optional<std::string> ToUtf8(std::string_view bytes,
                                  std::string_view charset) {
  if (charset.empty() || charset == "utf-8" || charset == "utf8")
    return std::string(bytes);
  // ASCII is a subset of UTF-8; stray high bytes are caught by the JSON parser.
  if (charset == "us-ascii" || charset == "ascii") return std::string(bytes);
  bool latin1 = charset == "iso-8859-1" || charset == "iso8859-1" ||
                charset == "iso_8859-1" || charset == "latin1" ||
                charset == "l1";
  bool cp1252 = charset == "windows-1252" || charset == "cp1252";
  if (!latin1 && !cp1252) return std::nullopt;
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    uint32_t cp = b;
    if (cp1252 && b >= 0x80 && b < 0xA0 && kCp1252High[b - 0x80] != 0)
      cp = kCp1252High[b - 0x80];
    AppendUtf8(cp, &out);
  }
  return out;
}

BodyText ReadBodyText(const HttpRequest& req) {
  BodyText r;
  std::string_view content_type = req.Header("Content-Type");
  std::string media =
      Lower(TrimOws(content_type.substr(0, content_type.find(';'))));
  std::string charset;
  if (size_t semi = content_type.find(';'); semi != std::string_view::npos) {
    std::string_view params = content_type.substr(semi + 1);
    while (!params.empty()) {
      size_t next = params.find(';');
      std::string_view p = TrimOws(params.substr(0, next));
      params = next == std::string_view::npos ? std::string_view()
                                              : params.substr(next + 1);
      size_t eq = p.find('=');
      if (eq == std::string_view::npos ||
          Lower(TrimOws(p.substr(0, eq))) != "charset")
        continue;
      std::string_view value = TrimOws(p.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      charset = Lower(value);
    }
  }
  // Only media types a browser page cannot send without a CORS preflight:
  // no Content-Type, text/plain and the form types are what a cross-site
  // page can post with the user's cookie or cached Basic credentials.
  bool json = media == "application/json" || media == "text/json" ||
              (media.rfind("application/", 0) == 0 && media.size() > 17 &&
               media.compare(media.size() - 5, 5, "+json") == 0);
  if (!json) {
    r.error = Status(Code::kUnsupportedMediaType,
                     "Content-Type must be application/json");
    return r;
  }
  std::optional<std::string> text = ToUtf8(req.body, charset);
  if (!text) {
    r.error = InvalidArgument("Unsupported charset '" + charset + "'");
    return r;
  }
  r.text = std::move(*text);
  return r;
}

}  // namespace workbind::cometd
