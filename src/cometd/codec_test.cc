#include "cometd/codec.h"

#include <gtest/gtest.h>

#include "http/error_mapping.h"

namespace workbind::cometd {
namespace {
namespace json = boost::json;

TEST(CodecTest, DecodesObjectAndArray) {
  DecodeResult one = DecodeMessages(R"({"channel":"/meta/connect"})");
  ASSERT_FALSE(one.error);
  EXPECT_EQ(one.messages.size(), 1u);
  DecodeResult two = DecodeMessages(R"([{"channel":"/a"},{"channel":"/b"}])");
  ASSERT_FALSE(two.error);
  EXPECT_EQ(two.messages.size(), 2u);
}

TEST(CodecTest, RefusesBadBodies) {
  DecodeResult bad = DecodeMessages(R"([{"channel":)");
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(http::MapError(*bad.error).http_status, 400);
  EXPECT_EQ(http::MapError(*bad.error).status_code, 10);
  EXPECT_EQ(bad.error->message().rfind("Malformed JSON at byte ", 0), 0u)
      << bad.error->message();

  EXPECT_TRUE(DecodeMessages("[]").error);
  EXPECT_TRUE(DecodeMessages("42").error);
  EXPECT_TRUE(DecodeMessages("[1]").error);
  EXPECT_TRUE(DecodeMessages("{} x").error);
  std::string deep(40, '[');
  deep += std::string(40, ']');
  EXPECT_TRUE(DecodeMessages(deep).error);
}

TEST(CodecTest, HandshakeMustBeAlone) {
  DecodeResult r = DecodeMessages(
      R"([{"channel":"/meta/handshake/"},{"channel":"/meta/connect","clientId":"x"}])");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->message(),
            "A handshake must be the only message of its request");
}

TEST(CodecTest, ReadsHeader) {
  MessageHeader h =
      ReadHeader(json::parse(R"({"channel":"/v2/me/","id":"a1"})").as_object());
  EXPECT_TRUE(h.error.empty());
  EXPECT_EQ(h.channel, "/v2/me");
  EXPECT_EQ(*h.id, json::value("a1"));

  h = ReadHeader(json::parse(R"({"id":"7"})").as_object());
  EXPECT_EQ(h.error, kErrChannelMissing);
  json::object reply = MakeReply(h);
  EXPECT_EQ(reply.at("id"), "7");

  h = ReadHeader(json::parse(R"({"channel":"/a//b","id":3})").as_object());
  EXPECT_EQ(h.error, kErrInvalidChannel);
  reply = MakeReply(h);
  EXPECT_EQ(reply.at("channel"), "/a//b");
  EXPECT_EQ(reply.at("id"), 3);

  h = ReadHeader(json::parse(R"({"channel":"/a","id":"a-b"})").as_object());
  EXPECT_EQ(h.error, kErrInvalidId);
  EXPECT_FALSE(MakeReply(h).contains("id"));
  h = ReadHeader(json::parse(R"({"channel":"/a","id":{"x":1}})").as_object());
  EXPECT_EQ(h.error, kErrInvalidId);
  h = ReadHeader(json::parse(R"({"channel":"/a","id":2.5})").as_object());
  EXPECT_TRUE(h.error.empty());
  EXPECT_EQ(*h.id, json::value(2.5));
}

TEST(CodecTest, SerializesBatchInOrder) {
  Batch b;
  b.AddReply(json::object{{"channel", "/meta/connect"}});
  b.events.push_back(MakeEvent(json::object{{"channel", "/v2/me/x"}}));
  b.AddHead(json::object{{"channel", "/meta/handshake"}});
  EXPECT_EQ(
      b.Serialize(),
      R"([{"channel":"/meta/handshake"},{"channel":"/v2/me/x"},{"channel":"/meta/connect"}])");
}

// The event of a publish is written directly; its text is the one the
// object form gives, escapes included.
TEST(CodecTest, ChannelEventMatchesTheObjectForm) {
  json::value data =
      json::parse(R"({"text":"a \"q\" \u00e9\n","n":[1,2.5,null]})");
  EXPECT_EQ(
      *MakeChannelEvent("/chat/room 1", data),
      *MakeEvent(json::object{{"channel", "/chat/room 1"}, {"data", data}}));
  EXPECT_EQ(*MakeChannelEvent("/a", json::value(7)),
            R"({"channel":"/a","data":7})");
}

// A refused body is answered through the one error table: HTTP 400,
// statusCode 10, the reason as statusMessage.
TEST(CodecTest, RefusalsMapThroughTheErrorTable) {
  DecodeResult bad = DecodeMessages("[]");
  ASSERT_TRUE(bad.error);
  EXPECT_EQ(http::MapError(*bad.error).http_status, 400);
  EXPECT_EQ(
      http::ErrorBody(*bad.error),
      R"({"statusCode":10,"statusMessage":"Bayeux request must be a message or a non-empty array of messages"})");
}

}  // namespace
}  // namespace workbind::cometd
