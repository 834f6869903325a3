// LoadTlsContext on real files: a matching pair loads; a missing file, a file
// that is not PEM, a key of another certificate and a passphrase-protected
// key are each refused with the file at fault. The certificates are made here
// with OpenSSL (self-signed, P-256).
#include "net/tls_context.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace workbind::net {
namespace {

using File = TlsProblem::File;
using Kind = TlsProblem::Kind;

class TlsContextTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/workbind-tls-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  // Writes a self-signed certificate and its key; a non-empty `passphrase`
  // encrypts the key.
  void MakePair(const std::string& cert_name, const std::string& key_name,
                const std::string& passphrase = "") {
    EVP_PKEY* key = EVP_EC_gen("P-256");
    ASSERT_NE(key, nullptr);
    X509* cert = X509_new();
    ASSERT_EQ(X509_set_version(cert, 2), 1);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
    X509_set_pubkey(cert, key);
    X509_NAME* name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(
        name, "CN", MBSTRING_ASC,
        reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
    X509_set_issuer_name(cert, name);
    ASSERT_GT(X509_sign(cert, key, EVP_sha256()), 0);
    std::FILE* c = std::fopen(Path(cert_name).c_str(), "wb");
    ASSERT_NE(c, nullptr);
    PEM_write_X509(c, cert);
    std::fclose(c);
    std::FILE* k = std::fopen(Path(key_name).c_str(), "wb");
    ASSERT_NE(k, nullptr);
    if (passphrase.empty()) {
      PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr);
    } else {
      PEM_write_PrivateKey(
          k, key, EVP_aes_256_cbc(),
          reinterpret_cast<const unsigned char*>(passphrase.data()),
          static_cast<int>(passphrase.size()), nullptr, nullptr);
    }
    std::fclose(k);
    X509_free(cert);
    EVP_PKEY_free(key);
  }

  void WriteText(const std::string& name, const std::string& text) {
    std::ofstream(Path(name)) << text;
  }

  std::string dir_;
};

TEST_F(TlsContextTest, MatchingPairLoads) {
  MakePair("cert.pem", "key.pem");
  TlsLoadResult r = LoadTlsContext(Path("cert.pem"), Path("key.pem"));
  EXPECT_FALSE(r.problem.has_value()) << r.problem->detail;
  EXPECT_NE(r.context, nullptr);
}

TEST_F(TlsContextTest, KeyOfAnotherCertificateIsAMismatch) {
  MakePair("cert.pem", "key.pem");
  MakePair("other.pem", "other-key.pem");
  TlsLoadResult r = LoadTlsContext(Path("cert.pem"), Path("other-key.pem"));
  ASSERT_TRUE(r.problem.has_value());
  EXPECT_EQ(r.context, nullptr);
  EXPECT_EQ(r.problem->file, File::kPrivateKey);
  EXPECT_EQ(r.problem->kind, Kind::kMismatch);
}

TEST_F(TlsContextTest, MissingFilesAreUnreadable) {
  MakePair("cert.pem", "key.pem");
  TlsLoadResult r = LoadTlsContext(Path("absent.pem"), Path("key.pem"));
  ASSERT_TRUE(r.problem.has_value());
  EXPECT_EQ(r.problem->file, File::kCertificate);
  EXPECT_EQ(r.problem->kind, Kind::kUnreadable);
  EXPECT_NE(r.problem->detail.find("No such file"), std::string::npos);

  r = LoadTlsContext(Path("cert.pem"), Path("absent.pem"));
  ASSERT_TRUE(r.problem.has_value());
  EXPECT_EQ(r.problem->file, File::kPrivateKey);
  EXPECT_EQ(r.problem->kind, Kind::kUnreadable);
}

TEST_F(TlsContextTest, GarbageIsNotPem) {
  MakePair("cert.pem", "key.pem");
  WriteText("garbage.pem", "this is not a certificate\n");
  TlsLoadResult r = LoadTlsContext(Path("garbage.pem"), Path("key.pem"));
  ASSERT_TRUE(r.problem.has_value());
  EXPECT_EQ(r.problem->file, File::kCertificate);
  EXPECT_EQ(r.problem->kind, Kind::kNotPem);

  r = LoadTlsContext(Path("cert.pem"), Path("garbage.pem"));
  ASSERT_TRUE(r.problem.has_value());
  EXPECT_EQ(r.problem->file, File::kPrivateKey);
  EXPECT_EQ(r.problem->kind, Kind::kNotPem);

  // A key given as the certificate is not a certificate either.
  r = LoadTlsContext(Path("key.pem"), Path("key.pem"));
  ASSERT_TRUE(r.problem.has_value());
  EXPECT_EQ(r.problem->file, File::kCertificate);
  EXPECT_EQ(r.problem->kind, Kind::kNotPem);
}

TEST_F(TlsContextTest, PassphraseProtectedKeyIsRefusedWithoutPrompting) {
  MakePair("cert.pem", "key.pem", "secret");
  TlsLoadResult r = LoadTlsContext(Path("cert.pem"), Path("key.pem"));
  ASSERT_TRUE(r.problem.has_value());
  EXPECT_EQ(r.problem->file, File::kPrivateKey);
  EXPECT_EQ(r.problem->kind, Kind::kNotPem);
}

}  // namespace
}  // namespace workbind::net
