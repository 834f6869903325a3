// CookieJar: the cookies of one simulated browser (name=value pairs from
// Set-Cookie; attributes are ignored: every request goes to one server).
// Not thread-safe; shared by the connections of one browser.
#pragma once

#include <strings.h>

#include <map>
#include <string>

#include "http_client.h"

namespace workbind::bench {

class CookieJar {
 public:
  // Stores every Set-Cookie of `reply`; an empty value removes the cookie.
  void Absorb(const HttpReply& reply) {
    for (const auto& h : reply.headers) {
      if (h.name.size() != 10 || strncasecmp(h.name.c_str(), "Set-Cookie", 10))
        continue;
      const std::string pair = h.value.substr(0, h.value.find(';'));
      const size_t eq = pair.find('=');
      if (eq == std::string::npos) continue;
      std::string name = pair.substr(0, eq), value = pair.substr(eq + 1);
      if (value.empty())
        cookies_.erase(name);
      else
        cookies_[name] = value;
    }
  }

  // Adds a Cookie header to `call` when the jar is not empty.
  void Apply(HttpCall* call) const {
    if (cookies_.empty()) return;
    std::string header;
    for (const auto& [name, value] : cookies_) {
      if (!header.empty()) header += "; ";
      header += name + "=" + value;
    }
    call->headers.push_back({"Cookie", std::move(header)});
  }

  // The value of cookie `name`, or "" when absent.
  std::string Get(const std::string& name) const {
    auto it = cookies_.find(name);
    return it == cookies_.end() ? std::string() : it->second;
  }

 private:
  std::map<std::string, std::string> cookies_;
};

}  // namespace workbind::bench
