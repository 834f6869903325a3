#include "net/tls_context.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/ssl/context.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <utility>

namespace workbind::net {
namespace {

namespace ssl = boost::asio::ssl;

// Mozilla "intermediate" (v5.7) TLS 1.2 suites, without the DHE ones. TLS 1.3
// keeps OpenSSL's default suites, which are the same as Mozilla's.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* kGroups = "X25519:prime256v1:secp384r1";

// OpenSSL's queued errors as one line (and the queue emptied).
std::string TakeOpenSslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "no detail" : out;
}

// Never prompt for a passphrase: an encrypted key simply fails to load.
int RefusePassphrase(char*, int, int, void*) { return 0; }

std::optional<TlsProblem> CheckReadable(const std::string& path,
                                        TlsProblem::File file) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f)
    return TlsProblem{file, TlsProblem::Kind::kUnreadable,
                      std::strerror(errno)};
  std::fclose(f);
  return std::nullopt;
}

}  // namespace

TlsContext::TlsContext(std::unique_ptr<ssl::context> native)
    : native_(std::move(native)) {}

TlsContext::~TlsContext() = default;

TlsLoadResult LoadTlsContext(const std::string& certificate_file,
                             const std::string& private_key_file) {
  using File = TlsProblem::File;
  using Kind = TlsProblem::Kind;
  if (auto p = CheckReadable(certificate_file, File::kCertificate))
    return {nullptr, p};
  if (auto p = CheckReadable(private_key_file, File::kPrivateKey))
    return {nullptr, p};

  ERR_clear_error();
  auto native = std::make_unique<ssl::context>(ssl::context::tls_server);
  SSL_CTX* ctx = native->native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_ALL);
  SSL_CTX_clear_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1 ||
      SSL_CTX_set1_groups_list(ctx, kGroups) != 1) {
    // Only a broken OpenSSL build gets here; report it against the file
    // being loaded rather than fail silently.
    return {nullptr, TlsProblem{File::kCertificate, Kind::kNotPem,
                                "cipher set-up: " + TakeOpenSslErrors()}};
  }
  SSL_CTX_set_default_passwd_cb(ctx, &RefusePassphrase);

  if (SSL_CTX_use_certificate_chain_file(ctx, certificate_file.c_str()) != 1)
    return {nullptr,
            TlsProblem{File::kCertificate, Kind::kNotPem, TakeOpenSslErrors()}};
  if (SSL_CTX_use_PrivateKey_file(ctx, private_key_file.c_str(),
                                  SSL_FILETYPE_PEM) != 1) {
    const std::string detail = TakeOpenSslErrors();
    // OpenSSL also refuses a key that does not match the certificate here
    // (X509_check_private_key); tell that case apart.
    const bool mismatch = detail.find("values mismatch") != std::string::npos ||
                          detail.find("key type mismatch") != std::string::npos;
    return {nullptr,
            TlsProblem{File::kPrivateKey,
                       mismatch ? Kind::kMismatch : Kind::kNotPem, detail}};
  }
  if (SSL_CTX_check_private_key(ctx) != 1)
    return {nullptr, TlsProblem{File::kPrivateKey, Kind::kMismatch,
                                TakeOpenSslErrors()}};
  return {std::make_shared<TlsContext>(std::move(native)), std::nullopt};
}

}  // namespace workbind::net
