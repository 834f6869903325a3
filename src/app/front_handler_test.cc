// FrontHandler's own routes: /healthz, /readyz with a store that answers and
// one that does not (extensions.md §5.2), and the web console's files.
#include "app/front_handler.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace workbind::app {
namespace {

class InlineExecutor final : public Executor {
 public:
  void Post(std::function<void()> task) override { task(); }
};

class PingStore final : public storage::Store {
 public:
  explicit PingStore(Status ping) : ping_(std::move(ping)) {}
  Status Read(const std::function<Status(storage::ReadTx&)>&) override {
    return ping_;
  }
  Status Write(const std::function<Status(storage::WriteTx&)>&) override {
    return ping_;
  }
  Status Ping() override { return ping_; }
  void Close() override {}

 private:
  Status ping_;
};

HttpResponse Get(FrontHandler& h, const std::string& target) {
  HttpRequest req;
  req.method = "GET";
  req.target = target;
  HttpResponse got;
  bool answered = false;
  h.Handle(std::move(req), [&](HttpResponse r) {
    got = std::move(r);
    answered = true;
  });
  EXPECT_TRUE(answered) << target;
  return got;
}

TEST(FrontHandler, HealthzAndReadyWhenTheStoreAnswers) {
  InlineExecutor workers;
  PingStore store(Status::Ok());
  FrontHandler h(nullptr, nullptr, &workers, &store);
  HttpResponse health = Get(h, "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, R"({"statusCode":0,"status":"ok"})");
  HttpResponse ready = Get(h, "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, R"({"statusCode":0,"status":"ready"})");
}

TEST(FrontHandler, NotReadyWhenTheDatabaseIsUnreachable) {
  InlineExecutor workers;
  PingStore store(Status(Code::kStorageRead, "Unable to retrieve resource",
                         /*unavailable=*/true));
  FrontHandler h(nullptr, nullptr, &workers, &store);
  HttpResponse ready = Get(h, "/readyz?x=1");
  EXPECT_EQ(ready.status, 503);
  EXPECT_EQ(
      ready.body,
      R"({"statusCode":4,"statusMessage":"Not ready: database unreachable"})");
  // The process itself still serves.
  EXPECT_EQ(Get(h, "/healthz").status, 200);
}

// Static paths go to the web console's files; /healthz stays the handler's
// own. (Paths under /api/ never reach StaticFiles: StaticFilesPaths.)
TEST(FrontHandler, ServesTheConsoleOutsideTheApi) {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() /
                  ("workbind-front-" + std::to_string(::getpid()));
  fs::create_directories(root / "assets");
  std::ofstream(root / "index.html") << "<!doctype html>";
  std::ofstream(root / "assets" / "a-1.js") << "1";
  InlineExecutor workers;
  PingStore store(Status::Ok());
  StaticFiles web(root.string());
  FrontHandler h(nullptr, nullptr, &workers, &store, nullptr, &web);
  HttpResponse index = Get(h, "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html>");
  HttpResponse js = Get(h, "/assets/a-1.js");
  EXPECT_EQ(js.body, "1");
  EXPECT_EQ(Get(h, "/healthz").body, R"({"statusCode":0,"status":"ok"})");
  fs::remove_all(root);
}

}  // namespace
}  // namespace workbind::app
