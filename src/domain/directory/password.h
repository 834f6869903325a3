// Password hashing with Argon2id (libsodium), in PHC string form
// "$argon2id$v=19$m=<KiB>,t=<iterations>,p=1$<salt>$<hash>". Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace workbind::domain {

struct Argon2Params {
  int memory_kib = 19456;
  int iterations = 2;
  int parallelism = 1;  // libsodium supports 1 only
};

// Hashes `password`; kInternal when the hash cannot be computed (out of
// memory).
Result<std::string> HashPassword(std::string_view password,
                                 const Argon2Params& params);
// True when `password` matches the PHC string `hash` (made with any params).
bool VerifyPassword(std::string_view password, const std::string& hash);
// True when `hash` is a well-formed Argon2id PHC string.
bool IsArgon2idHash(std::string_view hash);

}  // namespace workbind::domain
