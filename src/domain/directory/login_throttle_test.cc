#include "domain/directory/login_throttle.h"

#include <gtest/gtest.h>

namespace workbind::domain {
namespace {

ThrottleSettings Small() {
  ThrottleSettings s;
  s.max_failures = 3;
  s.max_failures_per_address = 5;
  s.window_seconds = 10;
  s.lockout_seconds = 4;
  s.max_lockout_seconds = 20;
  return s;
}

TEST(LoginThrottle, FailuresOutsideTheWindowDoNotAddUp) {
  LoginThrottle t(Small());
  int64_t now = 1'000'000;
  for (int i = 0; i < 6; ++i) {
    t.Failed("alice", "", now);
    now += 6'000;  // two failures per 10 s window at most
    EXPECT_EQ(t.RetryAfterSeconds("alice", "", now), 0) << i;
  }
  for (int i = 0; i < 3; ++i) t.Failed("alice", "", now);
  EXPECT_EQ(t.RetryAfterSeconds("alice", "", now), 4);
  EXPECT_EQ(t.RetryAfterSeconds("bob", "", now), 0);
}

TEST(LoginThrottle, SuccessClearsTheNameButNotTheAddress) {
  LoginThrottle t(Small());
  const int64_t now = 1'000'000;
  for (int i = 0; i < 2; ++i) t.Failed("alice", "a1", now);
  t.Succeeded("alice");
  t.Failed("alice", "a1", now);
  EXPECT_EQ(t.RetryAfterSeconds("alice", "", now), 0);  // count restarted
  t.Failed("bob", "a1", now);
  t.Failed("carol", "a1", now);  // fifth failure from a1
  EXPECT_EQ(t.RetryAfterSeconds("dave", "a1", now), 4);
  EXPECT_EQ(t.RetryAfterSeconds("dave", "a2", now), 0);
}

TEST(LoginThrottle, LockoutDoublesAndIsForgottenAfterAQuietPeriod) {
  LoginThrottle t(Small());
  int64_t now = 1'000'000;
  for (int expected : {4, 8, 16, 20, 20}) {
    for (int i = 0; i < 3; ++i) t.Failed("alice", "", now);
    EXPECT_EQ(t.RetryAfterSeconds("alice", "", now), expected);
    now += int64_t{expected} * 1000;
    EXPECT_EQ(t.RetryAfterSeconds("alice", "", now), 0);
  }
  // Quiet for max(window, maxLockout): the doubling starts again.
  now += 20'000;
  for (int i = 0; i < 3; ++i) t.Failed("alice", "", now);
  EXPECT_EQ(t.RetryAfterSeconds("alice", "", now), 4);
}

TEST(LoginThrottle, TablesAreBounded) {
  ThrottleSettings s = Small();
  s.max_keys = 3;
  LoginThrottle t(s);
  int64_t now = 1'000'000;
  for (int i = 0; i < 3; ++i) t.Failed("locked", "", now);
  EXPECT_GT(t.RetryAfterSeconds("locked", "", now), 0);
  for (int i = 0; i < 100; ++i) t.Failed("n" + std::to_string(i), "a", now);
  EXPECT_LE(t.size(), 4u);  // 3 names + 1 address
  // The oldest entries went first.
  EXPECT_EQ(t.RetryAfterSeconds("locked", "", now), 0);
  // Expired entries are dropped as new failures come in.
  now += 60'000;
  t.Failed("late", "b", now);
  EXPECT_EQ(t.size(), 2u);  // "late" and "b" only
}

}  // namespace
}  // namespace workbind::domain
