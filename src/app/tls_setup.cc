#include "app/tls_setup.h"

namespace workbind::app {
namespace {

constexpr const char* kCertificatePointer = "/server/tls/certificateFile";
constexpr const char* kPrivateKeyPointer = "/server/tls/privateKeyFile";

std::string Describe(const net::TlsProblem& p, const Settings& s) {
  using Kind = net::TlsProblem::Kind;
  const bool is_cert = p.file == net::TlsProblem::File::kCertificate;
  const std::string pointer =
      is_cert ? kCertificatePointer : kPrivateKeyPointer;
  const std::string& path =
      is_cert ? s.tls_certificate_file : s.tls_private_key_file;
  std::string what;
  switch (p.kind) {
    case Kind::kUnreadable:
      what = "cannot read " + path + ": " + p.detail;
      break;
    case Kind::kNotPem:
      what = path +
             (is_cert ? " holds no PEM certificate"
                      : " holds no unencrypted PEM private key") +
             " (" + p.detail + ")";
      break;
    case Kind::kMismatch:
      what = std::string("does not match ") + kCertificatePointer;
      break;
  }
  return "settings: " + pointer + ": " + what;
}

}  // namespace

bool TlsEnabled(const Settings& settings) {
  return !settings.tls_certificate_file.empty();
}

TlsSetup LoadServerTls(const Settings& settings) {
  if (!TlsEnabled(settings)) return {};
  net::TlsLoadResult r = net::LoadTlsContext(settings.tls_certificate_file,
                                             settings.tls_private_key_file);
  if (r.problem) return {nullptr, Describe(*r.problem, settings)};
  return {std::move(r.context), ""};
}

}  // namespace workbind::app
