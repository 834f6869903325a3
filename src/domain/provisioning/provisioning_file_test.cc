#include "domain/provisioning/provisioning_file.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/open_store.h"
#include "common/ids.h"
#include "domain/provisioning/provisioning_service.h"

namespace workbind::domain {
namespace {
namespace json = boost::json;

const Argon2Params kCheap{1024, 1, 1};

std::string ReadDemoFile() {
  std::ifstream in(std::string(WB_SOURCE_DIR) +
                   "/config/demo-provisioning.json");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Counts answered by the test instead of interaction storage.
class FakeUsage : public ProvisioningUsage {
 public:
  Result<int64_t> InteractionsInWorkbin(storage::ReadTx&,
                                        const std::string& id) override {
    return Count(workbins, id);
  }
  Result<int64_t> InteractionsOwnedByUser(storage::ReadTx&,
                                          const std::string& id) override {
    return Count(users, id);
  }
  Result<int64_t> SessionsUsingPlace(storage::ReadTx&,
                                     const std::string& id) override {
    return Count(places, id);
  }
  Result<int64_t> InteractionsOfQueue(storage::ReadTx&,
                                      const std::string& id) override {
    return Count(queues, id);
  }
  Result<int64_t> WaitingInQueue(storage::ReadTx&,
                                 const std::string& id) override {
    return Count(queues, id);
  }
  Result<int64_t> OpenInteractionsOfContactCenter(
      storage::ReadTx&, const std::string& id) override {
    return Count(centers, id);
  }
  Result<int64_t> OpenInteractionsOfMediaType(
      storage::ReadTx&, const std::string&, const std::string& media) override {
    return Count(media_types, media);
  }
  std::map<std::string, int64_t> workbins, users, places, queues, centers,
      media_types;

 private:
  static int64_t Count(const std::map<std::string, int64_t>& m,
                       const std::string& k) {
    auto it = m.find(k);
    return it == m.end() ? 0 : it->second;
  }
};

class ProvisioningFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/wb-prov-file-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    storage::StoreOptions o;
    o.data_dir = dir_;
    o.sqlite_synchronous_full = false;
    store_ = std::move(storage::OpenStore(o)).value();
    demo_ = json::parse(ReadDemoFile()).as_object();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  ProvisioningResult Apply(const json::value& file, bool prune = false) {
    return ApplyProvisioningFile(json::serialize(file), store_.get(), kCheap,
                                 prune, &usage_);
  }
  ProvisioningResult ApplyDemo() { return Apply(demo_); }

  storage::DirectoryData Load(const std::string& cc = kDemo) {
    storage::DirectoryData d;
    EXPECT_TRUE(store_
                    ->Read([&](storage::ReadTx& tx) -> Status {
                      WB_ASSIGN_OR_RETURN(d, tx.LoadDirectory(cc));
                      return Status::Ok();
                    })
                    .ok());
    return d;
  }
  std::vector<storage::ContactCenterRecord> Centers() {
    std::vector<storage::ContactCenterRecord> out;
    EXPECT_TRUE(store_
                    ->Read([&](storage::ReadTx& tx) -> Status {
                      WB_ASSIGN_OR_RETURN(out, tx.ListContactCenters());
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }
  int64_t Version(const std::string& cc = kDemo) {
    int64_t v = -1;
    EXPECT_TRUE(store_
                    ->Read([&](storage::ReadTx& tx) -> Status {
                      WB_ASSIGN_OR_RETURN(v, tx.DirectoryVersion(cc));
                      return Status::Ok();
                    })
                    .ok());
    return v;
  }
  json::object& DemoCenter() {
    return demo_["contactCenters"].as_array()[0].as_object();
  }
  json::array& DemoArray(const char* key) {
    return DemoCenter()[key].as_array();
  }

  static bool Has(const std::vector<std::string>& lines,
                  const std::string& line) {
    return std::find(lines.begin(), lines.end(), line) != lines.end();
  }

  static constexpr char kDemo[] = "9dd4189d-90ea-55aa-949a-05882002d93f";
  std::string dir_;
  std::unique_ptr<storage::Store> store_;
  json::object demo_;
  FakeUsage usage_;
};

// provisioning.md §6.2, verbatim.
const std::vector<std::pair<std::string, std::string>> kDemoIds = {
    {"contact center demo", "9dd4189d-90ea-55aa-949a-05882002d93f"},
    {"user alice", "1b90bfb1f4335e9587c3f500f9e4432e"},
    {"user bob", "73d2f7a894d552309abd065b9c122c0b"},
    {"user sam", "e876e3db88f7593d9124b29d562465cb"},
    {"user ops", "2454828ac0b753e9a505e1e8c600567a"},
    {"user feeder", "d15a3bbfd4fb5b91b0eb041de49368ab"},
    {"place place-1", "def7f67c-64b6-55ff-b849-4b3e0e0a867b"},
    {"place place-2", "7dd43587-7a5b-5f9e-87ad-32c0f1487068"},
    {"place group floor-1", "5507d940-c6ee-5dc2-9dd6-ee9ad274128c"},
    {"agent group team-a", "efe27d28-2710-5fb0-aadd-d79da75d37f1"},
    {"queue workitems-in", "ce726aca-110f-5a8e-bf93-f585d4a50628"},
    {"queue emails-in", "25c1a1ef-cd8f-55d6-b54b-35f5ca07ea9e"},
    {"definition email-in-progress", "f98ef68e-797c-5cbc-aa4e-4b8dea4558dc"},
    {"definition team-backlog", "4c0c2097-7428-5761-adbe-5ff37ebcdf90"},
    {"definition place-drafts", "9817bff7-31fc-5988-91e6-41cdb5eee2fb"},
    {"workbin email-in-progress/alice", "3569d15d-3143-5ada-91b1-415626f3dbcc"},
    {"workbin email-in-progress/bob", "56850484-16fe-55a4-b96a-d6c32c067e5b"},
    {"workbin team-backlog/team-a", "eebeaff4-128f-5bdf-b152-15c89b90854f"},
    {"workbin place-drafts/place-1", "2c3a1825-c854-5868-9096-78b1bb6dab10"},
    {"workbin place-drafts/place-2", "674a16b1-4a86-554b-a172-1d42ec5570af"},
};

std::string Key(const std::string& kind, const std::string& name) {
  return kind + " " + name;
}

TEST_F(ProvisioningFileTest, DemoFileYieldsTheIdsOfTheSpecification) {
  ProvisioningResult r = ApplyDemo();
  ASSERT_TRUE(r.ok()) << r.errors[0];
  storage::DirectoryData d = Load();

  std::map<std::string, std::string> got;
  got[Key("contact center", d.contact_center.name)] = d.contact_center.id;
  for (const auto& u : d.users) got[Key("user", u.user_name)] = u.id;
  for (const auto& p : d.places) got[Key("place", p.name)] = p.id;
  for (const auto& g : d.place_groups) got[Key("place group", g.name)] = g.id;
  for (const auto& g : d.agent_groups) got[Key("agent group", g.name)] = g.id;
  for (const auto& q : d.queues) got[Key("queue", q.name)] = q.id;
  for (const auto& def : d.workbin_definitions)
    got[Key("definition", def.name)] = def.id;
  for (const auto& w : d.workbins) {
    std::string owner;
    for (const auto& u : d.users)
      if (u.id == w.owner_id) owner = u.user_name;
    for (const auto& p : d.places)
      if (p.id == w.owner_id) owner = p.name;
    for (const auto& g : d.agent_groups)
      if (g.id == w.owner_id) owner = g.name;
    for (const auto& def : d.workbin_definitions)
      if (def.id == w.definition_id)
        got[Key("workbin", def.name + "/" + owner)] = w.id;
  }
  EXPECT_EQ(got.size(), kDemoIds.size());
  for (const auto& [what, id] : kDemoIds) EXPECT_EQ(got[what], id) << what;
  EXPECT_EQ(d.workbins.size(),
            5u);  // sam, ops, feeder: no ROLE_AGENT; no PlaceGroup definition

  // Settings, references and passwords as given.
  EXPECT_EQ(d.contact_center.display_name, "Demo contact center");
  EXPECT_EQ(
      d.contact_center.capacity,
      (std::map<std::string, int>{{"chat", 2}, {"email", 1}, {"workitem", 1}}));
  const auto& alice = d.users[0];
  EXPECT_EQ(alice.user_name, "alice");
  EXPECT_EQ(alice.default_place_id, "def7f67c-64b6-55ff-b849-4b3e0e0a867b");
  EXPECT_TRUE(VerifyPassword("alice-demo-pw", alice.password_hash));
  EXPECT_EQ(d.agent_groups[0].supervisor_ids,
            std::vector<std::string>{"e876e3db88f7593d9124b29d562465cb"});
  EXPECT_EQ(d.queues[0].agent_group_id, "efe27d28-2710-5fb0-aadd-d79da75d37f1");

  std::vector<storage::SystemAdminRecord> admins;
  ASSERT_TRUE(store_
                  ->Read([&](storage::ReadTx& tx) -> Status {
                    WB_ASSIGN_OR_RETURN(admins, tx.ListSystemAdmins());
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(admins.size(), 1u);
  EXPECT_EQ(admins[0].id, "badd918be7b85f7a9c112ac694b5ead1");
  EXPECT_TRUE(VerifyPassword("change-me-now", admins[0].password_hash));
}

TEST_F(ProvisioningFileTest, ReapplyingChangesNothing) {
  ASSERT_TRUE(ApplyDemo().ok());
  storage::DirectoryData before = Load();
  int64_t version = Version();
  ProvisioningResult again = ApplyDemo();
  ASSERT_TRUE(again.ok());
  storage::DirectoryData after = Load();
  EXPECT_EQ(Version(), version);  // nothing written, so no reload
  EXPECT_TRUE(again.effects.created_workbins.empty());
  EXPECT_TRUE(again.effects.deleted_workbins.empty());
  ASSERT_EQ(after.users.size(), before.users.size());
  for (size_t i = 0; i < after.users.size(); ++i)
    EXPECT_EQ(after.users[i].password_hash, before.users[i].password_hash);
}

TEST_F(ProvisioningFileTest, UnknownKeyIsReportedOnceAndNothingIsApplied) {
  json::object& sam = DemoArray("users")[2].as_object();
  sam["rolse"] = sam["roles"];
  sam.erase("roles");
  ProvisioningResult r = ApplyDemo();
  EXPECT_TRUE(Has(
      r.errors, "provisioning: /contactCenters/0/users/2/rolse: unknown key"));
  EXPECT_TRUE(Has(
      r.errors,
      "provisioning: /contactCenters/0/users/2/roles: required key missing"));
  // sam's own mistake is not reported again where the group names him.
  EXPECT_EQ(r.errors.size(), 2u);
  EXPECT_TRUE(Centers().empty());
}

TEST_F(ProvisioningFileTest, SupervisorWithoutRoleIsReported) {
  DemoArray("users")[2].as_object()["roles"] = json::array{"ROLE_AGENT"};
  ProvisioningResult r = ApplyDemo();
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0],
            "provisioning: /contactCenters/0/agentGroups/0/supervisors/0: user "
            "'sam' lacks "
            "ROLE_SUPERVISOR");
  EXPECT_TRUE(Centers().empty());
}

TEST_F(ProvisioningFileTest, BadReferencesAreReportedWithTheirPointers) {
  DemoArray("queues")[1].as_object()["agentGroup"] = "team-z";
  DemoArray("users")[0].as_object()["defaultPlace"] = "place-9";
  DemoArray("placeGroups")[0].as_object()["places"] =
      json::array{"place-1", "nowhere"};
  ProvisioningResult r = ApplyDemo();
  EXPECT_TRUE(Has(r.errors,
                  "provisioning: /contactCenters/0/queues/1/agentGroup: no "
                  "agent group named "
                  "'team-z'"));
  EXPECT_TRUE(Has(
      r.errors,
      "provisioning: /contactCenters/0/users/0/defaultPlace: no place named "
      "'place-9'"));
  EXPECT_TRUE(Has(
      r.errors,
      "provisioning: /contactCenters/0/placeGroups/0/places/1: no place named "
      "'nowhere'"));
  EXPECT_EQ(r.errors.size(), 3u);
  EXPECT_TRUE(Centers().empty());
}

TEST_F(ProvisioningFileTest, WrongVersionTypesAndFormats) {
  demo_["version"] = 2;
  DemoArray("users")[1].as_object()["enabled"] = "yes";
  DemoArray("users")[3].as_object()["roles"] = json::array{"ROLE_BOSS"};
  DemoArray("workbins")[0].as_object()["type"] = "Team";
  DemoArray("places").push_back(json::object{{"name", "place 3"}});
  DemoCenter()["settings"]
      .as_object()["routing"]
      .as_object()["offerTimeoutSeconds"] = 0;
  ProvisioningResult r = ApplyDemo();
  EXPECT_TRUE(Has(r.errors, "provisioning: /version: must be 1"));
  EXPECT_TRUE(Has(
      r.errors,
      "provisioning: /contactCenters/0/users/1/enabled: must be a boolean"));
  EXPECT_TRUE(
      Has(r.errors,
          "provisioning: /contactCenters/0/users/3/roles/0: unknown role "
          "'ROLE_BOSS' "
          "(accepted: ROLE_AGENT, ROLE_SUPERVISOR, ROLE_ADMIN, ROLE_APIUSER)"));
  EXPECT_TRUE(Has(r.errors,
                  "provisioning: /contactCenters/0/workbins/0/type: must be "
                  "one of Agent, Place, "
                  "AgentGroup, PlaceGroup"));
  EXPECT_TRUE(Has(r.errors,
                  "provisioning: /contactCenters/0/places/2/name: must be 1-64 "
                  "characters from "
                  "[A-Za-z0-9._-]"));
  EXPECT_TRUE(
      Has(r.errors,
          "provisioning: "
          "/contactCenters/0/settings/routing/offerTimeoutSeconds: must be "
          "an integer from 1 to 3600"));
  EXPECT_EQ(r.errors.size(), 6u) << r.errors.back();
  EXPECT_TRUE(Centers().empty());
}

TEST_F(ProvisioningFileTest, MalformedJsonNamesThePosition) {
  ProvisioningResult r =
      ApplyProvisioningFile("{\n  \"version\": 1,\n  \"contactCenters\": [}\n",
                            store_.get(), kCheap, false);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].rfind(
                "provisioning: malformed JSON at line 3, column 22: ", 0),
            0u)
      << r.errors[0];
}

TEST_F(ProvisioningFileTest, DuplicatesAreReported) {
  DemoArray("places").push_back(json::object{{"name", "place-1"}});
  demo_["systemAdmins"].as_array().push_back(
      json::object{{"userName", "alice"}, {"password", "long-enough"}});
  ProvisioningResult r = ApplyDemo();
  EXPECT_TRUE(Has(r.errors,
                  "provisioning: /contactCenters/0/places/2/name: duplicate "
                  "name 'place-1'"));
  EXPECT_TRUE(Has(r.errors,
                  "provisioning: /contactCenters/0/users/0/userName: duplicate "
                  "userName 'alice'"));
  EXPECT_TRUE(Centers().empty());
}

TEST_F(ProvisioningFileTest, ExplicitIdsAndPasswordsOfNewUsers) {
  ASSERT_TRUE(ApplyDemo().ok());
  // An id that belongs to an object of another name is an error.
  DemoArray("places")[0].as_object()["id"] =
      "7dd43587-7a5b-5f9e-87ad-32c0f1487068";
  // A new user needs a password.
  DemoArray("users").push_back(json::object{
      {"userName", "carol"}, {"roles", json::array{"ROLE_AGENT"}}});
  ProvisioningResult r = ApplyDemo();
  EXPECT_TRUE(
      Has(r.errors,
          "provisioning: /contactCenters/0/places/0/id: id "
          "'7dd43587-7a5b-5f9e-87ad-32c0f1487068' belongs to place 'place-2'"));
  EXPECT_TRUE(Has(r.errors,
                  "provisioning: /contactCenters/0/users/5/password: required "
                  "key missing"));
  EXPECT_EQ(r.errors.size(), 2u);
  // A new object takes the id it is given.
  DemoArray("places")[0].as_object().erase("id");
  DemoArray("users")[5].as_object()["password"] = "carol-password";
  DemoArray("users")[5].as_object()["id"] = "00112233445566778899aabbccddeeff";
  r = ApplyDemo();
  ASSERT_TRUE(r.ok()) << r.errors[0];
  EXPECT_TRUE(
      Has(r.effects.created_workbins,
          WorkbinInstanceId("f98ef68e-797c-5cbc-aa4e-4b8dea4558dc", "Agent",
                            "00112233445566778899aabbccddeeff")));
}

TEST_F(ProvisioningFileTest, ReferencesMayNameStoredObjects) {
  ASSERT_TRUE(ApplyDemo().ok());
  json::object file = {
      {"version", 1},
      {"contactCenters",
       json::array{json::object{
           {"name", "demo"},
           {"queues", json::array{json::object{{"name", "chats-in"},
                                               {"agentGroup", "team-a"}}}},
       }}}};
  ProvisioningResult r = Apply(file);
  ASSERT_TRUE(r.ok()) << r.errors[0];
  storage::DirectoryData d = Load();
  EXPECT_EQ(d.queues.size(), 3u);  // the others are kept (no prune)
  EXPECT_EQ(d.users.size(), 5u);
  // With prune the file is the whole truth: team-a is not in it.
  r = Apply(file, /*prune=*/true);
  ASSERT_EQ(r.errors.size(), 1u) << r.errors[1];
  EXPECT_EQ(r.errors[0],
            "provisioning: /contactCenters/0/queues/0/agentGroup: no agent "
            "group named 'team-a'");
}

TEST_F(ProvisioningFileTest, FileWinsForTheKeysItNames) {
  ASSERT_TRUE(ApplyDemo().ok());
  DirectoryCache cache(store_.get());
  ProvisioningService service(store_.get(), &cache, kCheap, nullptr);
  const std::string alice = "1b90bfb1f4335e9587c3f500f9e4432e";
  ASSERT_TRUE(service
                  .Update(kDemo, ObjectKind::kUser, alice,
                          json::object{{"firstName", "Alicia"},
                                       {"capacity", json::object{{"chat", 3}}},
                                       {"password", "changed-over-rest"}})
                  .ok());
  ASSERT_TRUE(service
                  .UpdateContactCenter(
                      kDemo,
                      json::object{
                          {"settings",
                           json::object{
                               {"routing",
                                json::object{{"declineCooldownSeconds", 5}}}}}})
                  .ok());
  // A file naming only offerTimeoutSeconds keeps the other routing settings.
  DemoCenter()["settings"] =
      json::object{{"routing", json::object{{"offerTimeoutSeconds", 45}}}};
  ASSERT_TRUE(ApplyDemo().ok());
  storage::DirectoryData d = Load();
  EXPECT_EQ(d.users[0].first_name, "Alice");  // named by the file
  EXPECT_EQ(d.users[0].capacity,
            (std::map<std::string, int>{{"chat", 3}}));  // not named
  EXPECT_TRUE(
      VerifyPassword("alice-demo-pw", d.users[0].password_hash));  // file wins
  EXPECT_EQ(d.contact_center.offer_timeout_seconds, 45);
  EXPECT_EQ(d.contact_center.decline_cooldown_seconds, 5);
  EXPECT_EQ(d.contact_center.capacity.size(), 3u);
}

TEST_F(ProvisioningFileTest, PasswordIsKeptWhenItVerifiesAndReplacedOtherwise) {
  ASSERT_TRUE(ApplyDemo().ok());
  std::string hash = Load().users[0].password_hash;
  DemoArray("users")[0].as_object()["password"] = "a-new-password";
  ASSERT_TRUE(ApplyDemo().ok());
  std::string changed = Load().users[0].password_hash;
  EXPECT_NE(changed, hash);
  EXPECT_TRUE(VerifyPassword("a-new-password", changed));
  // passwordHash replaces the stored hash as given.
  DemoArray("users")[0].as_object().erase("password");
  DemoArray("users")[0].as_object()["passwordHash"] = hash;
  ASSERT_TRUE(ApplyDemo().ok());
  EXPECT_EQ(Load().users[0].password_hash, hash);
}

TEST_F(ProvisioningFileTest, NewPasswordInTheFileEndsTheSessions) {
  ASSERT_TRUE(ApplyDemo().ok());
  const std::string alice = Load().users[0].id;
  const std::string root = "badd918be7b85f7a9c112ac694b5ead1";
  ASSERT_TRUE(store_
                  ->Write([&](storage::WriteTx& tx) {
                    WB_RETURN_IF_ERROR(
                        tx.PutSession({"A1", "csrf", alice, false, 1, 1}));
                    return tx.PutSession({"R1", "csrf", root, true, 1, 1});
                  })
                  .ok());
  // The same passwords again: nothing ends.
  ProvisioningResult same = ApplyDemo();
  ASSERT_TRUE(same.ok());
  EXPECT_TRUE(same.effects.ended_sessions.empty());
  DemoArray("users")[0].as_object()["password"] = "a-new-password";
  demo_["systemAdmins"].as_array()[0].as_object()["password"] =
      "a-new-root-password";
  ProvisioningResult changed = ApplyDemo();
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed.effects.ended_sessions,
            (std::vector<std::string>{"R1", "A1"}));
  EXPECT_EQ(changed.effects.ended_user_names,
            (std::vector<std::string>{"root", "alice"}));
}

TEST_F(ProvisioningFileTest, SystemAdminsAreReplacedAndTheirSessionsEnd) {
  ASSERT_TRUE(ApplyDemo().ok());
  const std::string root = "badd918be7b85f7a9c112ac694b5ead1";
  ASSERT_TRUE(store_
                  ->Write([&](storage::WriteTx& tx) {
                    return tx.PutSession({"ABC", "csrf", root, true, 1, 1});
                  })
                  .ok());
  demo_["systemAdmins"] = json::array{
      json::object{{"userName", "chief"}, {"password", "chief-password"}}};
  ProvisioningResult r = ApplyDemo();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.effects.ended_sessions, std::vector<std::string>{"ABC"});
  std::vector<storage::SystemAdminRecord> admins;
  ASSERT_TRUE(store_
                  ->Read([&](storage::ReadTx& tx) -> Status {
                    WB_ASSIGN_OR_RETURN(admins, tx.ListSystemAdmins());
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(admins.size(), 1u);
  EXPECT_EQ(admins[0].user_name, "chief");
  EXPECT_EQ(admins[0].id, ids::StripDashes(ids::Derive("system-admin/chief")));
}

TEST_F(ProvisioningFileTest, PruneDeletesWhatTheFileNoLongerNames) {
  ASSERT_TRUE(ApplyDemo().ok());
  auto& users = DemoArray("users");
  users.erase(users.begin() + 1);  // bob
  DemoArray("agentGroups")[0].as_object()["agents"] = json::array{"alice"};
  DemoArray("users")[0].as_object().erase("defaultPlace");
  auto& places = DemoArray("places");
  places.erase(places.begin() + 1);  // place-2
  DemoArray("placeGroups")[0].as_object()["places"] = json::array{"place-1"};

  // Without prune the stored objects stay.
  ASSERT_TRUE(Apply(demo_).ok());
  EXPECT_EQ(Load().users.size(), 5u);

  ProvisioningResult r = Apply(demo_, /*prune=*/true);
  ASSERT_TRUE(r.ok()) << r.errors[0];
  storage::DirectoryData d = Load();
  EXPECT_EQ(d.users.size(), 4u);
  EXPECT_EQ(d.places.size(), 1u);
  EXPECT_EQ(d.workbins.size(), 3u);
  EXPECT_TRUE(
      Has(r.effects.deleted_workbins, "56850484-16fe-55a4-b96a-d6c32c067e5b"));
  EXPECT_TRUE(
      Has(r.effects.deleted_workbins, "674a16b1-4a86-554b-a172-1d42ec5570af"));
}

TEST_F(ProvisioningFileTest, PruneRefusalNamesTheObject) {
  ASSERT_TRUE(ApplyDemo().ok());
  usage_.workbins["56850484-16fe-55a4-b96a-d6c32c067e5b"] = 2;  // bob's workbin
  auto& users = DemoArray("users");
  users.erase(users.begin() + 1);
  DemoArray("agentGroups")[0].as_object()["agents"] = json::array{"alice"};
  ProvisioningResult r = Apply(demo_, /*prune=*/true);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0],
            "provisioning: /contactCenters/0: Workbin 'email-in-progress' of "
            "'bob' still holds 2 "
            "interactions");
  EXPECT_EQ(Load().users.size(), 5u);
}

TEST_F(ProvisioningFileTest, InstancesFollowRolesAndOwners) {
  ASSERT_TRUE(ApplyDemo().ok());
  // sam becomes an agent: he gets an email-in-progress workbin.
  DemoArray("users")[2].as_object()["roles"] =
      json::array{"ROLE_AGENT", "ROLE_SUPERVISOR"};
  // place-drafts only for place-2.
  DemoArray("workbins")[2].as_object()["owners"] = json::array{"place-2"};
  ProvisioningResult r = ApplyDemo();
  ASSERT_TRUE(r.ok()) << r.errors[0];
  const std::string sam_workbin =
      WorkbinInstanceId("f98ef68e-797c-5cbc-aa4e-4b8dea4558dc", "Agent",
                        "e876e3db88f7593d9124b29d562465cb");
  EXPECT_EQ(r.effects.created_workbins, std::vector<std::string>{sam_workbin});
  EXPECT_EQ(r.effects.deleted_workbins,
            std::vector<std::string>{"2c3a1825-c854-5868-9096-78b1bb6dab10"});
}

}  // namespace
}  // namespace workbind::domain
