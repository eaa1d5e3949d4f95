#include "api/router.h"

#include <doctest/doctest.h>

namespace patchcast::api {
namespace {

Route MakeRoute(Method method, std::string path) {
  return {method,
          std::move(path),
          Scope::kRead,
          {},
          [](const Request&) -> Result<Response> { return Response{}; },
          ""};
}

Router SeriesRouter() {
  Router router;
  router.Add(MakeRoute(Method::kGet, "/v1/series"));
  router.Add(MakeRoute(Method::kGet, "/v1/series/{id}"));
  router.Add(MakeRoute(Method::kPut, "/v1/series/{id}"));
  router.Add(MakeRoute(Method::kDelete, "/v1/series/{id}"));
  router.Add(MakeRoute(Method::kGet, "/v1/events/{id}"));
  router.Add(MakeRoute(Method::kGet, "/v1/events/next"));
  return router;
}

TEST_CASE("a path parameter binds one segment") {
  Router router = SeriesRouter();
  RouteLookup lookup = router.Find(Method::kGet, "/v1/series/skype-login.eu");
  REQUIRE(lookup.route != nullptr);
  CHECK(lookup.route->path == "/v1/series/{id}");
  CHECK(lookup.params.at("id") == "skype-login.eu");
}

TEST_CASE("a parameter never matches an empty segment or several segments") {
  Router router = SeriesRouter();
  CHECK(router.Find(Method::kGet, "/v1/series/").allowed.empty());
  CHECK(router.Find(Method::kGet, "/v1/series/a/b").allowed.empty());
}

TEST_CASE("percent-escapes are decoded per segment, after the path is split") {
  Router router = SeriesRouter();
  RouteLookup escaped = router.Find(Method::kGet, "/v1/series/skype%2Dlogin");
  REQUIRE(escaped.route != nullptr);
  CHECK(escaped.params.at("id") == "skype-login");
  CHECK(router.Find(Method::kGet, "/v1/%73eries").route != nullptr);  // %73 is 's'
  // An escaped '/' is a character of its segment, never a separator (issue 13, item 7): this is
  // one series id, not a path of its own.
  RouteLookup slash = router.Find(Method::kGet, "/v1/events%2Fnext");
  CHECK(slash.allowed.empty());
  RouteLookup in_id = router.Find(Method::kGet, "/v1/series/a%2Fb");
  REQUIRE(in_id.route != nullptr);
  CHECK(in_id.route->path == "/v1/series/{id}");
  CHECK(in_id.params.at("id") == "a/b");
}

TEST_CASE("a malformed percent-escape matches no route") {
  Router router = SeriesRouter();
  for (const char* path : {"/v1/series/a%2", "/v1/series/a%", "/v1/series/a%zz", "/v1/ser%ies"}) {
    CAPTURE(path);
    CHECK(router.Find(Method::kGet, path).allowed.empty());
  }
}

TEST_CASE("an unknown path has no route and no allowed methods") {
  RouteLookup lookup = SeriesRouter().Find(Method::kGet, "/v2/nothing");
  CHECK(lookup.route == nullptr);
  CHECK(lookup.allowed.empty());
}

TEST_CASE("a known path with another method lists the methods it allows") {
  RouteLookup lookup = SeriesRouter().Find(Method::kPost, "/v1/series/x");
  CHECK(lookup.route == nullptr);
  CHECK(lookup.allowed ==
        std::vector<Method>{Method::kGet, Method::kHead, Method::kPut, Method::kDelete});
}

TEST_CASE("HEAD is answered by the GET route") {
  Router router = SeriesRouter();
  RouteLookup lookup = router.Find(Method::kHead, "/v1/series");
  REQUIRE(lookup.route != nullptr);
  CHECK(lookup.route->method == Method::kGet);
}

TEST_CASE("a literal segment wins over a parameter whatever the registration order") {
  Router router = SeriesRouter();
  RouteLookup lookup = router.Find(Method::kGet, "/v1/events/next");
  REQUIRE(lookup.route != nullptr);
  CHECK(lookup.route->path == "/v1/events/next");
  CHECK(lookup.params.empty());
  CHECK(router.Find(Method::kGet, "/v1/events/e1").route->path == "/v1/events/{id}");
}

TEST_CASE("adding the same method and template twice is a programming error") {
  Router router = SeriesRouter();
  CHECK_THROWS_AS(router.Add(MakeRoute(Method::kGet, "/v1/series")), std::logic_error);
}

}  // namespace
}  // namespace patchcast::api
