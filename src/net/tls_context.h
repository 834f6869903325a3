// TlsContext: the server side of TLS for HttpServer, loaded from a PEM
// certificate file (the certificate, optionally followed by its chain) and a
// PEM private key file, with the protocol versions and ciphers of Mozilla's
// "intermediate" configuration: TLS 1.2 and 1.3 only; for TLS 1.2 the ECDHE
// suites with AES-GCM or CHACHA20-POLY1305 (no DHE); no compression, no
// renegotiation; the client's cipher preference is honoured; session tickets
// are on. No Asio in this header: only net/ sources see the native context.
//
// A loaded context is immutable: a reload builds a new one, and each
// connection keeps the context it was accepted with. Thread-safe to share.
#pragma once

#include <memory>
#include <optional>
#include <string>

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace workbind::net {

// Why LoadTlsContext refused the files, and which file is at fault.
struct TlsProblem {
  enum class File { kCertificate, kPrivateKey };
  enum class Kind {
    kUnreadable,  // missing or unreadable file (detail: the system's reason)
    kNotPem,      // no PEM certificate / unencrypted PEM private key in it
    kMismatch,    // the key is not the certificate's (File is kPrivateKey)
  };
  File file;
  Kind kind;
  std::string detail;  // OpenSSL's or the system's words, for the log
};

class TlsContext {
 public:
  explicit TlsContext(std::unique_ptr<boost::asio::ssl::context> native);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // The Asio context (net/ sources only). OpenSSL's SSL_CTX is itself
  // thread-safe for creating connections.
  boost::asio::ssl::context& native() const { return *native_; }

 private:
  std::unique_ptr<boost::asio::ssl::context> native_;
};

struct TlsLoadResult {
  std::shared_ptr<TlsContext> context;  // null when `problem` is set
  std::optional<TlsProblem> problem;
};

// Reads and checks both files (a private key protected by a passphrase is
// refused as kNotPem: nothing may prompt on the terminal). Blocking file I/O;
// any thread.
TlsLoadResult LoadTlsContext(const std::string& certificate_file,
                             const std::string& private_key_file);

}  // namespace workbind::net
