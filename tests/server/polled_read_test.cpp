// IsPolledRead: a GET or HEAD with no body, to a route marked polled, may be answered on the head
// waiter's thread; anything else, or anything in doubt, goes to a worker.
#include "server/polled_read.h"

#include <doctest/doctest.h>

#include <string>

namespace patchcast::server {
namespace {

api::Router TestRouter() {
  api::Router router;
  const api::Handler none = [](const api::Request&) -> Result<api::Response> {
    return api::Response{};
  };
  router.Add({api::Method::kGet,
              "/v1/series",
              api::Scope::kRead,
              {},
              none,
              "list",
              /*heavy=*/false,
              api::Caching::kUntilDataChanges,
              /*polled=*/true});
  router.Add({api::Method::kGet,
              "/v1/series/{id}/plan/current",
              api::Scope::kRead,
              {},
              none,
              "current",
              /*heavy=*/false,
              api::Caching::kPerSecond,
              /*polled=*/true});
  router.Add({api::Method::kGet,
              "/v1/series/{id}/points",
              api::Scope::kRead,
              {},
              none,
              "points",
              /*heavy=*/false,
              api::Caching::kUntilDataChanges,
              /*polled=*/false});
  router.Add({api::Method::kPost,
              "/v1/series/{id}/points",
              api::Scope::kWrite,
              {"application/json"},
              none,
              "upload"});
  return router;
}

std::string Head(const std::string& request_line, const std::string& headers = "") {
  return request_line + "\r\nHost: x\r\n" + headers + "\r\n";
}

TEST_CASE("a GET or HEAD of a polled route is a polled read, with or without a query") {
  const api::Router router = TestRouter();
  CHECK(IsPolledRead(Head("GET /v1/series HTTP/1.1"), router));
  CHECK(IsPolledRead(Head("HEAD /v1/series HTTP/1.1"), router));
  CHECK(IsPolledRead(Head("GET /v1/series/logins/plan/current?at=now HTTP/1.1"), router));
  CHECK(IsPolledRead(Head("GET /v1/series HTTP/1.1", "If-None-Match: \"abc\"\r\n"), router));
}

TEST_CASE("other routes, other methods and unknown paths go to a worker") {
  const api::Router router = TestRouter();
  CHECK_FALSE(IsPolledRead(Head("GET /v1/series/logins/points HTTP/1.1"), router));
  CHECK_FALSE(IsPolledRead(Head("POST /v1/series/logins/points HTTP/1.1"), router));
  CHECK_FALSE(IsPolledRead(Head("DELETE /v1/series HTTP/1.1"), router));
  CHECK_FALSE(IsPolledRead(Head("GET /v1/nothing HTTP/1.1"), router));
  CHECK_FALSE(IsPolledRead(Head("get /v1/series HTTP/1.1"), router));
}

TEST_CASE("a head that announces a body, in any case, goes to a worker") {
  const api::Router router = TestRouter();
  CHECK_FALSE(IsPolledRead(Head("GET /v1/series HTTP/1.1", "Content-Length: 5\r\n"), router));
  CHECK_FALSE(IsPolledRead(Head("GET /v1/series HTTP/1.1", "content-length: 0\r\n"), router));
  CHECK_FALSE(
      IsPolledRead(Head("GET /v1/series HTTP/1.1", "TRANSFER-ENCODING: chunked\r\n"), router));
}

TEST_CASE("a head without a whole request line goes to a worker, which answers it") {
  const api::Router router = TestRouter();
  CHECK_FALSE(IsPolledRead("GET\r\n\r\n", router));
  CHECK_FALSE(IsPolledRead("", router));
  CHECK_FALSE(IsPolledRead("GET /v1/series", router));
}

}  // namespace
}  // namespace patchcast::server
