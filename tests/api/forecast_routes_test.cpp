// The forecast routes as handlers, over in-memory stores and a fixed clock: a forecast is made,
// kept and served again by id and as the series' latest, as JSON or CSV; ids beyond a key's
// prefix are not found; bad queries are named.
#include "api/forecast_routes.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "api/point_text.h"
#include "tests/support/in_memory_planning.h"
#include "tests/support/route_call.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

const std::chrono::sys_seconds kEnd = *ParseRfc3339Seconds("2026-11-14T00:00:00Z");

struct Fixture {
  testing::InMemoryPlanning planning;
  Router router;

  Fixture() {
    planning.AddHourlySeries("login", 28, kEnd);
    AddForecastRoutes(router,
                      {*planning.service, *planning.planning, planning.forecasts, planning.mint});
  }

  Response Send(Method method, std::string path, std::string body = "",
                std::multimap<std::string, std::string> query = {},
                Principal principal = {"test", Scope::kRead, ""}) {
    return testing::SendToRoute(
        router, {method, std::move(path), std::move(query), std::move(body), principal});
  }
};

TEST_CASE("a forecast is made, kept, and served again by id and as the latest") {
  Fixture f;
  const Response made =
      f.Send(Method::kPost, "/v1/series/login/forecast", R"({"horizon_hours":24})");
  REQUIRE(made.status == 200);
  CHECK(made.headers.Get("Location") == "/v1/forecasts/fc-1");
  const json document = json::parse(made.body);
  CHECK(document["id"] == "fc-1");
  CHECK(document["series"] == "login");
  CHECK(document["points"].size() == 24);
  CHECK(document["hypothetical"] == false);

  const Response by_id = f.Send(Method::kGet, "/v1/forecasts/fc-1");
  REQUIRE(by_id.status == 200);
  CHECK(by_id.body == made.body);
  const Response latest = f.Send(Method::kGet, "/v1/series/login/forecasts/latest");
  REQUIRE(latest.status == 200);
  CHECK(latest.body == made.body);
}

TEST_CASE("a kept forecast is served as CSV, a row per point") {
  Fixture f;
  REQUIRE(f.Send(Method::kPost, "/v1/series/login/forecast", R"({"horizon_hours":6})").status ==
          200);
  const Response csv = f.Send(Method::kGet, "/v1/forecasts/fc-1", "", {{"format", "csv"}});
  REQUIRE(csv.status == 200);
  CHECK(csv.content_type == "text/csv; charset=utf-8");
  CHECK(csv.body.starts_with("ts,baseline,p50,p90,p99\n2026-11-14T00:00:00Z,"));
  CHECK(std::count(csv.body.begin(), csv.body.end(), '\n') == 7);
  const Response xml = f.Send(Method::kGet, "/v1/forecasts/fc-1", "", {{"format", "xml"}});
  CHECK(xml.status == 400);
  CHECK(testing::ErrorMessageOf(xml).find("'format' must be json or csv") != std::string::npos);
}

TEST_CASE("a series without a forecast, or out of a key's sight, has none to serve") {
  Fixture f;
  const Response none = f.Send(Method::kGet, "/v1/series/login/forecasts/latest");
  CHECK(none.status == 404);
  CHECK(testing::ErrorMessageOf(none) == "no forecast has been made for series 'login' yet");
  REQUIRE(f.Send(Method::kPost, "/v1/series/login/forecast", "{}").status == 200);
  const Response hidden =
      f.Send(Method::kGet, "/v1/forecasts/fc-1", "", {}, {"team-a", Scope::kRead, "team-a."});
  CHECK(hidden.status == 404);
  CHECK(testing::ErrorMessageOf(hidden) == "forecast 'fc-1' does not exist");
}

TEST_CASE("bad forecast requests are named and keep nothing") {
  Fixture f;
  const Response horizon =
      f.Send(Method::kPost, "/v1/series/login/forecast", R"({"horizon_hours":0})");
  CHECK(horizon.status == 400);
  CHECK(testing::ErrorMessageOf(horizon).find("horizon_hours") != std::string::npos);
  const Response query =
      f.Send(Method::kPost, "/v1/series/login/forecast", "{}", {{"colour", "blue"}});
  CHECK(query.status == 400);
  CHECK(testing::ErrorMessageOf(query).find("colour") != std::string::npos);
  const Response unknown = f.Send(Method::kPost, "/v1/series/absent/forecast", "{}");
  CHECK(unknown.status == 404);
  CHECK(f.planning.forecasts.ForSeries("login")->empty());
}

}  // namespace
}  // namespace patchcast::api
