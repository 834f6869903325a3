#include "domain/provisioning/provisioning_service.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/open_store.h"
#include "common/ids.h"
#include "domain/provisioning/provisioning_file.h"

namespace workbind::domain {
namespace {
namespace json = boost::json;

const Argon2Params kCheap{1024, 1, 1};
constexpr char kDemo[] = "9dd4189d-90ea-55aa-949a-05882002d93f";
constexpr char kApi[] = "http://localhost:8090/api/v2";
const std::string kAlice = "1b90bfb1f4335e9587c3f500f9e4432e";
const std::string kBob = "73d2f7a894d552309abd065b9c122c0b";
const std::string kSam = "e876e3db88f7593d9124b29d562465cb";
const std::string kPlace1 = "def7f67c-64b6-55ff-b849-4b3e0e0a867b";
const std::string kTeamA = "efe27d28-2710-5fb0-aadd-d79da75d37f1";
const std::string kWorkitemsIn = "ce726aca-110f-5a8e-bf93-f585d4a50628";
const std::string kEmailDef = "f98ef68e-797c-5cbc-aa4e-4b8dea4558dc";
const std::string kPlaceDraftsDef = "9817bff7-31fc-5988-91e6-41cdb5eee2fb";
const std::string kAliceEmailWorkbin = "3569d15d-3143-5ada-91b1-415626f3dbcc";

// Workbin and queue counts answered by the test.
class FakeUsage : public ProvisioningUsage {
 public:
  Result<int64_t> InteractionsInWorkbin(storage::ReadTx&,
                                        const std::string& id) override {
    return workbins.count(id) ? workbins[id] : 0;
  }
  Result<int64_t> InteractionsOwnedByUser(storage::ReadTx&,
                                          const std::string& id) override {
    return users.count(id) ? users[id] : 0;
  }
  Result<int64_t> SessionsUsingPlace(storage::ReadTx&,
                                     const std::string&) override {
    return int64_t{0};
  }
  Result<int64_t> InteractionsOfQueue(storage::ReadTx&,
                                      const std::string& id) override {
    return queues.count(id) ? queues[id] : 0;
  }
  Result<int64_t> WaitingInQueue(storage::ReadTx&,
                                 const std::string& id) override {
    return queues.count(id) ? queues[id] : 0;
  }
  Result<int64_t> OpenInteractionsOfContactCenter(
      storage::ReadTx&, const std::string& id) override {
    return centers.count(id) ? centers[id] : 0;
  }
  Result<int64_t> OpenInteractionsOfMediaType(storage::ReadTx&,
                                              const std::string&,
                                              const std::string&) override {
    return int64_t{0};
  }
  std::map<std::string, int64_t> workbins, users, queues, centers;
};

class ProvisioningServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/wb-prov-svc-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    storage::StoreOptions o;
    o.data_dir = dir_;
    o.sqlite_synchronous_full = false;
    store_ = std::move(storage::OpenStore(o)).value();
    std::ifstream in(std::string(WB_SOURCE_DIR) +
                     "/config/demo-provisioning.json");
    std::stringstream text;
    text << in.rdbuf();
    ProvisioningResult r =
        ApplyProvisioningFile(text.str(), store_.get(), kCheap, false);
    ASSERT_TRUE(r.ok());
    cache_ = std::make_unique<DirectoryCache>(store_.get());
    service_ = std::make_unique<ProvisioningService>(store_.get(), cache_.get(),
                                                     kCheap, &clock_, &usage_);
  }
  void TearDown() override {
    service_.reset();
    cache_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

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
  std::set<std::string> WorkbinIds() {
    std::set<std::string> out;
    for (const auto& w : Load().workbins) out.insert(w.id);
    return out;
  }
  void AddSession(const std::string& id, const std::string& user_id) {
    ASSERT_TRUE(store_
                    ->Write([&](storage::WriteTx& tx) {
                      return tx.PutSession({id, "csrf", user_id, false, 1, 1});
                    })
                    .ok());
  }
  static void ExpectError(const Status& st, Code code,
                          const std::string& message) {
    EXPECT_EQ(st.code(), code) << st.message();
    EXPECT_EQ(st.message(), message);
  }

  std::string dir_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<DirectoryCache> cache_;
  SystemClock clock_;
  FakeUsage usage_;
  std::unique_ptr<ProvisioningService> service_;
};

TEST_F(ProvisioningServiceTest, CreateDerivesIdsAndReturnsThePath) {
  auto place = service_->Create(kDemo, ObjectKind::kPlace,
                                json::object{{"name", "place-3"}});
  ASSERT_TRUE(place.ok()) << place.status().message();
  EXPECT_EQ(place->id, ids::Derive("place/demo/place-3"));
  EXPECT_EQ(place->path, "/places/" + place->id);
  // An id given explicitly is used as is.
  const std::string explicit_id = "0f0e0d0c-0b0a-4909-8807-060504030201";
  auto queue = service_->Create(
      kDemo, ObjectKind::kQueue,
      json::object{
          {"id", explicit_id}, {"name", "chats-in"}, {"agentGroup", "team-a"}});
  ASSERT_TRUE(queue.ok()) << queue.status().message();
  EXPECT_EQ(queue->id, explicit_id);
  auto user =
      service_->Create(kDemo, ObjectKind::kUser,
                       json::object{{"userName", "carol"},
                                    {"password", "carol-password"},
                                    {"roles", json::array{"ROLE_AGENT"}}});
  ASSERT_TRUE(user.ok()) << user.status().message();
  EXPECT_EQ(user->id, ids::StripDashes(ids::Derive("user/demo/carol")));
  EXPECT_EQ(user->path, "/users/" + user->id);
}

TEST_F(ProvisioningServiceTest, ErrorsFollowTheTable) {
  auto create = [&](ObjectKind kind, json::object body) {
    return service_->Create(kDemo, kind, body).status();
  };
  ExpectError(create(ObjectKind::kPlace, {}), Code::kMissingParameter,
              "Missing required field 'name'");
  ExpectError(create(ObjectKind::kUser, {{"userName", "carol"},
                                         {"roles", json::array{"ROLE_AGENT"}}}),
              Code::kMissingParameter, "Missing required field 'password'");
  ExpectError(create(ObjectKind::kQueue, {{"name", "q"}}),
              Code::kMissingParameter, "Missing required field 'agentGroup'");
  // Missing fields come before bad values.
  ExpectError(create(ObjectKind::kWorkbinDefinition, {{"name", 5}}),
              Code::kMissingParameter, "Missing required field 'type'");
  ExpectError(create(ObjectKind::kUser, {{"userName", "carol"},
                                         {"password", "carol-password"},
                                         {"roles", "ROLE_AGENT"}}),
              Code::kInvalidArgument,
              "Field 'roles' must be an array of strings");
  ExpectError(create(ObjectKind::kUser, {{"userName", "carol"},
                                         {"password", "carol-password"},
                                         {"roles", json::array{"ROLE_X"}}}),
              Code::kInvalidArgument,
              "Field 'roles': unknown role 'ROLE_X' (accepted: ROLE_AGENT, "
              "ROLE_SUPERVISOR, "
              "ROLE_ADMIN, ROLE_APIUSER)");
  ExpectError(create(ObjectKind::kUser, {{"userName", "carol"},
                                         {"password", "short"},
                                         {"roles", json::array{"ROLE_AGENT"}}}),
              Code::kInvalidArgument,
              "Field 'password' must be 8-256 characters");
  ExpectError(create(ObjectKind::kUser, {{"userName", "carol"},
                                         {"passwordHash", "plain"},
                                         {"roles", json::array{"ROLE_AGENT"}}}),
              Code::kInvalidArgument,
              "Field 'passwordHash' must be an Argon2id PHC string");
  ExpectError(
      create(ObjectKind::kWorkbinDefinition, {{"name", "w"}, {"type", "Team"}}),
      Code::kInvalidArgument,
      "Field 'type' must be one of Agent, Place, AgentGroup, PlaceGroup");
  ExpectError(create(ObjectKind::kPlace, {{"name", "bad name"}}),
              Code::kInvalidArgument,
              "Field 'name' must be 1-64 characters from [A-Za-z0-9._-]");
  ExpectError(create(ObjectKind::kPlace, {{"name", "p"}, {"id", "not-a-uuid"}}),
              Code::kInvalidArgument,
              "Field 'id' must be a lowercase UUID with dashes");
  ExpectError(
      create(ObjectKind::kUser, {{"userName", "carol"},
                                 {"password", "carol-password"},
                                 {"roles", json::array{"ROLE_AGENT"}},
                                 {"capacity", json::object{{"chat", 101}}}}),
      Code::kInvalidArgument,
      "Field 'capacity.chat' must be an integer from 0 to 100");
  ExpectError(
      create(ObjectKind::kAgentGroup,
             {{"name", "team-b"}, {"supervisors", json::array{"alice"}}}),
      Code::kInvalidArgument,
      "Field 'supervisors': user 'alice' lacks ROLE_SUPERVISOR");
  // References.
  ExpectError(
      create(ObjectKind::kQueue, {{"name", "q"}, {"agentGroup", "team-z"}}),
      Code::kNotFound, "Field 'agentGroup': no agent group named 'team-z'");
  ExpectError(create(ObjectKind::kAgentGroup,
                     {{"name", "team-b"}, {"agents", json::array{"zed"}}}),
              Code::kNotFound, "Field 'agents': no user named 'zed'");
  ExpectError(create(ObjectKind::kWorkbinDefinition,
                     {{"name", "w"},
                      {"type", "Place"},
                      {"owners", json::array{"place-9"}}}),
              Code::kNotFound, "Field 'owners': no place named 'place-9'");
  // Duplicates: user names are unique on the whole server (system admins too).
  ExpectError(create(ObjectKind::kPlace, {{"name", "place-1"}}),
              Code::kAlreadyExists, "Place name 'place-1' already used");
  ExpectError(create(ObjectKind::kUser, {{"userName", "alice"},
                                         {"password", "alice-password"},
                                         {"roles", json::array{"ROLE_AGENT"}}}),
              Code::kAlreadyExists, "userName already taken");
  ExpectError(create(ObjectKind::kUser, {{"userName", "root"},
                                         {"password", "root-password"},
                                         {"roles", json::array{"ROLE_AGENT"}}}),
              Code::kAlreadyExists, "userName already taken");
  ExpectError(create(ObjectKind::kPlace, {{"name", "p"}, {"id", kPlace1}}),
              Code::kAlreadyExists, "Id '" + kPlace1 + "' already used");
  // Read-only keys.
  ExpectError(
      service_
          ->Update(kDemo, ObjectKind::kUser, kAlice, {{"userName", "alicia"}})
          .status(),
      Code::kReadOnly, "Field 'userName' is read-only");
  ExpectError(service_
                  ->Update(kDemo, ObjectKind::kWorkbinDefinition, kEmailDef,
                           {{"type", "Place"}})
                  .status(),
              Code::kReadOnly, "Field 'type' is read-only");
  ExpectError(service_
                  ->Update(kDemo, ObjectKind::kPlace, kPlace1,
                           {{"id", "0f0e0d0c-0b0a-4909-8807-060504030201"}})
                  .status(),
              Code::kReadOnly, "Field 'id' is read-only");
  // Unknown ids, whatever their format.
  ExpectError(service_->Update(kDemo, ObjectKind::kPlace, "nope", {}).status(),
              Code::kNotFound, "No such place");
  ExpectError(service_->Delete(kDemo, ObjectKind::kQueue, kEmailDef).status(),
              Code::kNotFound, "No such queue");
  ExpectError(service_
                  ->Create("0f0e0d0c-0b0a-4909-8807-060504030201",
                           ObjectKind::kPlace, {{"name", "p"}})
                  .status(),
              Code::kNotFound, "No such contact center");
  // Nothing above changed the directory.
  EXPECT_EQ(Load().places.size(), 2u);
  EXPECT_EQ(Load().users.size(), 5u);
}

TEST_F(ProvisioningServiceTest, DeletesRefusedWhileInUse) {
  usage_.workbins[kAliceEmailWorkbin] = 2;
  ExpectError(
      service_->Delete(kDemo, ObjectKind::kWorkbinDefinition, kEmailDef)
          .status(),
      Code::kInUse,
      "Workbin 'email-in-progress' of 'alice' still holds 2 interactions");
  // Losing ROLE_AGENT would delete the same workbin.
  ExpectError(
      service_
          ->Update(kDemo, ObjectKind::kUser, kAlice,
                   {{"roles", json::array{"ROLE_SUPERVISOR"}}})
          .status(),
      Code::kInUse,
      "Workbin 'email-in-progress' of 'alice' still holds 2 interactions");
  usage_.workbins.clear();
  usage_.users[kBob] = 1;
  ExpectError(service_->Delete(kDemo, ObjectKind::kUser, kBob).status(),
              Code::kInUse, "User 'bob' owns 1 interaction");
  usage_.queues[kWorkitemsIn] = 3;
  ExpectError(
      service_->Delete(kDemo, ObjectKind::kQueue, kWorkitemsIn).status(),
      Code::kInUse, "Queue 'workitems-in' still has 3 interactions");
  ExpectError(service_->Delete(kDemo, ObjectKind::kAgentGroup, kTeamA).status(),
              Code::kInUse,
              "Agent group 'team-a' is used by queue 'emails-in'");
  usage_.centers[kDemo] = 4;
  ExpectError(
      service_->DeleteContactCenter(kDemo).status(), Code::kInUse,
      "Contact center 'demo' still has 4 interactions that are not Completed");
  EXPECT_EQ(Load().workbins.size(), 5u);
}

TEST_F(ProvisioningServiceTest, WorkbinInstancesFollowDefinitionsAndOwners) {
  auto carol =
      service_->Create(kDemo, ObjectKind::kUser,
                       json::object{{"userName", "carol"},
                                    {"password", "carol-password"},
                                    {"roles", json::array{"ROLE_AGENT"}}});
  ASSERT_TRUE(carol.ok());
  const std::string carol_workbin =
      WorkbinInstanceId(kEmailDef, "Agent", carol->id);
  EXPECT_EQ(carol->effects.created_workbins,
            std::vector<std::string>{carol_workbin});
  EXPECT_TRUE(WorkbinIds().count(carol_workbin));

  auto lost = service_->Update(kDemo, ObjectKind::kUser, carol->id,
                               {{"roles", json::array{"ROLE_APIUSER"}}});
  ASSERT_TRUE(lost.ok());
  EXPECT_EQ(lost->effects.deleted_workbins,
            std::vector<std::string>{carol_workbin});

  // A PlaceGroup definition gives floor-1 a workbin.
  auto def =
      service_->Create(kDemo, ObjectKind::kWorkbinDefinition,
                       {{"name", "floor-queue"}, {"type", "PlaceGroup"}});
  ASSERT_TRUE(def.ok());
  EXPECT_EQ(def->effects.created_workbins.size(), 1u);
  // owners restrict the owners; renaming an owner keeps its workbin.
  auto restricted =
      service_->Update(kDemo, ObjectKind::kWorkbinDefinition, kPlaceDraftsDef,
                       {{"owners", json::array{"place-1"}}});
  ASSERT_TRUE(restricted.ok()) << restricted.status().message();
  EXPECT_EQ(restricted->effects.deleted_workbins,
            std::vector<std::string>{"674a16b1-4a86-554b-a172-1d42ec5570af"});
  auto renamed = service_->Update(kDemo, ObjectKind::kPlace, kPlace1,
                                  {{"name", "desk-1"}});
  ASSERT_TRUE(renamed.ok());
  EXPECT_TRUE(renamed->effects.deleted_workbins.empty());
  auto def_json = service_->Get(kDemo, ObjectKind::kWorkbinDefinition,
                                kPlaceDraftsDef, kApi);
  ASSERT_TRUE(def_json.ok());
  EXPECT_EQ(json::serialize((*def_json)["owners"]), R"(["desk-1"])");
  // Deleting the owner deletes its workbin and leaves the owners list.
  auto deleted = service_->Delete(kDemo, ObjectKind::kPlace, kPlace1);
  ASSERT_TRUE(deleted.ok()) << deleted.status().message();
  EXPECT_EQ(deleted->effects.deleted_workbins,
            std::vector<std::string>{"2c3a1825-c854-5868-9096-78b1bb6dab10"});
  storage::DirectoryData d = Load();
  EXPECT_FALSE(
      d.users[0].default_place_id.has_value());  // alice's defaultPlace cleared
  EXPECT_EQ(d.place_groups[0].place_ids.size(), 1u);
  // Deleting a definition deletes its instances.
  auto gone =
      service_->Delete(kDemo, ObjectKind::kWorkbinDefinition, kEmailDef);
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->effects.deleted_workbins.size(), 2u);  // alice, bob
}

TEST_F(ProvisioningServiceTest, DisablingOrDeletingAUserEndsItsSessions) {
  AddSession("S1", kAlice);
  AddSession("S2", kBob);
  auto disabled =
      service_->Update(kDemo, ObjectKind::kUser, kAlice, {{"enabled", false}});
  ASSERT_TRUE(disabled.ok());
  EXPECT_EQ(disabled->effects.ended_sessions, std::vector<std::string>{"S1"});
  EXPECT_EQ(disabled->effects.ended_user_names,
            std::vector<std::string>{"alice"});
  auto deleted = service_->Delete(kDemo, ObjectKind::kUser, kBob);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->effects.ended_sessions, std::vector<std::string>{"S2"});
  storage::DirectoryData d = Load();
  EXPECT_EQ(d.agent_groups[0].agent_ids, std::vector<std::string>{kAlice});
  EXPECT_EQ(d.users.size(), 4u);
}

TEST_F(ProvisioningServiceTest, NewPasswordEndsSessionsButTheActingOne) {
  AddSession("S1", kAlice);
  AddSession("S2", kAlice);
  AddSession("S3", kBob);
  // Another field changes nothing.
  auto renamed = service_->Update(kDemo, ObjectKind::kUser, kAlice,
                                  {{"firstName", "Alicia"}}, "SX");
  ASSERT_TRUE(renamed.ok());
  EXPECT_TRUE(renamed->effects.ended_sessions.empty());
  // An admin (session SX) sets alice's password: all her sessions end.
  auto by_admin = service_->Update(kDemo, ObjectKind::kUser, kAlice,
                                   {{"password", "new-alice-pw"}}, "SX");
  ASSERT_TRUE(by_admin.ok()) << by_admin.status().message();
  std::vector<std::string> ended = by_admin->effects.ended_sessions;
  std::sort(ended.begin(), ended.end());
  EXPECT_EQ(ended, (std::vector<std::string>{"S1", "S2"}));
  EXPECT_EQ(by_admin->effects.ended_user_ids, std::vector<std::string>{kAlice});
  EXPECT_EQ(by_admin->effects.ended_user_names,
            std::vector<std::string>{"alice"});
  // Bob sets his own password from S3: his other sessions end, S3 stays.
  AddSession("S4", kBob);
  auto by_self = service_->Update(kDemo, ObjectKind::kUser, kBob,
                                  {{"password", "new-bob-pw"}}, "S3");
  ASSERT_TRUE(by_self.ok());
  EXPECT_EQ(by_self->effects.ended_sessions, std::vector<std::string>{"S4"});
  EXPECT_TRUE(by_self->effects.ended_user_ids.empty());  // S3 is left
  ASSERT_TRUE(store_
                  ->Read([&](storage::ReadTx& tx) -> Status {
                    WB_ASSIGN_OR_RETURN(auto left, tx.ListSessionsOfUser(kBob));
                    EXPECT_EQ(left.size(), 1u);
                    EXPECT_EQ(left.at(0).id, "S3");
                    return Status::Ok();
                  })
                  .ok());
}

TEST_F(ProvisioningServiceTest, LosingARoleEndsSessionsGainingOneDoesNot) {
  AddSession("S1", kBob);
  auto gained = service_->Update(
      kDemo, ObjectKind::kUser, kBob,
      {{"roles", json::array{"ROLE_AGENT", "ROLE_SUPERVISOR"}}});
  ASSERT_TRUE(gained.ok());
  EXPECT_TRUE(gained->effects.ended_sessions.empty());
  auto lost = service_->Update(kDemo, ObjectKind::kUser, kBob,
                               {{"roles", json::array{"ROLE_AGENT"}}});
  ASSERT_TRUE(lost.ok());
  EXPECT_EQ(lost->effects.ended_sessions, std::vector<std::string>{"S1"});
  EXPECT_EQ(lost->effects.ended_user_ids, std::vector<std::string>{kBob});
}

TEST_F(ProvisioningServiceTest, NoLongerSupervisingAGroupEndsSessions) {
  AddSession("S1", kSam);
  AddSession("S2", kAlice);
  // Changing the agents ends nothing.
  auto agents = service_->Update(kDemo, ObjectKind::kAgentGroup, kTeamA,
                                 {{"agents", json::array{"alice"}}});
  ASSERT_TRUE(agents.ok()) << agents.status().message();
  EXPECT_TRUE(agents->effects.ended_sessions.empty());
  auto removed = service_->Update(kDemo, ObjectKind::kAgentGroup, kTeamA,
                                  {{"supervisors", json::array{}}});
  ASSERT_TRUE(removed.ok()) << removed.status().message();
  EXPECT_EQ(removed->effects.ended_sessions, std::vector<std::string>{"S1"});
  EXPECT_EQ(removed->effects.ended_user_names, std::vector<std::string>{"sam"});
  // Deleting a supervised group ends its supervisors' sessions too.
  auto group = service_->Create(
      kDemo, ObjectKind::kAgentGroup,
      {{"name", "team-b"}, {"supervisors", json::array{"sam"}}});
  ASSERT_TRUE(group.ok()) << group.status().message();
  AddSession("S3", kSam);
  auto deleted = service_->Delete(kDemo, ObjectKind::kAgentGroup, group->id);
  ASSERT_TRUE(deleted.ok()) << deleted.status().message();
  EXPECT_EQ(deleted->effects.ended_sessions, std::vector<std::string>{"S3"});
}

TEST_F(ProvisioningServiceTest, LosingSupervisorRoleEndsSupervision) {
  ASSERT_TRUE(service_
                  ->Update(kDemo, ObjectKind::kUser, kSam,
                           {{"roles", json::array{"ROLE_ADMIN"}}})
                  .ok());
  EXPECT_TRUE(Load().agent_groups[0].supervisor_ids.empty());
}

TEST_F(ProvisioningServiceTest, UpdatesReplaceArraysAndKeepOtherKeys) {
  auto st =
      service_->Update(kDemo, ObjectKind::kAgentGroup, kTeamA,
                       {{"agents", json::array{"bob"}}, {"unknownKey", 1}});
  ASSERT_TRUE(st.ok()) << st.status().message();
  storage::DirectoryData d = Load();
  EXPECT_EQ(d.agent_groups[0].agent_ids, std::vector<std::string>{kBob});
  EXPECT_EQ(d.agent_groups[0].supervisor_ids, std::vector<std::string>{kSam});
  // The cached directory is dropped, so reads see the change at once.
  auto group = service_->Get(kDemo, ObjectKind::kAgentGroup, kTeamA, kApi);
  ASSERT_TRUE(group.ok());
  EXPECT_EQ(json::serialize((*group)["agents"]), R"(["bob"])");
}

TEST_F(ProvisioningServiceTest, ReadsRenderResources) {
  usage_.queues[kWorkitemsIn] = 3;
  auto queue = service_->Get(kDemo, ObjectKind::kQueue, kWorkitemsIn, kApi);
  ASSERT_TRUE(queue.ok());
  EXPECT_EQ(
      json::serialize(*queue),
      R"({"id":"ce726aca-110f-5a8e-bf93-f585d4a50628","name":"workitems-in",)"
      R"("description":"Inbound workitems","agentGroup":"team-a","waitingCount":3,)"
      R"("uri":"http://localhost:8090/api/v2/queues/ce726aca-110f-5a8e-bf93-f585d4a50628",)"
      R"("path":"/queues/ce726aca-110f-5a8e-bf93-f585d4a50628"})");
  auto alice = service_->Get(kDemo, ObjectKind::kUser, kAlice, kApi);
  ASSERT_TRUE(alice.ok());
  EXPECT_FALSE(alice->contains("password"));
  EXPECT_FALSE(alice->contains("passwordHash"));
  EXPECT_EQ((*alice)["defaultPlace"], "place-1");
  EXPECT_EQ(json::serialize((*alice)["agentGroups"]), R"(["team-a"])");
  auto places = service_->List(kDemo, ObjectKind::kPlace, kApi);
  ASSERT_TRUE(places.ok());
  ASSERT_EQ(places->size(), 2u);
  EXPECT_EQ((*places)[0].as_object().at("name"), "place-1");
  EXPECT_EQ(
      service_->Get(kDemo, ObjectKind::kPlace, kTeamA, kApi).status().code(),
      Code::kNotFound);
}

TEST_F(ProvisioningServiceTest, ContactCenters) {
  auto created =
      service_->CreateContactCenter({{"name", "other"},
                                     {"users", json::array{}},
                                     {"mediaTypes", json::array{"promotion"}}});
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_EQ(created->id, ids::Derive("contact-center/other"));
  EXPECT_EQ(created->path, "/system/contact-centers/" + created->id);
  ExpectError(service_->CreateContactCenter({{"name", "other"}}).status(),
              Code::kAlreadyExists, "Contact center name 'other' already used");
  ExpectError(service_
                  ->CreateContactCenter(
                      {{"name", "x"}, {"mediaTypes", json::array{"chat"}}})
                  .status(),
              Code::kInvalidArgument,
              "Field 'mediaTypes': 'chat' is a reserved media type name");
  ExpectError(
      service_
          ->CreateContactCenter(
              {{"name", "x"}, {"features", json::array{"api-nope"}}})
          .status(),
      Code::kInvalidArgument,
      "Field 'features': unknown feature 'api-nope' (accepted: api-multimedia, "
      "api-supervisor-agent-control, api-provisioning-read, "
      "api-provisioning-write)");

  auto cc = service_->GetContactCenter(created->id, kApi);
  ASSERT_TRUE(cc.ok());
  EXPECT_EQ((*cc)["displayName"], "other");
  EXPECT_EQ(
      json::serialize((*cc)["features"]),
      R"(["api-multimedia","api-supervisor-agent-control","api-provisioning-read",)"
      R"("api-provisioning-write"])");

  // Settings merge per leaf; capacity is replaced whole.
  ASSERT_TRUE(service_
                  ->UpdateContactCenter(
                      kDemo, {{"settings",
                               {{"routing", {{"capacity", {{"chat", 5}}}}}}}})
                  .ok());
  auto demo = service_->GetContactCenter(kDemo, kApi);
  ASSERT_TRUE(demo.ok());
  EXPECT_EQ(json::serialize((*demo)["settings"]),
            R"({"routing":{"offerTimeoutSeconds":30,"capacity":{"chat":5},)"
            R"("declineCooldownSeconds":60,"lastAgentWaitSeconds":0}})");
  ExpectError(
      service_->UpdateContactCenter(kDemo, {{"id", created->id}}).status(),
      Code::kReadOnly, "Field 'id' is read-only");
  ExpectError(
      service_->UpdateContactCenter(kDemo, {{"name", "other"}}).status(),
      Code::kAlreadyExists, "Contact center name 'other' already used");

  auto admin = service_->CreateUserInContactCenter(
      created->id, {{"userName", "other-admin"},
                    {"password", "other-password"},
                    {"roles", json::array{"ROLE_ADMIN"}}});
  ASSERT_TRUE(admin.ok()) << admin.status().message();
  ExpectError(
      service_
          ->CreateUserInContactCenter(ids::Derive("contact-center/none"),
                                      {{"userName", "x"},
                                       {"password", "x-password"},
                                       {"roles", json::array{"ROLE_ADMIN"}}})
          .status(),
      Code::kNotFound, "No such contact center");

  auto all = service_->ListContactCenters(kApi);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].as_object().at("name"), "demo");

  AddSession("S9", admin->id);
  auto deleted = service_->DeleteContactCenter(created->id);
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->effects.ended_sessions, std::vector<std::string>{"S9"});
  EXPECT_EQ(service_->GetContactCenter(created->id, kApi).status().code(),
            Code::kNotFound);
}

}  // namespace
}  // namespace workbind::domain
