// Fuzz target: the Bayeux request decoding of the CometD endpoint. The first
// input byte picks the Content-Type (with its charset) of a POST to
// /api/v2/notifications, the rest is its body; the body goes through
// ReadBodyText and DecodeMessages, and each decoded message through the
// header checks, the ack and timesync extensions, the channel rules and the
// building and serializing of its reply.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string_view>

#include "cometd/channel.h"
#include "cometd/codec.h"
#include "cometd/extensions.h"
#include "cometd/permissions.h"
#include "cometd/request_decoding.h"
#include "http/error_mapping.h"

namespace {

namespace json = boost::json;
using namespace workbind::cometd;

constexpr std::string_view kContentTypes[] = {
    "",
    "application/json",
    "application/json;charset=UTF-8",
    "application/json; charset=ISO-8859-1",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=windows-1252",
    "text/json; charset=\"us-ascii\"",
    "application/json; charset=utf-16",
};

void CheckMessage(const json::object& m, Batch* batch) {
  MessageHeader h = ReadHeader(m);
  (void)ClientIdOf(m);
  (void)IntOf(m.if_contains("id"));
  if (const json::object* ext = ExtOf(m)) (void)IntOf(ext->if_contains("ack"));
  (void)AckRequested(m);
  (void)AckedBatch(m);
  json::object reply = MakeReply(h);
  if (auto t = ReadTimesync(m, 1700000000000))
    AddTimesyncReply(t, 1700000000250, &reply);
  if (!h.error.empty()) {
    SetError(&reply, h.error);
  } else {
    (void)IsWildcard(h.channel);
    (void)FirstSegment(h.channel);
    (void)ChannelMatches(h.channel, "/v2/users/u1/workbins");
    (void)PatternsOverlap(h.channel, "/v2/**");
    (void)SupervisedUserOf(h.channel);
    (void)CheckPublish(h.channel, {"/chat/**"});
    if (const json::value* sub = m.if_contains("subscription");
        sub && sub->is_string()) {
      if (auto pattern = NormalizeChannel(sub->as_string())) {
        workbind::domain::Principal who;
        who.roles = {"ROLE_SUPERVISOR"};
        (void)CheckSubscribe(*pattern, who, {"/chat/**"},
                             [](const std::string&) { return true; });
      }
    }
  }
  batch->AddReply(reply);
  batch->events.push_back(MakeEvent(m));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  workbind::HttpRequest req;
  req.method = "POST";
  req.target = "/api/v2/notifications";
  const std::string_view type =
      kContentTypes[data[0] % std::size(kContentTypes)];
  if (!type.empty())
    req.headers.emplace_back("Content-Type", std::string(type));
  req.body.assign(reinterpret_cast<const char*>(data) + 1, size - 1);

  BodyText body = ReadBodyText(req);
  if (body.error) return 0;
  DecodeResult decoded = DecodeMessages(body.text);
  Batch batch;
  if (decoded.error) {
    (void)workbind::http::ErrorBody(*decoded.error);
    return 0;
  }
  for (const json::object& m : decoded.messages) CheckMessage(m, &batch);
  (void)batch.Serialize();
  return 0;
}
