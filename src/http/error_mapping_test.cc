#include "http/error_mapping.h"

#include <gtest/gtest.h>

namespace workbind::http {
namespace {

struct Row {
  Code code;
  int http;
  int status_code;
};

// Every internal code and its HTTP status and GWS statusCode.
const Row kTable[] = {
    {Code::kOk, 200, 0},
    {Code::kMissingParameter, 400, 1},
    {Code::kInvalidState, 400, 2},
    {Code::kForbidden, 403, 3},
    {Code::kMethodNotAllowed, 405, 3},
    {Code::kInternal, 500, 4},
    {Code::kPermissionDenied, 403, 5},
    {Code::kNotFound, 404, 6},
    {Code::kInvalidArgument, 400, 10},
    {Code::kPayloadTooLarge, 413, 10},
    {Code::kReadOnly, 400, 11},
    {Code::kStorageRead, 500, 12},
    {Code::kStorageCreate, 500, 13},
    {Code::kStorageDelete, 500, 14},
    {Code::kStorageUpdate, 500, 15},
    {Code::kStorageAssign, 500, 16},
    {Code::kStorageUnassign, 500, 17},
    {Code::kAlreadyExists, 409, 18},
    {Code::kInUse, 409, 19},
    {Code::kUnauthenticated, 401, 20},
    {Code::kTooManyAttempts, 429, 20},
    {Code::kUnsupportedMediaType, 415, 10},
};

TEST(ErrorMapping, EveryCode) {
  for (const Row& row : kTable) {
    ErrorMapping m = MapError(Status(row.code, "x"));
    EXPECT_EQ(m.http_status, row.http) << static_cast<int>(row.code);
    EXPECT_EQ(m.status_code, row.status_code) << static_cast<int>(row.code);
  }
  // The table covers the last enumerator: a new code must be added above.
  EXPECT_EQ(static_cast<int>(Code::kUnsupportedMediaType) + 1,
            static_cast<int>(std::size(kTable)));
}

TEST(ErrorMapping, UnavailableDependencyIs503WithRetryAfter) {
  for (Code c : {Code::kInternal, Code::kStorageRead, Code::kStorageUpdate}) {
    HttpResponse r = ErrorResponse(Status(c, "Unable", /*unavailable=*/true));
    EXPECT_EQ(r.status, 503);
    bool retry = false;
    for (auto& [k, v] : r.headers)
      retry = retry || (k == "Retry-After" && v == "1");
    EXPECT_TRUE(retry);
  }
  // Not a 500: unchanged.
  EXPECT_EQ(ErrorResponse(Status(Code::kNotFound, "x", true)).status, 404);
}

TEST(ErrorMapping, ErrorBodyIsExactlyTwoKeys) {
  HttpResponse r = ErrorResponse(Unauthenticated());
  EXPECT_EQ(r.body, "{\"statusCode\":20,\"statusMessage\":\"Access denied\"}");
  bool www = false;
  for (auto& [k, v] : r.headers)
    www = www || (k == "WWW-Authenticate" && v == "Basic realm=\"workbind\"");
  EXPECT_TRUE(www);
}

TEST(ErrorMapping, TooManyAttemptsIs429WithRetryAfterAndNoChallenge) {
  HttpResponse r = ErrorResponse(TooManyAttempts(30));
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.body,
            "{\"statusCode\":20,\"statusMessage\":\"Too many failed sign-in "
            "attempts; retry in 30 s\"}");
  std::string retry;
  bool www = false;
  for (auto& [k, v] : r.headers) {
    if (k == "Retry-After") retry = v;
    www = www || k == "WWW-Authenticate";
  }
  EXPECT_EQ(retry, "30");
  EXPECT_FALSE(www);
}

// The errors answered outside the handlers (transport, /readyz): their
// statusCode, message and HTTP status, byte for byte.
TEST(ErrorMapping, ErrorsOutsideHandlers) {
  struct Fixed {
    Status status;
    int http;
    const char* body;
  };
  const Fixed fixed[] = {
      {MalformedRequest(), 400,
       R"({"statusCode":10,"statusMessage":"Malformed HTTP request"})"},
      {InternalFailure(), 500,
       R"({"statusCode":4,"statusMessage":"Internal error"})"},
      {NotReady(), 503,
       R"({"statusCode":4,"statusMessage":"Not ready: database unreachable"})"},
  };
  for (const Fixed& f : fixed) {
    EXPECT_EQ(MapError(f.status).http_status, f.http) << f.body;
    EXPECT_EQ(ErrorBody(f.status), f.body);
    EXPECT_EQ(ErrorResponse(f.status).body, f.body);
  }
}

TEST(ErrorMapping, SuccessPutsStatusCodeFirst) {
  HttpResponse r = JsonResponse(boost::json::object{{"referenceId", 3}});
  EXPECT_EQ(r.body, "{\"statusCode\":0,\"referenceId\":3}");
}

}  // namespace
}  // namespace workbind::http
