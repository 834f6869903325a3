#include "http/origin_policy.h"

#include <gtest/gtest.h>

namespace workbind::http {
namespace {

TEST(OriginPolicy, OwnOriginFromExternalApiUrl) {
  OriginPolicy p("https://wb.example.com:8443/api/v2", {});
  EXPECT_TRUE(p.Allows("https://wb.example.com:8443", ""));
  EXPECT_TRUE(p.Allows("HTTPS://WB.example.com:8443", ""));
  EXPECT_FALSE(p.Allows("http://wb.example.com:8443", ""));
  EXPECT_FALSE(p.Allows("https://wb.example.com", ""));
  EXPECT_FALSE(p.Allows("https://wb.example.com:8443.evil.example", ""));
}

TEST(OriginPolicy, OwnOriginFromHost) {
  OriginPolicy p("http://localhost:8090/api/v2", {});
  EXPECT_TRUE(p.Allows("http://127.0.0.1:41234", "127.0.0.1:41234"));
  EXPECT_TRUE(p.Allows("https://127.0.0.1:41234", "127.0.0.1:41234"));
  EXPECT_FALSE(p.Allows("http://127.0.0.1:41235", "127.0.0.1:41234"));
  EXPECT_FALSE(p.Allows("http://evil.example", "127.0.0.1:41234"));
  EXPECT_FALSE(p.Allows("http://evil.example", ""));
}

TEST(OriginPolicy, ListedOrigins) {
  OriginPolicy p("http://localhost:8090/api/v2",
                 {"https://desk.example", "null"});
  EXPECT_TRUE(p.Allows("https://desk.example", "wb:8090"));
  EXPECT_TRUE(p.Allows("null", "wb:8090"));
  EXPECT_FALSE(p.Allows("https://desk.example.evil", "wb:8090"));
}

TEST(OriginPolicy, NullIsRefusedUnlessListed) {
  OriginPolicy p("http://localhost:8090/api/v2", {});
  EXPECT_FALSE(p.Allows("null", "localhost:8090"));
}

}  // namespace
}  // namespace workbind::http
