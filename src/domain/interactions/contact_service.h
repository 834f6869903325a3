// ContactService: reads of contact profiles (GET /contacts/{id}). Profiles are
// written by the interaction services (creation on Submit/Create, saveLAR).
// Thread-safe; blocks on storage.
#pragma once

#include <boost/json/object.hpp>
#include <string>

#include "common/status.h"
#include "domain/core/principal.h"
#include "storage/store.h"

namespace workbind::domain {

class ContactService {
 public:
  ContactService(storage::Store* store, std::string api_url)
      : store_(store), api_url_(std::move(api_url)) {}

  // The contact resource; kNotFound for an unknown (or malformed) id.
  Result<boost::json::object> Get(const Principal& who, const std::string& id);

 private:
  storage::Store* store_;
  std::string api_url_;
};

}  // namespace workbind::domain
