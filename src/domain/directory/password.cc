#include "domain/directory/password.h"

#include <sodium.h>

namespace workbind::domain {
namespace {

bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

}  // namespace

Result<std::string> HashPassword(std::string_view password,
                                 const Argon2Params& params) {
  if (!SodiumReady()) return Internal("Internal error");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            static_cast<unsigned long long>(params.iterations),
                            static_cast<size_t>(params.memory_kib) * 1024,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Internal("Internal error");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view password, const std::string& hash) {
  if (!SodiumReady() || !IsArgon2idHash(hash)) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(),
                                  password.size()) == 0;
}

bool IsArgon2idHash(std::string_view hash) {
  // $argon2id$v=19$m=...,t=...,p=...$salt$hash
  if (hash.rfind("$argon2id$v=19$m=", 0) != 0) return false;
  int dollars = 0;
  for (char c : hash) dollars += c == '$';
  return dollars == 5 && hash.size() < crypto_pwhash_STRBYTES;
}

}  // namespace workbind::domain
