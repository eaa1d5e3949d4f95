// PlanMaker, the part of POST /v1/series/{id}/plan that `patchcast plan` shares: over in-memory
// stores and a fixed clock, on a synthetic hourly series.
#include "api/plan_maker.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "api/plan_document.h"
#include "api/point_text.h"
#include "api/timestamp_format.h"
#include "tests/support/in_memory_planning.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

const std::chrono::sys_seconds kEnd = *ParseRfc3339Seconds("2026-11-14T00:00:00Z");

TEST_CASE(
    "a plan is made from a fresh forecast with the stored capacity model, and both are "
    "stored") {
  testing::InMemoryPlanning f;
  f.AddHourlySeries("login", 28, kEnd);
  f.StoreCapacityModel("login", 0.5);
  auto made = f.maker->Make("login", json::object());
  REQUIRE_MESSAGE(made, made.error().message);
  CHECK(made->id == "plan-1");
  CHECK(made->series_id == "login");
  const auto now = std::chrono::floor<std::chrono::seconds>(f.clock.Now());
  CHECK(made->generated_at == now);
  CHECK(made->valid_until == kEnd + std::chrono::hours{24});

  const json document = PlanDocument(*made);
  CHECK(document["id"] == "plan-1");
  CHECK(document["forecast_id"] == "fc-1");
  CHECK(document["as_of"] == "2026-11-14T00:00:00Z");
  CHECK(document["valid_until"] == "2026-11-15T00:00:00Z");
  CHECK(document["generated_at"] == FormatRfc3339(now));
  CHECK(document["unit_capacity"] == 0.5);
  CHECK(document["buckets"].size() == 168);  // the default horizon, at the series' hourly step
  // 1 to 3 logins a second, 20 % headroom, 0.5 a unit: never fewer than 2 units, at most 8.
  for (const json& bucket : document["buckets"]) {
    CHECK(bucket["units"] >= 2);
    CHECK(bucket["units"] <= 8);
  }

  auto latest = f.plans.Latest("login");
  REQUIRE(latest);
  CHECK(latest->id == "plan-1");
  CHECK(latest->document == document.dump());
  auto forecast = f.forecasts.Get("fc-1");
  REQUIRE(forecast);
  CHECK(forecast->series_id == "login");
  CHECK(json::parse(forecast->document)["as_of"] == "2026-11-14T00:00:00Z");
}

TEST_CASE("the request's horizon, as_of and capacity fields win over the stored model") {
  testing::InMemoryPlanning f;
  f.AddHourlySeries("login", 28, kEnd);
  f.StoreCapacityModel("login", 0.5);
  auto made = f.maker->Make(
      "login", {{"horizon_hours", 12}, {"as_of", "2026-11-13T00:00:00Z"}, {"unit_capacity", 2}});
  REQUIRE_MESSAGE(made, made.error().message);
  const json document = PlanDocument(*made);
  CHECK(document["as_of"] == "2026-11-13T00:00:00Z");
  CHECK(document["buckets"].size() == 12);
  CHECK(document["unit_capacity"] == 2.0);
  // A horizon shorter than a day ends the plan's validity.
  CHECK(document["valid_until"] == "2026-11-13T12:00:00Z");
}

TEST_CASE("a plan that cannot be made stores nothing, and says why") {
  testing::InMemoryPlanning f;
  f.AddHourlySeries("login", 28, kEnd);
  f.AddHourlySeries("young", 2, kEnd);
  f.StoreCapacityModel("young", 0.5);

  SUBCASE("a series without a capacity model, and none in the request") {
    auto made = f.maker->Make("login", json::object());
    REQUIRE_FALSE(made);
    CHECK(made.error().code == ErrorCode::kInvalidArgument);
    CHECK(made.error().message ==
          "field 'unit_capacity' is required (or store the series' capacity model with PUT "
          "/v1/series/login/capacity-model)");
  }
  SUBCASE("a series with under a week of history") {
    auto made = f.maker->Make("young", json::object());
    REQUIRE_FALSE(made);
    CHECK(made.error().code == ErrorCode::kUnprocessable);
    CHECK(made.error().message.find("at least 7 days are needed") != std::string::npos);
  }
  SUBCASE("a series that does not exist") {
    auto made = f.maker->Make("absent", {{"unit_capacity", 1}});
    REQUIRE_FALSE(made);
    CHECK(made.error().code == ErrorCode::kNotFound);
    CHECK(made.error().message == "series 'absent' does not exist");
  }
  SUBCASE("a bad request") {
    auto made = f.maker->Make("login", {{"unit_capacity", 1}, {"horizon_hours", 800}});
    REQUIRE_FALSE(made);
    CHECK(made.error().code == ErrorCode::kInvalidArgument);
    CHECK(made.error().message.find("horizon_hours") != std::string::npos);
  }
  for (const char* series : {"login", "young"}) {
    CHECK(f.forecasts.ForSeries(series)->empty());
    CHECK(f.plans.ForSeries(series)->empty());
  }
}

}  // namespace
}  // namespace patchcast::api
