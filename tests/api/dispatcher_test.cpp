#include "api/dispatcher.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "tests/support/dispatch_call.h"
#include "tests/support/fake_services.h"

namespace patchcast::api {
namespace {

struct DispatchFixture {
  Router router;
  testing::FakeAuthenticator authenticator;
  std::string cors_origin;

  DispatchFixture() {
    router.Add({Method::kGet,
                "/v1/things/{id}",
                Scope::kRead,
                {},
                [](const Request& request) -> Result<Response> {
                  if (request.path_params.at("id") == "missing") {
                    return NotFound("thing 'missing' does not exist");
                  }
                  if (request.path_params.at("id") == "boom") {
                    throw std::runtime_error("secret internals");
                  }
                  Response response;
                  response.body = "{\"id\":\"" + request.path_params.at("id") + "\"}";
                  return response;
                },
                ""});
    router.Add({Method::kPost,
                "/v1/things",
                Scope::kWrite,
                {"application/json"},
                [](const Request& request) -> Result<Response> {
                  Response response;
                  response.status = 201;
                  response.body = request.body;
                  return response;
                },
                ""});
  }

  Response Call(std::string method, std::string path, HeaderMap headers = {},
                std::string body = "") {
    const Dispatcher dispatcher(router, authenticator, {{}, cors_origin});
    return testing::Dispatch(dispatcher, {.method = std::move(method),
                                          .path = std::move(path),
                                          .headers = std::move(headers),
                                          .body = std::move(body)});
  }
};

TEST_CASE("a handler's value is the response and its path parameters reach it") {
  DispatchFixture f;
  Response response = f.Call("GET", "/v1/things/a1");
  CHECK(response.status == 200);
  CHECK(response.body == "{\"id\":\"a1\"}");
}

TEST_CASE("a handler's error becomes the JSON error with its status") {
  DispatchFixture f;
  Response response = f.Call("GET", "/v1/things/missing");
  CHECK(response.status == 404);
  auto body = nlohmann::json::parse(response.body);
  CHECK(body["error"]["message"] == "thing 'missing' does not exist");
  CHECK(response.headers.Get("Cache-Control") == "no-store");
}

TEST_CASE("an exception becomes a 500 that never shows its text") {
  DispatchFixture f;
  Response response = f.Call("GET", "/v1/things/boom");
  CHECK(response.status == 500);
  CHECK(response.body.find("secret") == std::string::npos);
  CHECK(response.log_detail == "secret internals");
  CHECK(nlohmann::json::parse(response.body)["error"]["request_id"] == "rid");
}

TEST_CASE("GET responses carry an ETag and a matching If-None-Match gives an empty 304") {
  DispatchFixture f;
  Response first = f.Call("GET", "/v1/things/a1");
  auto etag = first.headers.Get("ETag");
  REQUIRE(etag);
  CHECK(first.headers.Get("Cache-Control") == "no-cache");
  Response second = f.Call("GET", "/v1/things/a1", {{"If-None-Match", std::string(*etag)}});
  CHECK(second.status == 304);
  CHECK(second.body.empty());
  CHECK(second.headers.Get("ETag") == *etag);
  Response changed = f.Call("GET", "/v1/things/a2", {{"If-None-Match", std::string(*etag)}});
  CHECK(changed.status == 200);
}

TEST_CASE("a response's ETag basis, when given, stands for its body in the ETag") {
  DispatchFixture f;
  f.router.Add({Method::kGet,
                "/v1/polled",
                Scope::kRead,
                {},
                [age = 0](const Request&) mutable -> Result<Response> {
                  // The body changes at every call (an age), what a poller acts on does not.
                  Response response;
                  response.body = "{\"age\":" + std::to_string(++age) + ",\"replicas\":3}";
                  response.etag_basis = "replicas=3";
                  return response;
                },
                ""});
  Response first = f.Call("GET", "/v1/polled");
  auto etag = first.headers.Get("ETag");
  REQUIRE(etag);
  Response later = f.Call("GET", "/v1/polled", {{"If-None-Match", std::string(*etag)}});
  CHECK(later.status == 304);
  CHECK(f.Call("GET", "/v1/things/a1").headers.Get("ETag") != *etag);
}

TEST_CASE("writes carry no ETag") {
  DispatchFixture f;
  Response response = f.Call("POST", "/v1/things",
                             {{"Content-Type", "application/json"}, {"Content-Length", "2"}}, "{}");
  CHECK(response.status == 201);
  CHECK_FALSE(response.headers.Has("ETag"));
}

TEST_CASE("every response has the request id and security headers, errors included") {
  DispatchFixture f;
  for (const Response& response : {f.Call("GET", "/v1/things/a"), f.Call("GET", "/nowhere")}) {
    CHECK(response.headers.Get("X-Request-Id") == "rid");
    CHECK(response.headers.Get("X-Content-Type-Options") == "nosniff");
    CHECK(response.headers.Get("X-Frame-Options") == "DENY");
    CHECK(response.headers.Has("Cache-Control"));
  }
}

TEST_CASE("CORS is off by default") {
  DispatchFixture f;
  Response response = f.Call("GET", "/v1/things/a", {{"Origin", "https://evil.example"}});
  CHECK_FALSE(response.headers.Has("Access-Control-Allow-Origin"));
}

TEST_CASE("CORS allows the configured origin only, and answers preflights") {
  DispatchFixture f;
  f.cors_origin = "https://grafana.example";
  Response allowed = f.Call("GET", "/v1/things/a", {{"Origin", "https://grafana.example"}});
  CHECK(allowed.headers.Get("Access-Control-Allow-Origin") == "https://grafana.example");
  CHECK(allowed.headers.Get("Vary") == "Origin");
  // A browser may read the headers a dashboard needs, the AWS export's paging included.
  CHECK(allowed.headers.Get("Access-Control-Expose-Headers") ==
        "ETag, X-Request-Id, Retry-After, Location, Patchcast-Page, Patchcast-Page-Count, "
        "Patchcast-Action-Count, Patchcast-At");
  Response other = f.Call("GET", "/v1/things/a", {{"Origin", "https://evil.example"}});
  CHECK_FALSE(other.headers.Has("Access-Control-Allow-Origin"));
  Response preflight = f.Call("OPTIONS", "/v1/things", {{"Origin", "https://grafana.example"}});
  CHECK(preflight.status == 204);
  CHECK(preflight.headers.Get("Access-Control-Allow-Methods") == "POST, OPTIONS");
  CHECK(preflight.headers.Get("Access-Control-Allow-Headers")->find("Authorization") !=
        std::string_view::npos);
}

TEST_CASE("OPTIONS on an unknown path is 404") {
  DispatchFixture f;
  CHECK(f.Call("OPTIONS", "/nowhere").status == 404);
}

}  // namespace
}  // namespace patchcast::api
