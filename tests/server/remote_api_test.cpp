// RemoteApi, the cron commands' --url mode: what a reply's status and body give, and the whole
// reason when no reply comes (a closed loopback port; no other network).
#include "server/remote_api.h"

#include <doctest/doctest.h>

namespace patchcast::server {
namespace {

TEST_CASE("a 2xx reply gives its body") {
  CHECK(ReplyBody(200, "{\"id\":\"plan-1\"}\n").value() == "{\"id\":\"plan-1\"}\n");
  CHECK(ReplyBody(201, "").value().empty());
}

TEST_CASE("an error reply gives the status and the service's message; 422 is kUnprocessable") {
  const std::string error =
      R"({"error":{"code":"unprocessable","message":"history covers 2 days","details":[]}})";
  auto too_short = ReplyBody(422, error);
  REQUIRE_FALSE(too_short);
  CHECK(too_short.error().code == ErrorCode::kUnprocessable);
  CHECK(too_short.error().message == "HTTP 422: history covers 2 days");

  auto refused = ReplyBody(401, R"({"error":{"message":"a valid API key is required"}})");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kInternal);
  CHECK(refused.error().message == "HTTP 401: a valid API key is required");

  // Not the service's error body (a proxy's page): the whole body.
  auto proxy = ReplyBody(502, "Bad Gateway");
  REQUIRE_FALSE(proxy);
  CHECK(proxy.error().message == "HTTP 502: Bad Gateway");
}

TEST_CASE("no server there is kUnavailable, with the whole reason") {
  RemoteApi remote("http://127.0.0.1:1", "pc_token");
  auto reply = remote.GetJson("/v1/series");
  REQUIRE_FALSE(reply);
  CHECK(reply.error().code == ErrorCode::kUnavailable);
  CHECK(reply.error().message ==
        "cannot reach the server at http://127.0.0.1:1: could not connect (is the server running, "
        "and is the address right?)");
  CHECK(remote.SeriesWithPoints().error().code == ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace patchcast::server
