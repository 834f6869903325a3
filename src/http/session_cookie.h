// The JSESSIONID Set-Cookie values of auth.md §3.1. Pure functions.
#pragma once

#include <string>

namespace workbind::http {

inline std::string SessionCookie(const std::string& session_id,
                                 const std::string& same_site, bool secure) {
  return "JSESSIONID=" + session_id +
         "; Path=/; HttpOnly; SameSite=" + same_site +
         (secure ? "; Secure" : "");
}

inline std::string ClearSessionCookie(const std::string& same_site,
                                      bool secure) {
  return "JSESSIONID=; Path=/; Max-Age=0; HttpOnly; SameSite=" + same_site +
         (secure ? "; Secure" : "");
}

}  // namespace workbind::http
