// POST /v1/simulations as a handler: a storm simulated from the body's demand and capacity, with a
// recommendation; bad bodies named; stored forecasts and plans looked up, and hidden from a key
// limited to other series.
#include "api/simulation_routes.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/support/in_memory_document_repository.h"
#include "tests/support/route_call.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

struct Fixture {
  testing::InMemoryPlanRepository plans;
  testing::InMemoryForecastRepository forecasts;
  Router router;

  Fixture() { AddSimulationRoutes(router, {plans, forecasts}); }

  Response Simulate(std::string body, Principal principal = {"test", Scope::kRead, ""}) {
    return testing::SendToRoute(router,
                                {Method::kPost, "/v1/simulations", {}, std::move(body), principal});
  }
};

// Ten minutes at one-minute steps: 100 fresh logins a second, and 10 times that for 3 minutes.
const std::string kSurgeDemand =
    R"({"step_seconds":60,"values":[100,100,100,1000,1000,1000,100,100,100,100]})";

TEST_CASE("a storm within capacity succeeds without retries") {
  Fixture f;
  const Response response = f.Simulate(R"({"demand":)" + kSurgeDemand +
                                       R"(,"capacity":{"units":20,"unit_capacity":100}})");
  REQUIRE(response.status == 200);
  const json report = json::parse(response.body);
  CHECK(report["fresh_logins"] == 3'700 * 60);  // (7 x 100 + 3 x 1000) a second, 60 s each
  CHECK(report["succeeded_logins"] == report["fresh_logins"]);
  CHECK(report["failed_logins"] == 0);
  CHECK(report["retry_amplification"] == 1);
  CHECK(report["metastable"] == false);
  CHECK(report["recommendation"]["meets_target"] == true);
}

TEST_CASE("a storm beyond capacity retries, and the recommendation tames it") {
  Fixture f;
  const Response response =
      f.Simulate(R"({"demand":)" + kSurgeDemand +
                 R"(,"capacity":{"units":2,"unit_capacity":100},)"
                 R"("client":{"timeout_s":10,"max_retries":10,"backoff_base_s":0,)"
                 R"("backoff_cap_s":0,"jitter":"none"}})");
  REQUIRE(response.status == 200);
  const json report = json::parse(response.body);
  CHECK(report["retry_amplification"].get<double>() > 1);
  CHECK(report["attempts"].get<double>() > report["fresh_logins"].get<double>());
  const json& recommended = report["recommendation"]["outcome"];
  CHECK(recommended["retry_amplification"].get<double>() <
        report["retry_amplification"].get<double>());
}

TEST_CASE("bad demand values are named with their place") {
  Fixture f;
  const std::string capacity = R"(,"capacity":{"units":2,"unit_capacity":100}})";
  const Response text = f.Simulate(R"({"demand":{"values":[1,"x"]})" + capacity);
  CHECK(text.status == 400);
  CHECK(testing::ErrorMessageOf(text) ==
        "field 'demand.values'[1] must be a number between 0 and 1e+09, not "
        "'\"x\"'");
  const Response negative = f.Simulate(R"({"demand":{"values":[1,2,-3]})" + capacity);
  CHECK(negative.status == 400);
  CHECK(testing::ErrorMessageOf(negative).find("'demand.values'[2]") != std::string::npos);
  const Response empty = f.Simulate(R"({"demand":{"values":[]})" + capacity);
  CHECK(empty.status == 400);
  CHECK(testing::ErrorMessageOf(empty) ==
        "field 'demand.values' must be a non-empty array of numbers");
}

TEST_CASE("a demand longer than 7 days is refused") {
  Fixture f;
  std::string values = "0";
  for (int second = 1; second <= 7 * 24 * 3600; ++second) values += ",0";
  const Response response = f.Simulate(R"({"demand":{"step_seconds":1,"values":[)" + values +
                                       R"(]},"capacity":{"units":2,"unit_capacity":100}})");
  CHECK(response.status == 400);
  CHECK(testing::ErrorMessageOf(response) ==
        "field 'demand.values' covers 604801 s, more than the limit of 604800 s (7 days)");
}

TEST_CASE("stored forecasts and plans are looked up, and hidden beyond a key's prefix") {
  Fixture f;
  REQUIRE(f.forecasts.Save(
      {.id = "fc-b", .series_id = "team-b.x", .valid_until = std::nullopt, .document = "{}"}));
  const std::string body =
      R"({"demand":{"forecast_id":"fc-b"},"capacity":{"units":2,"unit_capacity":100}})";
  const Response hidden = f.Simulate(body, {"team-a", Scope::kRead, "team-a."});
  CHECK(hidden.status == 404);
  CHECK(testing::ErrorMessageOf(hidden) == "forecast 'fc-b' does not exist");

  const Response missing_plan =
      f.Simulate(R"({"demand":{"values":[1]},"capacity":{"plan_id":"pl-none"}})");
  CHECK(missing_plan.status == 404);
}

}  // namespace
}  // namespace patchcast::api
