// Principal: who is making a request, as established by authentication.
// Plain value.
#pragma once

#include <string>
#include <vector>

namespace workbind::domain {

struct Principal {
  std::string user_id;  // 32 hex
  std::string user_name;
  std::string contact_center_id;  // empty for a system admin
  std::vector<std::string>
      roles;  // ROLE_AGENT, ROLE_SUPERVISOR, ROLE_ADMIN, ROLE_APIUSER
  bool system_admin = false;
  std::string http_session_id;  // the JSESSIONID in use
  std::string csrf_token;

  bool HasRole(std::string_view role) const {
    for (const auto& r : roles)
      if (r == role) return true;
    return false;
  }
  // ROLE_ADMIN or ROLE_APIUSER: acts for every user of the contact center.
  bool IsAdminLike() const {
    return HasRole("ROLE_ADMIN") || HasRole("ROLE_APIUSER");
  }
};

}  // namespace workbind::domain
