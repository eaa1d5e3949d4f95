// The response cache on its own (stamps, eviction, bounds) and through the dispatcher: cacheable
// GETs answered from it until the data version moves or a write is handled, per principal, with
// their ETag and 304, and per second for routes that read the clock.
#include "api/response_cache.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "api/dispatcher.h"
#include "api/series_routes.h"
#include "tests/support/dispatch_call.h"
#include "tests/support/fake_services.h"
#include "tests/support/in_memory_series_repository.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

std::shared_ptr<const CachedResponse> Entry(std::uint64_t version, std::string body,
                                            std::int64_t second = 0) {
  Response response;
  response.body = std::move(body);
  return std::make_shared<const CachedResponse>(
      CachedResponse{{version, second}, std::move(response), "\"etag\""});
}

TEST_CASE("an entry is found only with the stamp it was kept with") {
  ResponseCache cache;
  cache.Keep("k", Entry(3, "body", 100));
  REQUIRE(cache.Find("k", {3, 100}) != nullptr);
  CHECK(cache.Find("k", {3, 100})->response.body == "body");
  CHECK(cache.Find("k", {4, 100}) == nullptr);
  CHECK(cache.Find("k", {3, 101}) == nullptr);
  CHECK(cache.Find("other", {3, 100}) == nullptr);
  const ResponseCacheStats stats = cache.Stats();
  CHECK(stats.hits == 2);
  CHECK(stats.misses == 3);
  CHECK(stats.entries == 1);
}

TEST_CASE("keeping a newer data version drops the older entries, and an older one is refused") {
  ResponseCache cache;
  cache.Keep("a", Entry(1, "a1"));
  cache.Keep("b", Entry(1, "b1"));
  cache.Keep("a", Entry(2, "a2"));
  CHECK(cache.Stats().entries == 1);
  CHECK(cache.Find("b", {1, 0}) == nullptr);
  // Made before the change but kept after it: stale, so not kept.
  cache.Keep("b", Entry(1, "b1"));
  CHECK(cache.Find("b", {1, 0}) == nullptr);
  CHECK(cache.Find("a", {2, 0})->response.body == "a2");
}

TEST_CASE("memory stays within the bound: the oldest entries go first, a huge one never comes") {
  const std::size_t entry_bytes = CachedBytes("k0", *Entry(1, std::string(1000, 'x')));
  ResponseCache cache(entry_bytes * 4);
  for (int i = 0; i < 6; ++i) {
    cache.Keep("k" + std::to_string(i), Entry(1, std::string(1000, 'x')));
  }
  CHECK(cache.Stats().entries == 4);
  CHECK(cache.Stats().bytes <= entry_bytes * 4);
  CHECK(cache.Find("k0", {1, 0}) == nullptr);
  CHECK(cache.Find("k1", {1, 0}) == nullptr);
  CHECK(cache.Find("k5", {1, 0}) != nullptr);
  cache.Keep("huge", Entry(1, std::string(entry_bytes * 2, 'x')));
  CHECK(cache.Find("huge", {1, 0}) == nullptr);
  CHECK(cache.Find("k5", {1, 0}) != nullptr);
}

// The series routes over an in-memory repository behind a dispatcher with a cache, a data version
// the test moves and a fixed clock; two keys, one of them limited to "team-a.".
struct CachedDispatch {
  testing::InMemorySeriesRepository series;
  testing::FixedClock clock;
  testing::FakeAuthenticator authenticator;
  testing::ManualDataVersion version;
  ResponseCache cache;
  Router router;
  int per_second_calls = 0;

  CachedDispatch() {
    authenticator.keys["ops-token"] = Principal{"ops", Scope::kAdmin, ""};
    authenticator.keys["team-a-token"] = Principal{"team-a", Scope::kRead, "team-a."};
    AddSeriesRoutes(router, series, clock, {});
    router.Add({Method::kGet,
                "/v1/tick",
                Scope::kRead,
                {},
                [this](const Request&) -> Result<Response> {
                  Response response;
                  response.body = std::to_string(++per_second_calls);
                  return response;
                },
                "",
                /*heavy=*/false,
                Caching::kPerSecond});
  }

  Response Call(const std::string& method, const std::string& target, const std::string& token,
                HeaderMap headers = {}, std::string body = "") {
    const Dispatcher dispatcher(router, authenticator, {{}, "", nullptr, &cache, &version, &clock});
    headers.Add("Authorization", "Bearer " + token);
    if (!body.empty()) headers.Add("Content-Type", "application/json");
    headers.Add("Content-Length", std::to_string(body.size()));
    testing::DispatchCall call{.method = method,
                               .path = target.substr(0, target.find('?')),
                               .headers = std::move(headers),
                               .body = std::move(body)};
    if (call.path.size() < target.size()) {  // one "name=value" is all these tests send
      const std::string query = target.substr(call.path.size() + 1);
      call.query.emplace(query.substr(0, query.find('=')), query.substr(query.find('=') + 1));
    }
    return testing::Dispatch(dispatcher, std::move(call));
  }

  std::vector<std::string> Listed(const std::string& token) {
    const Response response = Call("GET", "/v1/series", token);
    REQUIRE(response.status == 200);
    std::vector<std::string> ids;
    const json body = json::parse(response.BodyText());
    for (const json& summary : body["series"]) ids.push_back(summary["id"]);
    return ids;
  }

  void Store(const std::string& id) {
    REQUIRE(series.PutSeries({id, std::chrono::seconds{3600}, "logins", "", {}}));
  }
};

TEST_CASE("a cacheable GET is answered from the cache until the data version moves") {
  CachedDispatch f;
  f.Store("team-a.web");
  CHECK(f.Listed("ops-token") == std::vector<std::string>{"team-a.web"});
  // Written behind the dispatcher's back, and the version does not say so: the kept answer.
  f.Store("team-b.web");
  CHECK(f.Listed("ops-token") == std::vector<std::string>{"team-a.web"});
  CHECK(f.cache.Stats().hits == 1);
  ++f.version.value;
  CHECK(f.Listed("ops-token") == std::vector<std::string>{"team-a.web", "team-b.web"});
}

TEST_CASE("a write handled by the dispatcher is seen by the next read, whatever the version") {
  CachedDispatch f;
  CHECK(f.Listed("ops-token").empty());
  const Response put =
      f.Call("PUT", "/v1/series/team-a.api", "ops-token", {}, R"({"step_seconds":3600})");
  REQUIRE(put.status == 201);
  CHECK(f.Listed("ops-token") == std::vector<std::string>{"team-a.api"});
  // A failed write counts as well: a handler may have changed state before failing.
  const Response bad = f.Call("PUT", "/v1/series/team-a.api", "ops-token", {}, R"({"step":1})");
  CHECK(bad.status == 400);
  f.Store("team-a.db");
  CHECK(f.Listed("ops-token") == std::vector<std::string>{"team-a.api", "team-a.db"});
}

TEST_CASE("a key limited to a prefix never gets another key's cached body") {
  CachedDispatch f;
  f.Store("team-a.web");
  f.Store("team-b.web");
  SUBCASE("the wider key first") {
    CHECK(f.Listed("ops-token").size() == 2);
    CHECK(f.Listed("team-a-token") == std::vector<std::string>{"team-a.web"});
  }
  SUBCASE("the limited key first") {
    CHECK(f.Listed("team-a-token") == std::vector<std::string>{"team-a.web"});
    CHECK(f.Listed("ops-token").size() == 2);
  }
  SUBCASE("a write to another team's series leaves the limited key's view as it should be") {
    CHECK(f.Listed("team-a-token") == std::vector<std::string>{"team-a.web"});
    REQUIRE(f.Call("PUT", "/v1/series/team-b.api", "ops-token", {}, "{}").status == 201);
    CHECK(f.Listed("team-a-token") == std::vector<std::string>{"team-a.web"});
    CHECK(f.Listed("ops-token").size() == 3);
    // One of its own is seen at once.
    REQUIRE(f.Call("PUT", "/v1/series/team-a.api", "ops-token", {}, "{}").status == 201);
    CHECK(f.Listed("team-a-token") == std::vector<std::string>{"team-a.api", "team-a.web"});
  }
  SUBCASE("a series out of the key's reach stays 404 after another key has read it") {
    CHECK(f.Call("GET", "/v1/series/team-b.web", "ops-token").status == 200);
    CHECK(f.Call("GET", "/v1/series/team-b.web", "team-a-token").status == 404);
  }
}

TEST_CASE("a cached answer carries the ETag of its body and answers If-None-Match with 304") {
  CachedDispatch f;
  f.Store("team-a.web");
  const Response first = f.Call("GET", "/v1/series/team-a.web", "ops-token");
  REQUIRE(first.status == 200);
  const std::string etag(*first.headers.Get("ETag"));
  const Response again = f.Call("GET", "/v1/series/team-a.web", "ops-token");
  CHECK(again.BodyText() == first.BodyText());
  CHECK(*again.headers.Get("ETag") == etag);
  const Response revalidated =
      f.Call("GET", "/v1/series/team-a.web", "ops-token", {{"If-None-Match", etag}});
  CHECK(revalidated.status == 304);
  CHECK(revalidated.BodyText().empty());
  CHECK(*revalidated.headers.Get("ETag") == etag);
  CHECK(f.cache.Stats().hits == 2);
}

TEST_CASE("errors are never kept") {
  CachedDispatch f;
  CHECK(f.Call("GET", "/v1/series/team-a.web", "ops-token").status == 404);
  f.Store("team-a.web");
  CHECK(f.Call("GET", "/v1/series/team-a.web", "ops-token").status == 200);
  CHECK(f.cache.Stats().hits == 0);
}

TEST_CASE("a route that reads the clock is kept for the second it was made in") {
  CachedDispatch f;
  CHECK(f.Call("GET", "/v1/tick", "ops-token").BodyText() == "1");
  f.clock.now += std::chrono::milliseconds(200);
  CHECK(f.Call("GET", "/v1/tick", "ops-token").BodyText() == "1");
  f.clock.now += std::chrono::seconds(1);
  CHECK(f.Call("GET", "/v1/tick", "ops-token").BodyText() == "2");
  // Query parameters are part of the key.
  CHECK(f.Call("GET", "/v1/tick?x=1", "ops-token").status == 200);
  CHECK(f.per_second_calls == 3);
}

}  // namespace
}  // namespace patchcast::api
