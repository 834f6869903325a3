#include "domain/directory/auth_service.h"

#include <gtest/gtest.h>
#include <sodium.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>

#include "app/open_store.h"

namespace workbind::domain {
namespace {

class FakeClock : public Clock {
 public:
  int64_t NowMillis() const override { return now; }
  std::chrono::steady_clock::time_point SteadyNow() const override {
    return std::chrono::steady_clock::time_point(
        std::chrono::milliseconds(now));
  }
  std::atomic<int64_t> now{1'000'000};
};

class RecordingSink : public EventSink {
 public:
  void Deliver(std::vector<Notification>) override {}
  void HttpSessionEnded(const std::string& id) override { ended.push_back(id); }
  std::vector<std::string> ended;
};

std::string Basic(const std::string& user, const std::string& pw) {
  std::string raw = user + ":" + pw;
  std::string out(
      sodium_base64_ENCODED_LEN(raw.size(), sodium_base64_VARIANT_ORIGINAL),
      '\0');
  sodium_bin2base64(out.data(), out.size(),
                    reinterpret_cast<const unsigned char*>(raw.data()),
                    raw.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.find('\0'));
  return "Basic " + out;
}

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("wb-auth-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    storage::StoreOptions o;
    o.data_dir = dir_.string();
    store_ = std::move(storage::OpenStore(o)).value();
    Argon2Params cheap{1024, 1, 1};
    auto hash = HashPassword("alice-pw", cheap);
    ASSERT_TRUE(store_
                    ->Write([&](storage::WriteTx& tx) {
                      storage::ContactCenterRecord cc;
                      cc.id = "cc";
                      cc.name = "cc";
                      cc.display_name = "cc";
                      WB_RETURN_IF_ERROR(tx.PutContactCenter(cc));
                      storage::UserRecord u;
                      u.id = "u1";
                      u.contact_center_id = "cc";
                      u.user_name = "alice";
                      u.password_hash = *hash;
                      u.roles = {"ROLE_AGENT"};
                      WB_RETURN_IF_ERROR(tx.PutUser(u));
                      u.id = "u2";
                      u.user_name = "dave";
                      u.enabled = false;
                      return tx.PutUser(u);
                    })
                    .ok());
    directories_ = std::make_unique<DirectoryCache>(store_.get());
    Restart(ThrottleSettings{});
  }
  // A new AuthService with these throttle settings (cheap Argon2).
  void Restart(const ThrottleSettings& throttle) {
    AuthSettings settings;
    settings.session_idle_timeout_seconds = 60;
    settings.max_sessions_per_user = 2;
    settings.argon2 = Argon2Params{1024, 1, 1};
    settings.throttle = throttle;
    auth_.reset();
    auth_ = std::make_unique<AuthService>(store_.get(), directories_.get(),
                                          &sink_, &clock_, settings);
  }
  uint64_t Verifications() const {
    return auth_->Metrics().password_verifications_total;
  }
  void TearDown() override {
    auth_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  Result<AuthOutcome> Auth(std::optional<std::string> header,
                           std::optional<std::string> cookie,
                           bool* clear = nullptr,
                           std::string address = "127.0.0.1") {
    bool c = false;
    Credentials creds;
    creds.authorization = std::move(header);
    creds.session_cookie = std::move(cookie);
    creds.remote_address = std::move(address);
    auto r = auth_->Authenticate(creds, &c);
    if (clear) *clear = c;
    return r;
  }

  std::filesystem::path dir_;
  FakeClock clock_;
  RecordingSink sink_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<DirectoryCache> directories_;
  std::unique_ptr<AuthService> auth_;
};

TEST_F(AuthServiceTest, BasicCreatesSessionThenCookieReusesIt) {
  auto a = Auth(Basic("alice", "alice-pw"), std::nullopt);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(a->new_session);
  EXPECT_EQ(a->principal.user_id, "u1");
  EXPECT_EQ(a->principal.http_session_id.size(), 32u);
  auto b = Auth(std::nullopt, a->principal.http_session_id);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_FALSE(b->new_session);
  EXPECT_EQ(b->principal.csrf_token, a->principal.csrf_token);
  // Basic of the same user plus the cookie: the same session.
  auto c = Auth(Basic("alice", "alice-pw"), a->principal.http_session_id);
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(c->new_session);
}

TEST_F(AuthServiceTest, BadCredentialsAreRefused) {
  EXPECT_EQ(Auth(Basic("alice", "wrong"), std::nullopt).status().code(),
            Code::kUnauthenticated);
  EXPECT_EQ(Auth(Basic("nobody", "x"), std::nullopt).status().code(),
            Code::kUnauthenticated);
  EXPECT_EQ(Auth(Basic("dave", "alice-pw"), std::nullopt).status().code(),
            Code::kUnauthenticated);
  EXPECT_EQ(Auth(std::string("Basic !!!"), std::nullopt).status().code(),
            Code::kUnauthenticated);
  EXPECT_EQ(Auth(std::nullopt, std::nullopt).status().code(),
            Code::kUnauthenticated);
  // A valid cookie does not rescue bad Basic credentials.
  auto a = Auth(Basic("alice", "alice-pw"), std::nullopt);
  EXPECT_EQ(Auth(Basic("alice", "wrong"), a->principal.http_session_id)
                .status()
                .code(),
            Code::kUnauthenticated);
}

TEST_F(AuthServiceTest, IdleSessionExpiresAndCookieIsCleared) {
  auto a = Auth(Basic("alice", "alice-pw"), std::nullopt);
  ASSERT_TRUE(a.ok());
  clock_.now += 61'000;
  bool clear = false;
  EXPECT_EQ(
      Auth(std::nullopt, a->principal.http_session_id, &clear).status().code(),
      Code::kUnauthenticated);
  EXPECT_TRUE(clear);
  auto swept = auth_->SweepExpired();
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 1u);
  EXPECT_EQ(sink_.ended,
            std::vector<std::string>{a->principal.http_session_id});
}

TEST_F(AuthServiceTest, SessionCapEndsLeastRecentlyUsed) {
  auto s1 = Auth(Basic("alice", "alice-pw"), std::nullopt);
  clock_.now += 10;
  auto s2 = Auth(Basic("alice", "alice-pw"), std::nullopt);
  clock_.now += 10;
  auto s3 = Auth(Basic("alice", "alice-pw"), std::nullopt);
  ASSERT_TRUE(s1.ok() && s2.ok() && s3.ok());
  EXPECT_EQ(Auth(std::nullopt, s1->principal.http_session_id).status().code(),
            Code::kUnauthenticated);
  EXPECT_TRUE(Auth(std::nullopt, s3->principal.http_session_id).ok());
  ASSERT_EQ(sink_.ended.size(), 1u);
  EXPECT_EQ(sink_.ended[0], s1->principal.http_session_id);
}

TEST_F(AuthServiceTest, EndSessionRunsLastSessionHook) {
  std::vector<std::string> ended_users;
  auth_->SetLastSessionEndedHook(
      [&](const std::vector<std::string>& u) { ended_users = u; });
  auto a = Auth(Basic("alice", "alice-pw"), std::nullopt);
  auto b = Auth(Basic("alice", "alice-pw"), std::nullopt);
  ASSERT_TRUE(auth_->EndSession(a->principal.http_session_id, "u1").ok());
  EXPECT_TRUE(ended_users.empty());
  ASSERT_TRUE(auth_->EndSession(b->principal.http_session_id, "u1").ok());
  EXPECT_EQ(ended_users, std::vector<std::string>{"u1"});
  EXPECT_FALSE(Auth(std::nullopt, b->principal.http_session_id).ok());
}

TEST_F(AuthServiceTest, UnknownOrDisabledUserCostsOneVerificationToo) {
  // Without the dummy check an unknown name answered without any Argon2
  // run, so names could be told apart by the time of the reply.
  uint64_t before = Verifications();
  EXPECT_EQ(Auth(Basic("alice", "wrong"), std::nullopt).status().code(),
            Code::kUnauthenticated);
  EXPECT_EQ(Verifications(), before + 1);
  before = Verifications();
  EXPECT_EQ(Auth(Basic("nobody", "wrong"), std::nullopt).status().code(),
            Code::kUnauthenticated);
  EXPECT_EQ(Verifications(), before + 1);
  before = Verifications();
  EXPECT_EQ(Auth(Basic("dave", "alice-pw"), std::nullopt).status().code(),
            Code::kUnauthenticated);
  EXPECT_EQ(Verifications(), before + 1);
  before = Verifications();
  EXPECT_EQ(auth_->VerifyBasic(Basic("nobody", "x")).status().code(),
            Code::kUnauthenticated);
  EXPECT_EQ(Verifications(), before + 1);
  EXPECT_EQ(auth_->Metrics().failures_total, 4u);
}

TEST_F(AuthServiceTest, RepeatedFailuresLockTheNameWithoutVerifying) {
  auto session = Auth(Basic("alice", "alice-pw"), std::nullopt);
  ASSERT_TRUE(session.ok());
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(Auth(Basic("alice", "wrong"), std::nullopt).status().code(),
              Code::kUnauthenticated);
  const uint64_t before = Verifications();
  // Even the right password is refused now, without an Argon2 run.
  auto locked = Auth(Basic("alice", "alice-pw"), std::nullopt);
  EXPECT_EQ(locked.status().code(), Code::kTooManyAttempts);
  EXPECT_EQ(locked.status().retry_after_seconds(), 30);
  EXPECT_EQ(locked.status().message(),
            "Too many failed sign-in attempts; retry in 30 s");
  EXPECT_EQ(auth_->VerifyBasic(Basic("alice", "alice-pw")).status().code(),
            Code::kTooManyAttempts);
  EXPECT_EQ(Verifications(), before);
  EXPECT_EQ(auth_->Metrics().throttled_total, 2u);
  // The cookie still works; other names are not affected.
  EXPECT_TRUE(Auth(std::nullopt, session->principal.http_session_id).ok());
  EXPECT_EQ(Auth(Basic("nobody", "x"), std::nullopt).status().code(),
            Code::kUnauthenticated);
  // After the lockout, the right password works and clears the count.
  clock_.now += 29'500;
  EXPECT_EQ(Auth(Basic("alice", "alice-pw"), std::nullopt)
                .status()
                .retry_after_seconds(),
            1);
  clock_.now += 500;
  EXPECT_TRUE(Auth(Basic("alice", "alice-pw"), std::nullopt).ok());
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(Auth(Basic("alice", "wrong"), std::nullopt).status().code(),
              Code::kUnauthenticated);
  EXPECT_TRUE(Auth(Basic("alice", "alice-pw"), std::nullopt).ok());
}

TEST_F(AuthServiceTest, LockoutDoublesUpToTheMaximum) {
  ThrottleSettings t;
  t.max_failures = 2;
  t.lockout_seconds = 10;
  t.max_lockout_seconds = 25;
  Restart(t);
  for (int expected : {10, 20, 25, 25}) {
    for (int i = 0; i < 2; ++i)
      EXPECT_EQ(Auth(Basic("alice", "wrong"), std::nullopt).status().code(),
                Code::kUnauthenticated);
    auto r = Auth(Basic("alice", "alice-pw"), std::nullopt);
    EXPECT_EQ(r.status().code(), Code::kTooManyAttempts);
    EXPECT_EQ(r.status().retry_after_seconds(), expected);
    clock_.now += int64_t{expected} * 1000;
  }
}

TEST_F(AuthServiceTest, RepeatedFailuresFromOneAddressLockIt) {
  ThrottleSettings t;
  t.max_failures_per_address = 3;
  Restart(t);
  for (const char* name : {"x1", "x2", "x3"})
    EXPECT_EQ(Auth(Basic(name, "x"), std::nullopt, nullptr, "10.0.0.1")
                  .status()
                  .code(),
              Code::kUnauthenticated);
  EXPECT_EQ(Auth(Basic("alice", "alice-pw"), std::nullopt, nullptr, "10.0.0.1")
                .status()
                .code(),
            Code::kTooManyAttempts);
  EXPECT_TRUE(
      Auth(Basic("alice", "alice-pw"), std::nullopt, nullptr, "10.0.0.2").ok());
  EXPECT_EQ(auth_->VerifyBasic(Basic("alice", "alice-pw"), "10.0.0.1")
                .status()
                .code(),
            Code::kTooManyAttempts);
}

TEST(ParseBasic, Forms) {
  auto p = ParseBasic("Basic YWxpY2U6YWxpY2UtZGVtby1wdw==");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->first, "alice");
  EXPECT_EQ(p->second, "alice-demo-pw");
  EXPECT_FALSE(ParseBasic("Bearer abc").has_value());
  EXPECT_FALSE(ParseBasic("Basic bm9jb2xvbg==").has_value());  // "nocolon"
}

}  // namespace
}  // namespace workbind::domain

namespace workbind::domain {
namespace {

// The row of session `id` as stored (nullopt: none).
std::optional<storage::SessionRecord> StoredSession(storage::Store& store,
                                                    const std::string& id) {
  std::optional<storage::SessionRecord> out;
  EXPECT_TRUE(store
                  .Read([&](storage::ReadTx& tx) {
                    WB_ASSIGN_OR_RETURN(out, tx.GetSession(id));
                    return Status::Ok();
                  })
                  .ok());
  return out;
}

// Deletes the row behind the service's back, as another node would.
void DeleteStoredSession(storage::Store& store, const std::string& id) {
  ASSERT_TRUE(
      store.Write([&](storage::WriteTx& tx) { return tx.DeleteSession(id); })
          .ok());
}

TEST_F(AuthServiceTest, CookieIsCheckedFromMemoryThenReadAgain) {
  auto a = Auth(Basic("alice", "alice-pw"), std::nullopt);
  ASSERT_TRUE(a.ok());
  const std::string id = a->principal.http_session_id;
  DeleteStoredSession(*store_, id);
  // Within the re-check interval the cookie costs no read: still accepted.
  auto b = Auth(std::nullopt, id);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->principal.user_id, "u1");
  // Then it is read again, and the missing row ends it.
  clock_.now += 6'000;
  bool clear = false;
  EXPECT_EQ(Auth(std::nullopt, id, &clear).status().code(),
            Code::kUnauthenticated);
  EXPECT_TRUE(clear);
}

TEST_F(AuthServiceTest, SessionAnnouncedEndedIsRefusedAtOnce) {
  auto a = Auth(Basic("alice", "alice-pw"), std::nullopt);
  ASSERT_TRUE(a.ok());
  const std::string id = a->principal.http_session_id;
  ASSERT_TRUE(Auth(std::nullopt, id).ok());
  DeleteStoredSession(*store_, id);
  auth_->SessionEndedElsewhere(id);
  EXPECT_EQ(Auth(std::nullopt, id).status().code(), Code::kUnauthenticated);
}

TEST_F(AuthServiceTest, EndedSessionIsRefusedAtOnce) {
  auto a = Auth(Basic("alice", "alice-pw"), std::nullopt);
  ASSERT_TRUE(a.ok());
  const std::string id = a->principal.http_session_id;
  ASSERT_TRUE(Auth(std::nullopt, id).ok());
  ASSERT_TRUE(auth_->EndSession(id, "u1").ok());
  EXPECT_EQ(Auth(std::nullopt, id).status().code(), Code::kUnauthenticated);
}

TEST_F(AuthServiceTest, DirectoryChangeMakesTheCookieReadAgain) {
  ASSERT_TRUE(directories_->Get("cc").ok());
  auto a = Auth(Basic("alice", "alice-pw"), std::nullopt);
  ASSERT_TRUE(a.ok());
  const std::string id = a->principal.http_session_id;
  ASSERT_TRUE(Auth(std::nullopt, id).ok());
  // A provisioning write elsewhere: alice loses her role and the
  // directory's version moves on; any later read of it brings it here.
  ASSERT_TRUE(store_
                  ->Write([&](storage::WriteTx& tx) {
                    WB_ASSIGN_OR_RETURN(auto u, tx.GetUser("u1"));
                    u->roles = {"ROLE_SUPERVISOR"};
                    WB_RETURN_IF_ERROR(tx.PutUser(*u));
                    return tx.BumpDirectoryVersion("cc");
                  })
                  .ok());
  auto stale = Auth(std::nullopt, id);
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ(stale->principal.roles, std::vector<std::string>{"ROLE_AGENT"});
  ASSERT_TRUE(directories_->Get("cc").ok());
  auto fresh = Auth(std::nullopt, id);
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->principal.roles,
            std::vector<std::string>{"ROLE_SUPERVISOR"});
}

TEST_F(AuthServiceTest, ActivityIsWrittenBehindAtMostOnceAMinute) {
  auto a = Auth(Basic("alice", "alice-pw"), std::nullopt);
  ASSERT_TRUE(a.ok());
  const std::string id = a->principal.http_session_id;
  const int64_t created = clock_.now;
  clock_.now += 30'000;
  ASSERT_TRUE(Auth(std::nullopt, id).ok());
  ASSERT_TRUE(auth_->FlushActivity().ok());
  // Written less than a minute ago: nothing to write yet.
  EXPECT_EQ(StoredSession(*store_, id)->last_activity_ms, created);
  clock_.now += 31'000;
  // Seen 31 s ago in memory: alive, although the store says 61 s.
  ASSERT_TRUE(Auth(std::nullopt, id).ok());
  EXPECT_EQ(StoredSession(*store_, id)->last_activity_ms, created);
  ASSERT_TRUE(auth_->FlushActivity().ok());
  EXPECT_EQ(StoredSession(*store_, id)->last_activity_ms, clock_.now.load());
}

}  // namespace
}  // namespace workbind::domain
