// Request ids (X-Request-Id): the id a client or proxy sent when it is sane,
// else one made here. The id is echoed in the reply's X-Request-Id header
// and carried by every log line of the request (common/log.h, Context).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace workbind::app {

// Whether a received X-Request-Id is kept: 1 to 128 characters, each
// printable ASCII other than space (0x21-0x7E). Anything else (empty, too
// long, spaces, control or non-ASCII bytes) is replaced by a made one.
bool AcceptableRequestId(std::string_view id);

// Makes request ids unique within the process and, with high probability,
// across processes: a random prefix drawn once at construction, then a
// counter ("5f0c2a9e41d7-000001a4"). Next() makes no system call.
// Thread-safe.
class RequestIdSource {
 public:
  RequestIdSource();
  // For tests: a fixed prefix.
  explicit RequestIdSource(std::string prefix) : prefix_(std::move(prefix)) {}

  std::string Next();

  // The id of a request whose X-Request-Id header is `received` (empty:
  // none): `received` when acceptable, else Next().
  std::string For(std::string_view received) {
    return AcceptableRequestId(received) ? std::string(received) : Next();
  }

 private:
  std::string prefix_;
  std::atomic<uint64_t> next_{1};
};

}  // namespace workbind::app
