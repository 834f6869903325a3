// Identifier helpers: name-based UUIDv5 (provisioned ids), random tokens
// (session ids, CSRF tokens, clientIds) from a CSPRNG, interaction ids, and
// format checks for the identifier table of the specification. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace workbind::ids {

// Namespace of every provisioned id.
inline constexpr std::string_view kNamespace =
    "3b1f7a52-6c0e-5d2b-9a44-2e8f0c7d1b96";

// RFC 4122 name-based SHA-1 UUID (version 5), lowercase with dashes.
std::string Uuid5(std::string_view namespace_uuid, std::string_view name);
// Uuid5(kNamespace, name).
std::string Derive(std::string_view name);
// A UUID without its dashes (user and system admin ids).
std::string StripDashes(std::string_view uuid);

// Random lowercase UUID version 4 (CSRF tokens).
std::string RandomUuid4();
// `bytes` random bytes as lowercase hex.
std::string RandomHex(size_t bytes);
// `bytes` random bytes as uppercase hex (JSESSIONID).
std::string RandomHexUpper(size_t bytes);
// Interaction id: 10 chars of milliseconds + 6 chars of 30 random bits.
std::string NewInteractionId(int64_t now_millis);

bool IsUuid(std::string_view s);               // lowercase, dashed
bool IsHex32(std::string_view s);              // 32 lowercase hex
bool IsInteractionIdLike(std::string_view s);  // 1-64 of [0-9A-Za-z]
bool IsContactId(std::string_view s);          // 1-64 of [A-Za-z0-9_-]

}  // namespace workbind::ids
