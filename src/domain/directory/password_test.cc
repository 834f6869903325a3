#include "domain/directory/password.h"

#include <gtest/gtest.h>

namespace workbind::domain {
namespace {

TEST(Password, HashHasPhcFormAndVerifies) {
  Argon2Params cheap{1024, 1, 1};
  auto h = HashPassword("alice-demo-pw", cheap);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$v=19$m=1024,t=1,p=1$", 0), 0u) << *h;
  EXPECT_TRUE(IsArgon2idHash(*h));
  EXPECT_TRUE(VerifyPassword("alice-demo-pw", *h));
  EXPECT_FALSE(VerifyPassword("alice-demo-pW", *h));
  EXPECT_FALSE(VerifyPassword("", *h));
}

TEST(Password, SaltsDiffer) {
  Argon2Params cheap{1024, 1, 1};
  auto a = HashPassword("same", cheap);
  auto b = HashPassword("same", cheap);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

TEST(Password, HashWithOtherParamsStillVerifies) {
  auto h = HashPassword("pw-12345678", Argon2Params{2048, 2, 1});
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(VerifyPassword("pw-12345678", *h));
}

TEST(Password, MalformedHashNeverVerifies) {
  EXPECT_FALSE(IsArgon2idHash("$2b$10$abcdefghijklmnopqrstuv"));
  EXPECT_FALSE(VerifyPassword("x", "plain-text"));
  EXPECT_FALSE(IsArgon2idHash("$argon2i$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA"));
}

}  // namespace
}  // namespace workbind::domain
