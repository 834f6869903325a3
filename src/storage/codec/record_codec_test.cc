#include "storage/codec/record_codec.h"

#include <gtest/gtest.h>

#include "storage/codec/storage_status.h"
#include "storage/codec/workbin_page.h"

namespace workbind::storage::codec {
namespace {

InteractionRecord Chat() {
  InteractionRecord r;
  r.from = "a@example.com";
  r.to = {"b@example.com"};
  r.participants = {{"Ann", "Customer", "p1"}};
  return r;
}

TEST(RecordCodecTest, MediaOfEveryFieldOrOnlyTheSetOnes) {
  EXPECT_EQ(EncodeMedia(Chat(), MediaFields::kOnlySet),
            R"({"from":"a@example.com","to":["b@example.com"],)"
            R"("participants":[{"nickname":"Ann","type":"Customer",)"
            R"("participantId":"p1"}]})");
  EXPECT_EQ(EncodeMedia(Chat(), MediaFields::kAll),
            R"({"from":"a@example.com","to":["b@example.com"],"cc":[],)"
            R"("bcc":[],"subject":"","body":"","mime":"",)"
            R"("participants":[{"nickname":"Ann","type":"Customer",)"
            R"("participantId":"p1"}]})");
  EXPECT_EQ(EncodeMedia(InteractionRecord(), MediaFields::kOnlySet), "");
}

TEST(RecordCodecTest, MediaReadsBackFromEitherForm) {
  for (auto fields : {MediaFields::kAll, MediaFields::kOnlySet}) {
    InteractionRecord back;
    DecodeMedia(EncodeMedia(Chat(), fields), &back);
    EXPECT_EQ(back.from, "a@example.com");
    EXPECT_EQ(back.to, std::vector<std::string>{"b@example.com"});
    EXPECT_TRUE(back.cc.empty());
    ASSERT_EQ(back.participants.size(), 1u);
    EXPECT_EQ(back.participants[0].participant_id, "p1");
  }
  InteractionRecord none;
  DecodeMedia("not json", &none);
  EXPECT_TRUE(none.from.empty());
}

TEST(RecordCodecTest, ListsMapsRoutingChannelsWatchers) {
  EXPECT_EQ(EncodeList({"x", "y"}), R"(["x","y"])");
  EXPECT_EQ(DecodeList(R"(["x",1,"y"])"), (std::vector<std::string>{"x", "y"}));
  EXPECT_TRUE(DecodeList("oops").empty());

  EXPECT_EQ(EncodeIntMap({{"chat", 2}}), R"({"chat":2})");
  EXPECT_EQ(DecodeIntMap(R"({"chat":2,"x":"y"})"),
            (std::map<std::string, int>{{"chat", 2}}));
  EXPECT_EQ(DecodeIntMap("[]"), (std::map<std::string, int>{}));
  EXPECT_EQ(DecodeIntMap("oops"), std::nullopt);

  ContactCenterRecord cc;
  cc.offer_timeout_seconds = 7;
  cc.capacity = {{"email", 3}};
  ContactCenterRecord back;
  DecodeRouting(EncodeRouting(cc), &back);
  EXPECT_EQ(back.offer_timeout_seconds, 7);
  EXPECT_EQ(back.capacity, cc.capacity);

  std::vector<ChannelStateRecord> channels = {{"chat", true, "Lunch", 5}};
  auto decoded = DecodeChannels(EncodeChannels(channels));
  ASSERT_EQ(decoded.size(), 1u);
  EXPECT_EQ(decoded[0].channel, "chat");
  EXPECT_TRUE(decoded[0].ready);
  EXPECT_EQ(decoded[0].reason, "Lunch");
  EXPECT_EQ(decoded[0].idle_since_ms, 5);

  EXPECT_EQ(EncodeWatchers({"a", "b"}), "a,b");
  EXPECT_EQ(DecodeWatchers("a,b"), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(DecodeWatchers("").empty());
  EXPECT_EQ(NonEmpty(""), std::nullopt);
  EXPECT_EQ(NonEmpty("x"), "x");
}

TEST(RecordCodecTest, StorageMessages) {
  EXPECT_EQ(StorageMessage(Code::kStorageUpdate), "Unable to update resource");
  EXPECT_EQ(StorageMessage(Code::kStorageRead), "Unable to retrieve resource");
  Status st = StorageError(Code::kStorageCreate, true);
  EXPECT_EQ(st.code(), Code::kStorageCreate);
  EXPECT_EQ(st.message(), "Unable to create resource");
  EXPECT_TRUE(st.unavailable());
}

InteractionRecord Item(int64_t received_ms, std::string id) {
  InteractionRecord r;
  r.received_ms = received_ms;
  r.id = std::move(id);
  return r;
}

std::vector<std::string> Ids(const std::vector<InteractionRecord>& v) {
  std::vector<std::string> out;
  for (const auto& r : v) out.push_back(r.id);
  return out;
}

TEST(WorkbinPageTest, MergesOneReadPerMediaTypeInPageOrder) {
  std::vector<std::optional<std::string>> asked;
  auto read = [&](const std::optional<std::string>& media)
      -> Result<std::vector<InteractionRecord>> {
    asked.push_back(media);
    if (media == "chat") return std::vector{Item(3, "c3"), Item(1, "c1")};
    return std::vector{Item(2, "e2"), Item(1, "e1")};
  };
  auto page = MergeWorkbinPage({"chat", "email"}, true, 3, read);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(Ids(*page), (std::vector<std::string>{"c3", "e2", "e1"}));
  EXPECT_EQ(asked.size(), 2u);

  asked.clear();
  page = MergeWorkbinPage({}, false, 0, read);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0], std::nullopt);
  // A single read is taken as it comes.
  EXPECT_EQ(Ids(*page), (std::vector<std::string>{"e2", "e1"}));

  auto failed = MergeWorkbinPage(
      {"chat"}, false, 0, [](const std::optional<std::string>&) {
        return Result<std::vector<InteractionRecord>>(
            StorageError(Code::kStorageRead, true));
      });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), Code::kStorageRead);
}

}  // namespace
}  // namespace workbind::storage::codec
