#include "common/ids.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace workbind::ids {
namespace {

constexpr char kHexLower[] = "0123456789abcdef";
constexpr char kHexUpper[] = "0123456789ABCDEF";
constexpr char kBase32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string FormatUuid(const unsigned char* b) {
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHexLower[b[i] >> 4]);
    out.push_back(kHexLower[b[i] & 0xF]);
  }
  return out;
}

void FillRandom(unsigned char* out, size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
}

}  // namespace

std::string Uuid5(std::string_view namespace_uuid, std::string_view name) {
  const std::string hex = StripDashes(namespace_uuid);
  unsigned char ns[16] = {};
  for (size_t i = 0; i < 16 && 2 * i + 1 < hex.size(); ++i) {
    ns[i] = static_cast<unsigned char>(HexValue(hex[2 * i]) << 4 |
                                       HexValue(hex[2 * i + 1]));
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha1(), nullptr);
  EVP_DigestUpdate(ctx, ns, 16);
  EVP_DigestUpdate(ctx, name.data(), name.size());
  EVP_DigestFinal_ex(ctx, digest, &len);
  EVP_MD_CTX_free(ctx);
  digest[6] = (digest[6] & 0x0F) | 0x50;
  digest[8] = (digest[8] & 0x3F) | 0x80;
  return FormatUuid(digest);
}

std::string Derive(std::string_view name) { return Uuid5(kNamespace, name); }

std::string StripDashes(std::string_view uuid) {
  std::string out;
  out.reserve(32);
  for (char c : uuid)
    if (c != '-') out.push_back(c);
  return out;
}

std::string RandomUuid4() {
  unsigned char b[16];
  FillRandom(b, sizeof b);
  b[6] = (b[6] & 0x0F) | 0x40;
  b[8] = (b[8] & 0x3F) | 0x80;
  return FormatUuid(b);
}

static std::string RandomHexWith(size_t bytes, const char* alphabet) {
  std::string raw(bytes, '\0');
  FillRandom(reinterpret_cast<unsigned char*>(raw.data()), bytes);
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char c : raw) {
    out.push_back(alphabet[c >> 4]);
    out.push_back(alphabet[c & 0xF]);
  }
  return out;
}

std::string RandomHex(size_t bytes) { return RandomHexWith(bytes, kHexLower); }
std::string RandomHexUpper(size_t bytes) {
  return RandomHexWith(bytes, kHexUpper);
}

std::string NewInteractionId(int64_t now_millis) {
  std::string out(16, '0');
  uint64_t t = static_cast<uint64_t>(now_millis);
  for (int i = 9; i >= 0; --i) {
    out[i] = kBase32[t & 31];
    t >>= 5;
  }
  unsigned char r[4];
  FillRandom(r, sizeof r);
  uint32_t bits = (uint32_t(r[0]) << 24 | uint32_t(r[1]) << 16 |
                   uint32_t(r[2]) << 8 | r[3]) &
                  0x3FFFFFFF;
  for (int i = 15; i >= 10; --i) {
    out[i] = kBase32[bits & 31];
    bits >>= 5;
  }
  return out;
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (s[i] != '-') return false;
    } else if (!((s[i] >= '0' && s[i] <= '9') ||
                 (s[i] >= 'a' && s[i] <= 'f'))) {
      return false;
    }
  }
  return true;
}

bool IsHex32(std::string_view s) {
  if (s.size() != 32) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool IsInteractionIdLike(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
          (c >= 'A' && c <= 'Z')))
      return false;
  return true;
}

bool IsContactId(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
          (c >= 'A' && c <= 'Z') || c == '_' || c == '-'))
      return false;
  return true;
}

}  // namespace workbind::ids
