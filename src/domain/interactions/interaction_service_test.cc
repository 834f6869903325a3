// InteractionService and QueueService over a real SQLite store: every state
// x operation of the state machine through the service, the flows of
// the operations, user-data rules, and that a refused request changes
// nothing.
#include "domain/interactions/interaction_service.h"

#include "domain/core/user_data.h"
#include "domain/testing/interaction_test_env.h"

namespace workbind::domain::testing {
namespace {

namespace json = boost::json;
using Op = InteractionOp;

class InteractionServiceTest : public InteractionEnv {
 protected:
  // An interaction of `media` owned by `owner` in its working state.
  std::string Own(const Principal& owner, const std::string& media) {
    if (FamilyOf(media) != MediaFamily::kChat) {
      CreateRequest r;
      r.queue_id = kQueueId;
      auto created = interactions_->Create(owner, media, r);
      EXPECT_TRUE(created.ok()) << created.status().message();
      return created.ok() ? created->id : "";
    }
    // Chats cannot be created: submit one and let the router offer it to
    // `owner`, its only ready agent.
    const std::string id = Submit(media);
    SetReady(owner, media, true);
    EXPECT_TRUE(router_->RunPass(kCc).ok());
    EXPECT_EQ(Get(id).owner_id.value_or(""), owner.user_id);
    EXPECT_TRUE(Do(owner, id, Op::kAccept).ok());
    SetReady(owner, media, false);
    return id;
  }

  // An interaction of `media` as alice sees it in `state` (Invited: offered
  // to alice by a transfer from bob; Queued: placed in q by bob, nobody
  // ready; Completed: completed by alice).
  std::string InState(const std::string& media, InteractionState state) {
    switch (state) {
      case InteractionState::kInvited: {
        const std::string id = Own(bob(), media);
        OperationRequest r;
        r.target_user_id = kAlice;
        EXPECT_TRUE(Do(bob(), id, Op::kTransfer, r).ok());
        return id;
      }
      case InteractionState::kQueued: {
        const std::string id = Own(bob(), media);
        OperationRequest r;
        r.queue_name = "q";
        EXPECT_TRUE(Do(bob(), id, Op::kPlaceInQueue, r).ok());
        return id;
      }
      case InteractionState::kCompleted: {
        const std::string id = Own(alice(), media);
        EXPECT_TRUE(Do(alice(), id, Op::kComplete).ok());
        return id;
      }
      default:
        return Own(alice(), media);
    }
  }

  OperationRequest RequestFor(Op op) {
    OperationRequest r;
    r.op = op;
    if (op == Op::kTransfer || op == Op::kPlaceInQueue) r.queue_name = "q2";
    if (op == Op::kAttachUserData || op == Op::kUpdateUserData)
      r.user_data = {{"Outcome", "ok"}};
    if (op == Op::kDeleteUserData) r.keys = {"Outcome"};
    return r;
  }
};

TEST_F(InteractionServiceTest, EveryStateAndOperation) {
  for (const std::string media : {"workitem", "email", "chat", "tweet"}) {
    const MediaFamily family = FamilyOf(media);
    const InteractionState working =
        family == MediaFamily::kEmail  ? InteractionState::kComposing
        : family == MediaFamily::kChat ? InteractionState::kChatting
                                       : InteractionState::kProcessing;
    for (InteractionState state :
         {InteractionState::kInvited, working, InteractionState::kQueued,
          InteractionState::kCompleted}) {
      for (Op op : kAllOps) {
        SCOPED_TRACE(media + " " + std::string(StateName(state)) + " " +
                     std::string(OpName(op)));
        // A fresh contact center per case: no earlier offer or queued
        // interaction can interfere with the router.
        TearDown();
        SetUp();
        Login(alice(), {media}, false);
        Login(bob(), {media}, false);
        const std::string id = InState(media, state);
        const auto before = Get(id);
        ASSERT_EQ(ViewFor(before, kAlice).state, state);
        const size_t events = History(id).size();
        sink_.Take();
        auto result = interactions_->Operate(alice(), ItemRoute::kMine, media,
                                             id, RequestFor(op));
        const bool allowed = Allows(state, family, op) &&
                             state != InteractionState::kQueued &&
                             state != InteractionState::kCompleted;
        if (allowed) {
          EXPECT_TRUE(result.ok()) << result.status().message();
          // At least one notification carries the caller's referenceId.
          bool referenced = false;
          for (const auto& n : sink_.Take())
            referenced |= n.user_id == kAlice && n.actor_user_id == kAlice &&
                          n.reference_id == (result.ok() ? *result : -1);
          EXPECT_TRUE(referenced);
          continue;
        }
        ASSERT_FALSE(result.ok());
        if (state == InteractionState::kQueued ||
            state == InteractionState::kCompleted) {
          // alice may not read it any more (or never could): the reply is
          // GET /me's, as for an unknown id, and names no state.
          EXPECT_EQ(result.status().code(), Code::kNotFound);
          EXPECT_EQ(result.status().message(),
                    "No such interaction '" + id + "'");
        } else {
          EXPECT_EQ(result.status().code(), Code::kInvalidState);
          EXPECT_EQ(result.status().message(),
                    "Operation '" + std::string(OpName(op)) +
                        "' is not valid in state '" +
                        std::string(StateName(state)) + "'");
        }
        const auto after = Get(id);
        EXPECT_EQ(after.state, before.state);
        EXPECT_EQ(after.owner_id, before.owner_id);
        EXPECT_EQ(after.user_data, before.user_data);
        EXPECT_EQ(History(id).size(), events);
        EXPECT_TRUE(sink_.Take().empty());
      }
    }
  }
}

TEST_F(InteractionServiceTest, CreateMakesAnOwnedInteraction) {
  CreateRequest r;
  r.queue_id = kQueueId;
  r.contact_id = "C-1";
  r.user_data = {{"Subject", "Call back"}};
  r.email.to = std::vector<std::string>{"carol@x"};
  auto created = interactions_->Create(alice(), "email", r);
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_EQ(created->reference_id, 1);
  const auto rec = Get(created->id);
  EXPECT_EQ(rec.state, "Composing");
  EXPECT_EQ(rec.direction, "Outbound");
  EXPECT_EQ(rec.owner_id.value_or(""), kAlice);
  EXPECT_EQ(rec.user_data,
            "{\"InteractionId\":\"" + created->id +
                "\",\"ContactId\":\"C-1\",\"Subject\":\"Call back\"}");
  auto sent = For(sink_.Take(), kAlice, "emails");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].reference_id, 1);
  EXPECT_EQ(sent[0].data.at("notificationType"), "StatusChange");
  const auto& email = sent[0].data.at("email").as_object();
  EXPECT_EQ(email.at("state"), "Composing");
  EXPECT_EQ(email.at("emailType"), "Outbound");
  EXPECT_EQ(email.at("to").as_array().size(), 1u);
  EXPECT_EQ(email.at("mime"), "text/plain");
  EXPECT_EQ(email.at("receivedDate"), "2024-05-14 09:30:12.000+0000");
  EXPECT_EQ(History(created->id).at(0).event, "Created");

  auto contact =
      ContactService(store_.get(), "http://h/api/v2").Get(alice(), "C-1");
  ASSERT_TRUE(contact.ok());
  EXPECT_EQ(
      json::serialize(*contact),
      R"({"id":"C-1","uri":"http://h/api/v2/contacts/C-1","path":"/contacts/C-1"})");
}

TEST_F(InteractionServiceTest, CreateErrors) {
  CreateRequest r;
  r.queue_id = kQueueId;
  EXPECT_EQ(interactions_->Create(alice(), "chat", r).status().code(),
            Code::kInvalidState);
  EXPECT_EQ(interactions_->Create(alice(), "promotion", r).status().code(),
            Code::kNotFound);
  r.queue_id = "nope";
  EXPECT_EQ(interactions_->Create(alice(), "workitem", r).status().code(),
            Code::kNotFound);
  r.queue_id = kQueueId;
  r.parent_id = "0000000000000000";
  EXPECT_EQ(interactions_->Create(alice(), "workitem", r).status().code(),
            Code::kNotFound);
  r.parent_id.reset();
  r.contact_id = "bad id!";
  EXPECT_EQ(interactions_->Create(alice(), "workitem", r).status().code(),
            Code::kInvalidArgument);
  r.contact_id.reset();
  r.user_data = {{"InteractionId", "x"}};
  EXPECT_EQ(interactions_->Create(alice(), "workitem", r).status().code(),
            Code::kReadOnly);
  EXPECT_TRUE(sink_.Take().empty());
  auto mine = interactions_->ListMine(alice(), "workitem");
  ASSERT_TRUE(mine.ok());
  EXPECT_TRUE(mine->empty());
}

TEST_F(InteractionServiceTest, UserDataRulesChangeNothingWhenRefused) {
  const std::string id = Own(alice(), "workitem");
  OperationRequest r;
  r.user_data = {{"Workbin", "x"}};
  EXPECT_EQ(Do(alice(), id, Op::kAttachUserData, r).status().code(),
            Code::kReadOnly);
  r.keys = {"InteractionId"};
  EXPECT_EQ(Do(alice(), id, Op::kDeleteUserData, r).status().code(),
            Code::kReadOnly);
  r.user_data = {{"big", std::string(16385, 'x')}};
  EXPECT_EQ(Do(alice(), id, Op::kUpdateUserData, r).status().code(),
            Code::kInvalidArgument);
  r.user_data = {};
  for (int i = 0; i < 256; ++i)
    r.user_data[std::string("k").append(std::to_string(i))] = i;
  auto too_many =
      Do(alice(), id, Op::kAttachUserData, r);  // 257 with InteractionId
  EXPECT_EQ(too_many.status().code(), Code::kInvalidArgument);
  const auto rec = Get(id);
  EXPECT_EQ(rec.user_data, "{\"InteractionId\":\"" + id + "\"}");
  EXPECT_EQ(History(id).size(), 1u);  // Created only

  r.user_data = {{"a", 1}, {"b", "two"}};
  auto ok = Do(alice(), id, Op::kAttachUserData, r);
  ASSERT_TRUE(ok.ok());
  r.keys = {"a", "absent"};
  ASSERT_TRUE(Do(alice(), id, Op::kDeleteUserData, r).ok());
  EXPECT_EQ(Get(id).user_data,
            "{\"InteractionId\":\"" + id + "\",\"b\":\"two\"}");
  const auto h = History(id);
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[1].details, R"({"set":["a","b"],"deleted":[]})");
  EXPECT_EQ(h[2].details, R"({"set":[],"deleted":["a"]})");
  EXPECT_EQ(h[1].reference_id, ok.value());
}

TEST_F(InteractionServiceTest, OtherUsersCannotOperate) {
  const std::string id = Own(alice(), "workitem");
  for (Op op : kAllOps) {
    // bob may not read it: the reply of GET on each route.
    auto r = interactions_->Operate(bob(), ItemRoute::kAlias, "", id,
                                    RequestFor(op));
    EXPECT_EQ(r.status().code(), Code::kPermissionDenied) << OpName(op);
    r = interactions_->Operate(bob(), ItemRoute::kMine, "", id, RequestFor(op));
    EXPECT_EQ(r.status().code(), Code::kNotFound) << OpName(op);
    // sam, who may read it, is outside its (empty) capabilities.
    r = interactions_->Operate(sam(), ItemRoute::kMine, "", id, RequestFor(op));
    EXPECT_EQ(r.status().code(), Code::kInvalidState) << OpName(op);
    EXPECT_EQ(r.status().message(), "Operation '" + std::string(OpName(op)) +
                                        "' is not valid in state 'Processing'");
  }
  EXPECT_EQ(Do(alice(), id, Op::kComplete).status().code(), Code::kOk);
  // Unknown ids and ids of another media family are not found.
  EXPECT_EQ(Do(alice(), "NOPE", Op::kComplete).status().code(),
            Code::kNotFound);
  const std::string other = Own(alice(), "workitem");
  EXPECT_EQ(interactions_
                ->Operate(alice(), ItemRoute::kMine, "email", other,
                          RequestFor(Op::kComplete))
                .status()
                .code(),
            Code::kNotFound);
  EXPECT_EQ(Get(other).state, "Processing");
}

// A caller who may not read an interaction gets, for every operation and
// whatever the interaction's state, owner or workbin, exactly the reply the
// GET of the same route gives it: on /me the unknown-id reply, on the alias
// and /interactions routes the not-visible reply. Neither names anything but
// the id, and nothing changes.
TEST_F(InteractionServiceTest, StrangersLearnNothingFromOperations) {
  const std::string unknown = "0123456789ABCDEF";
  auto replace_id = [](std::string text, const std::string& from,
                       const std::string& to) {
    for (size_t at = text.find(from); at != std::string::npos;
         at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
    return text;
  };
  Login(alice(), {"workitem"}, false);
  Login(bob(), {"workitem"}, false);
  // alice's interactions in the states a stranger must not learn.
  std::vector<std::pair<std::string, std::string>> cases;
  cases.push_back({"Processing", Own(alice(), "workitem")});
  {
    const std::string id = Own(alice(), "workitem");
    OperationRequest r;
    r.queue_name = "q";
    ASSERT_TRUE(Do(alice(), id, Op::kPlaceInQueue, r).ok());
    cases.push_back({"Queued", id});
  }
  {
    const std::string id = Own(alice(), "workitem");
    WorkbinItemRequest r;
    r.operation = "AddWorkitem";
    r.interaction_id = id;
    ASSERT_TRUE(workbins_->Add(alice(), kAliceWb, r).ok());
    cases.push_back({"InWorkbin", id});
  }
  {
    const std::string id = Own(sam(), "workitem");
    OperationRequest r;
    r.target_user_id = kAlice;
    ASSERT_TRUE(Do(sam(), id, Op::kTransfer, r).ok());
    cases.push_back({"Invited", id});
  }
  {
    const std::string id = Own(alice(), "workitem");
    ASSERT_TRUE(Do(alice(), id, Op::kComplete).ok());
    cases.push_back({"Completed", id});
  }
  std::vector<OperationRequest> requests;
  for (Op op : kAllOps) requests.push_back(RequestFor(op));
  {
    // Targets that do not exist must not answer before the access check.
    OperationRequest r = RequestFor(Op::kTransfer);
    r.queue_name = "no-such-queue";
    requests.push_back(r);
    r.queue_name.reset();
    r.target_user_id = "ffffffffffffffffffffffffffffffff";
    requests.push_back(r);
    r = RequestFor(Op::kPlaceInQueue);
    r.queue_name = "no-such-queue";
    requests.push_back(r);
  }
  for (const auto& [state, id] : cases) {
    const auto before = Get(id);
    ASSERT_EQ(before.state, state);
    const size_t events = History(id).size();
    sink_.Take();
    const Status get_mine =
        interactions_->GetMine(bob(), "workitem", id).status();
    const Status get_alias =
        interactions_->GetVisible(bob(), "workitem", id, false).status();
    const Status get_any =
        interactions_->GetVisible(bob(), "", id, true).status();
    EXPECT_EQ(get_mine.code(), Code::kNotFound);
    EXPECT_EQ(get_alias.code(), Code::kPermissionDenied);
    for (const auto& req : requests) {
      SCOPED_TRACE(state + " " + std::string(OpName(req.op)) + " " +
                   req.queue_name.value_or("") +
                   req.target_user_id.value_or(""));
      for (const std::string media : {"workitem", ""}) {
        auto mine =
            interactions_->Operate(bob(), ItemRoute::kMine, media, id, req);
        auto none = interactions_->Operate(bob(), ItemRoute::kMine, media,
                                           unknown, req);
        ASSERT_FALSE(mine.ok());
        EXPECT_EQ(mine.status().code(), none.status().code());
        EXPECT_EQ(mine.status().message(),
                  replace_id(none.status().message(), unknown, id));
        EXPECT_EQ(mine.status().code(), get_mine.code());
        EXPECT_EQ(mine.status().message(), get_mine.message());
        auto alias =
            interactions_->Operate(bob(), ItemRoute::kAlias, media, id, req);
        EXPECT_EQ(alias.status().code(), get_alias.code());
        EXPECT_EQ(alias.status().message(), get_alias.message());
      }
      if (req.op == Op::kAttachUserData || req.op == Op::kUpdateUserData ||
          req.op == Op::kDeleteUserData) {
        auto any = interactions_->ChangeUserDataOfAny(bob(), id, req);
        EXPECT_EQ(any.status().code(), get_any.code());
        EXPECT_EQ(any.status().message(), get_any.message());
      }
    }
    for (const Status& st : {get_mine, get_alias, get_any})
      for (const char* secret :
           {state.c_str(), "alice", "inbox", "Inbox", "workitem"})
        EXPECT_EQ(st.message().find(secret), std::string::npos)
            << st.message() << " names " << secret;
    ExpectUntouched(id, before, events);
  }
}

TEST_F(InteractionServiceTest, TransferChecks) {
  Login(bob(), {"email"}, false);
  const std::string id = Own(alice(), "workitem");
  OperationRequest r;
  r.target_user_id = kAlice;
  EXPECT_EQ(Do(alice(), id, Op::kTransfer, r).status().code(),
            Code::kInvalidArgument);
  r.target_user_id = "ffffffffffffffffffffffffffffffff";
  EXPECT_EQ(Do(alice(), id, Op::kTransfer, r).status().code(), Code::kNotFound);
  r.target_user_id = kBob;  // logged in on email only
  auto st = Do(alice(), id, Op::kTransfer, r).status();
  EXPECT_EQ(st.code(), Code::kInvalidState);
  EXPECT_EQ(st.message(), "User 'bob' is not logged in on channel 'workitem'");
  r.target_user_id.reset();
  r.queue_name = "nope";
  EXPECT_EQ(Do(alice(), id, Op::kTransfer, r).status().code(), Code::kNotFound);
  EXPECT_EQ(Get(id).state, "Processing");
}

TEST_F(InteractionServiceTest, TransferToUserAndDeclinedTransfer) {
  Login(bob(), {"workitem"}, false);
  const std::string id = Own(alice(), "workitem");
  sink_.Take();
  OperationRequest r;
  r.target_user_id = kBob;
  auto ref = Do(alice(), id, Op::kTransfer, r);
  ASSERT_TRUE(ref.ok());
  auto sent = sink_.Take();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].user_id, kAlice);
  EXPECT_EQ(StateIn(sent[0], "workitem"), "Completed");
  EXPECT_EQ(sent[0].reference_id, *ref);
  EXPECT_EQ(sent[1].user_id, kBob);
  EXPECT_EQ(StateIn(sent[1], "workitem"), "Invited");
  EXPECT_TRUE(
      sent[1].data.at("workitem").as_object().contains("offerExpiresAt"));

  clock_.now += 5000;
  auto rejected = Do(bob(), id, Op::kReject);
  ASSERT_TRUE(rejected.ok());
  sent = sink_.Take();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].user_id, kBob);
  EXPECT_EQ(StateIn(sent[0], "workitem"), "Revoked");
  EXPECT_EQ(sent[0].reference_id, *rejected);
  EXPECT_EQ(sent[1].user_id, kAlice);
  EXPECT_EQ(sent[1].data.at("notificationType"), "Error");
  EXPECT_EQ(sent[1].data.at("errorCode"), 16);
  EXPECT_EQ(
      sent[1].data.at("errorMessage"),
      "Transfer to 'bob' was not accepted; interaction placed in queue 'q'");
  EXPECT_EQ(sent[1].reference_id, *ref);
  EXPECT_EQ(sent[1].actor_user_id, kAlice);
  const auto rec = Get(id);
  EXPECT_EQ(rec.state, "Queued");
  EXPECT_EQ(rec.queued_ms, clock_.now.load());
  std::vector<std::string> events;
  for (const auto& e : History(id)) events.push_back(e.event);
  EXPECT_EQ(events,
            (std::vector<std::string>{"Created", "Transferred", "Offered",
                                      "Rejected", "TransferDeclined"}));
}

TEST_F(InteractionServiceTest, SupervisorsAndAdminsChangeUserDataOfAny) {
  const std::string id = Own(alice(), "workitem");
  sink_.Take();
  OperationRequest r;
  r.op = Op::kAttachUserData;
  r.user_data = {{"Escalated", "yes"}};
  auto ref = interactions_->ChangeUserDataOfAny(sam(), id, r);
  ASSERT_TRUE(ref.ok()) << ref.status().message();
  auto sent = sink_.Take();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].user_id, kAlice);
  EXPECT_EQ(sent[0].data.at("notificationType"), "PropertiesUpdated");
  EXPECT_EQ(sent[0].actor_user_id, kSam);  // alice's copy has no referenceId
  EXPECT_EQ(interactions_->ChangeUserDataOfAny(bob(), id, r).status().code(),
            Code::kPermissionDenied);
  ASSERT_TRUE(Do(alice(), id, Op::kComplete).ok());
  EXPECT_EQ(interactions_->ChangeUserDataOfAny(feeder(), id, r).status().code(),
            Code::kInvalidState);
}

TEST_F(InteractionServiceTest, ReadsFollowVisibility) {
  const std::string id = Own(alice(), "workitem");
  EXPECT_TRUE(interactions_->GetMine(alice(), "workitem", id).ok());
  EXPECT_EQ(interactions_->GetMine(bob(), "workitem", id).status().code(),
            Code::kNotFound);
  EXPECT_EQ(interactions_->GetMine(alice(), "email", id).status().code(),
            Code::kNotFound);
  EXPECT_EQ(
      interactions_->GetVisible(bob(), "workitem", id, false).status().code(),
      Code::kPermissionDenied);
  auto as_sam = interactions_->GetVisible(sam(), "", id, true);
  ASSERT_TRUE(as_sam.ok());
  EXPECT_EQ(as_sam->at("ownerId"), kAlice);
  EXPECT_EQ(as_sam->at("capabilities").as_array().size(), 0u);
  auto mine = interactions_->ListMine(alice(), "workitem");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 1u);
  EXPECT_EQ(mine->at(0).at("capabilities").as_array().size(), 7u);
  EXPECT_EQ(interactions_->ListMine(alice(), "promotion").status().code(),
            Code::kNotFound);
}

TEST_F(InteractionServiceTest, SubmitErrorsAndWaitingCount) {
  SubmitRequest r;
  r.media_type = "fax";
  EXPECT_EQ(queues_->Submit(feeder(), kQueueId, r).status().code(),
            Code::kInvalidArgument);
  r.media_type = "workitem";
  EXPECT_EQ(queues_->Submit(feeder(), "nope", r).status().code(),
            Code::kNotFound);
  r.parent_id = "ZZZZ";
  EXPECT_EQ(queues_->Submit(feeder(), kQueueId, r).status().code(),
            Code::kNotFound);
  r.parent_id.reset();
  r.contact_id = std::string(65, 'c');
  EXPECT_EQ(queues_->Submit(feeder(), kQueueId, r).status().code(),
            Code::kInvalidArgument);
  EXPECT_EQ(Waiting(kQueueId), 0);
  Submit("workitem");
  Submit("chat");
  EXPECT_EQ(Waiting(kQueueId), 2);
  EXPECT_EQ(Waiting(kQueue2Id), 0);
}

}  // namespace
}  // namespace workbind::domain::testing
