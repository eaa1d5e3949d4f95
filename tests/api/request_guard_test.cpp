#include "api/request_guard.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/support/fake_services.h"

namespace patchcast::api {
namespace {

Handler Ok() {
  return [](const Request&) -> Result<Response> { return Response{}; };
}

struct GuardFixture {
  Router router;
  testing::FakeAuthenticator authenticator;
  GuardOptions options{1000};

  GuardFixture() {
    router.Add({Method::kGet, "/healthz", Scope::kPublic, {}, Ok(), ""});
    router.Add({Method::kGet, "/v1/series/{id}", Scope::kRead, {}, Ok(), ""});
    router.Add({Method::kPost,
                "/v1/series/{id}/points",
                Scope::kWrite,
                {"application/json", "text/csv"},
                Ok(),
                ""});
    router.Add({Method::kDelete, "/v1/series/{id}", Scope::kAdmin, {}, Ok(), ""});
    authenticator.keys["reader-token"] = {"dash", Scope::kRead, ""};
    authenticator.keys["writer-token"] = {"ci", Scope::kWrite, ""};
  }

  Screening Screen(std::string method, std::string path, HeaderMap headers = {}) {
    return ScreenRequest(
        {.method = std::move(method), .path = std::move(path), .headers = std::move(headers)},
        "req-7", router, authenticator, options);
  }

  Screening ScreenVersion(std::string version, std::string path, HeaderMap headers) {
    return ScreenRequest({.method = "GET",
                          .path = std::move(path),
                          .headers = std::move(headers),
                          .version = std::move(version)},
                         "req-7", router, authenticator, options);
  }
};

int StatusOf(const Screening& screening) {
  return screening.rejection ? screening.rejection->status : 0;
}

TEST_CASE("an unknown path is 404 and a wrong method 405 with Allow") {
  GuardFixture f;
  CHECK(StatusOf(f.Screen("GET", "/nope")) == 404);
  Screening wrong = f.Screen("PATCH", "/v1/series/x", {{"Authorization", "Bearer writer-token"}});
  REQUIRE(StatusOf(wrong) == 405);
  CHECK(wrong.rejection->headers.Get("Allow") == "GET, HEAD, DELETE, OPTIONS");
  CHECK(StatusOf(f.Screen("TRACE", "/v1/series/x")) == 405);
}

TEST_CASE("a malformed head is 400 before routing or credentials, and closes the connection") {
  GuardFixture f;
  // "Transfer-Encoding : chunked" as cpp-httplib hands it over: a name with a trailing space.
  Screening smuggled = f.Screen("GET", "/nope", {{"Transfer-Encoding ", "chunked"}});
  REQUIRE(StatusOf(smuggled) == 400);
  CHECK(smuggled.rejection->close_connection);
  CHECK(nlohmann::json::parse(smuggled.rejection->body)["error"]["message"] ==
        "header name 'Transfer-Encoding ' is not an RFC 9110 token (whitespace before the colon, "
        "or an obs-fold line)");
  Screening http11 = f.ScreenVersion("HTTP/1.1", "/healthz", {});
  REQUIRE(StatusOf(http11) == 400);
  CHECK(http11.rejection->close_connection);
  CHECK_FALSE(f.ScreenVersion("HTTP/1.1", "/healthz", {{"Host", "x"}}).rejection);
  // The series id "a/b" is one segment: routed to the series, not to its points.
  Screening escaped =
      f.Screen("POST", "/v1/series/a%2Fpoints", {{"Authorization", "Bearer writer-token"}});
  CHECK(StatusOf(escaped) == 405);
}

TEST_CASE("open routes need no key") {
  GuardFixture f;
  Screening screening = f.Screen("GET", "/healthz");
  CHECK_FALSE(screening.rejection);
  CHECK_FALSE(screening.principal);
}

TEST_CASE("credentials decide 401, 403 or admission by scope") {
  GuardFixture f;
  SUBCASE("no Authorization header is 401 with a challenge") {
    Screening s = f.Screen("GET", "/v1/series/x");
    REQUIRE(StatusOf(s) == 401);
    CHECK(s.rejection->headers.Get("WWW-Authenticate") == "Bearer realm=\"patchcast\"");
  }
  SUBCASE("an unknown token is 401 invalid_token") {
    Screening s = f.Screen("GET", "/v1/series/x", {{"Authorization", "Bearer nope"}});
    REQUIRE(StatusOf(s) == 401);
    CHECK(s.rejection->headers.Get("WWW-Authenticate")->find("invalid_token") !=
          std::string_view::npos);
  }
  SUBCASE("a read key may read") {
    Screening s = f.Screen("GET", "/v1/series/x", {{"Authorization", "Bearer reader-token"}});
    CHECK_FALSE(s.rejection);
    REQUIRE(s.principal);
    CHECK(s.principal->name == "dash");
    CHECK(s.params.at("id") == "x");
  }
  SUBCASE("a read key may not write: 403 naming both scopes") {
    Screening s = f.Screen("POST", "/v1/series/x/points",
                           {{"Authorization", "Bearer reader-token"}, {"Content-Length", "0"}});
    REQUIRE(StatusOf(s) == 403);
    auto body = nlohmann::json::parse(s.rejection->body);
    CHECK(body["error"]["message"] == "key 'dash' has scope 'read'; this route needs 'write'");
  }
  SUBCASE("a write key may not delete a series, which needs admin") {
    CHECK(StatusOf(f.Screen("DELETE", "/v1/series/x",
                            {{"Authorization", "Bearer writer-token"}})) == 403);
  }
  SUBCASE("the scheme is case-insensitive") {
    CHECK_FALSE(
        f.Screen("GET", "/v1/series/x", {{"Authorization", "bearer reader-token"}}).rejection);
  }
}

TEST_CASE("without keys every caller is an anonymous admin") {
  GuardFixture f;
  f.authenticator.keys.clear();
  Screening s = f.Screen("DELETE", "/v1/series/x");
  CHECK_FALSE(s.rejection);
  CHECK(s.principal->scope == Scope::kAdmin);
}

TEST_CASE("bearer tokens are checked after percent-decoding") {
  CHECK(ParseBearerToken("Bearer abc.DEF-_~+/==").value() == "abc.DEF-_~+/==");
  CHECK_FALSE(ParseBearerToken("Bearer abc\r\nX-Injected: 1"));
  CHECK_FALSE(ParseBearerToken("Bearer ab cd"));
  CHECK_FALSE(ParseBearerToken("Basic dXNlcjpwYXNz"));
  CHECK_FALSE(ParseBearerToken("Bearer "));
  CHECK_FALSE(ParseBearerToken("Bearer " + std::string(600, 'a')));
}

TEST_CASE("body framing and media type are checked before any body is read") {
  GuardFixture f;
  auto writer = [](std::initializer_list<std::pair<std::string, std::string>> extra) {
    HeaderMap headers{{"Authorization", "Bearer writer-token"}};
    for (const auto& [name, value] : extra) headers.Add(name, value);
    return headers;
  };
  const std::string path = "/v1/series/x/points";
  CHECK(StatusOf(f.Screen("POST", path, writer({{"Transfer-Encoding", "chunked"}}))) == 411);
  CHECK(StatusOf(f.Screen("POST", path,
                          writer({{"Content-Length", "10"},
                                  {"Content-Encoding", "gzip"},
                                  {"Content-Type", "text/csv"}}))) == 415);
  CHECK(StatusOf(f.Screen("POST", path,
                          writer({{"Content-Length", "10"},
                                  {"Content-Length", "10"},
                                  {"Content-Type", "text/csv"}}))) == 400);
  CHECK(StatusOf(f.Screen("POST", path,
                          writer({{"Content-Length", "1x"}, {"Content-Type", "text/csv"}}))) ==
        400);
  CHECK(StatusOf(f.Screen("POST", path,
                          writer({{"Content-Length", "-1"}, {"Content-Type", "text/csv"}}))) ==
        400);
  CHECK(StatusOf(f.Screen("POST", path,
                          writer({{"Content-Length", "1001"}, {"Content-Type", "text/csv"}}))) ==
        413);
  CHECK(StatusOf(f.Screen("POST", path,
                          writer({{"Content-Length", "99999999999999999999999"},
                                  {"Content-Type", "text/csv"}}))) == 400);
  CHECK(StatusOf(f.Screen("POST", path,
                          writer({{"Content-Length", "10"},
                                  {"Content-Type", "multipart/form-data; b=x"}}))) == 415);
  CHECK(StatusOf(f.Screen("POST", path, writer({{"Content-Length", "10"}}))) == 415);
  CHECK(StatusOf(f.Screen("GET", "/v1/series/x", writer({{"Range", "bytes=0-1"}}))) == 416);
  CHECK(StatusOf(f.Screen("GET", "/v1/series/x", writer({{"Content-Length", "5"}}))) == 415);
  CHECK_FALSE(
      f.Screen("POST", path,
               writer({{"Content-Length", "1000"}, {"Content-Type", "Text/CSV; charset=utf-8"}}))
          .rejection);
  CHECK_FALSE(f.Screen("POST", path, writer({})).rejection);
}

TEST_CASE("multipart and compressed bodies get 415, after the 401 of a missing key") {
  GuardFixture f;
  const std::string path = "/v1/series/x/points";
  for (const std::string multipart : {"multipart/form-data; boundary=x", "Multipart/Mixed"}) {
    CAPTURE(multipart);
    Screening anonymous =
        f.Screen("POST", path, {{"Content-Length", "10"}, {"Content-Type", multipart}});
    CHECK(StatusOf(anonymous) == 401);
    // Even without a body: cpp-httplib would parse the missing parts and fail.
    Screening empty = f.Screen(
        "POST", path, {{"Authorization", "Bearer writer-token"}, {"Content-Type", multipart}});
    REQUIRE(StatusOf(empty) == 415);
    CHECK(nlohmann::json::parse(empty.rejection->body)["error"]["message"].get<std::string>().find(
              "multipart") != std::string::npos);
  }
  CHECK(StatusOf(f.Screen("POST", path,
                          {{"Content-Length", "10"},
                           {"Content-Encoding", "gzip"},
                           {"Content-Type", "text/csv"}})) == 401);
  CHECK(StatusOf(f.Screen(
            "POST", path,
            {{"Authorization", "Bearer writer-token"}, {"Content-Encoding", "deflate"}})) == 415);
}

TEST_CASE("a rejected request that announced a body closes its connection") {
  GuardFixture f;
  Screening with_body = f.Screen("POST", "/v1/series/x/points",
                                 {{"Content-Length", "10"}, {"Content-Type", "text/csv"}});
  REQUIRE(StatusOf(with_body) == 401);
  CHECK(with_body.rejection->close_connection);
  Screening chunked = f.Screen("GET", "/nope", {{"Transfer-Encoding", "chunked"}});
  CHECK(chunked.rejection->close_connection);
  CHECK_FALSE(f.Screen("GET", "/nope").rejection->close_connection);
}

TEST_CASE("error bodies carry the request id") {
  GuardFixture f;
  auto body = nlohmann::json::parse(f.Screen("GET", "/nope").rejection->body);
  CHECK(body["error"]["code"] == "not_found");
  CHECK(body["error"]["request_id"] == "req-7");
}

}  // namespace
}  // namespace patchcast::api
