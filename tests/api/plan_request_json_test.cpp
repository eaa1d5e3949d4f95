// The plan request body: every capacity-model field mapped over the series' stored model, and
// refusals that name the offending field.
#include "api/plan_request_json.h"

#include <doctest/doctest.h>

#include <string>

#include "api/point_text.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

std::chrono::sys_seconds At(const char* text) { return *ParseRfc3339Seconds(text); }

std::string ErrorOf(const json& body) {
  auto parsed = ParsePlanRequest("demo-login", body);
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().code == ErrorCode::kInvalidArgument);
  return parsed.error().message;
}

TEST_CASE("a plan request maps every capacity-model field and adds the plan quantile") {
  auto parsed = ParsePlanRequest("demo-login", json::parse(R"({
      "horizon_hours": 48, "as_of": "2026-12-03T16:00:00Z", "unit_capacity": 25,
      "headroom": 0.3, "quantile": 0.95, "min_units": 2, "max_units": 40,
      "max_capacity_behavior": "raise", "raise_buffer": 0.2, "lead_time_minutes": 20,
      "max_step_units": 5, "max_units_per_minute": 1.5, "hold_after_event_minutes": 120,
      "scale_in_step_fraction": 0.5, "min_action_interval_minutes": 10,
      "unit_cost_per_hour": 0.4, "mode": "forecast_only"})"));
  REQUIRE(parsed);
  const forecasting::CapacityModel& model = parsed->model;
  CHECK(model.unit_capacity == 25);
  CHECK(model.headroom == 0.3);
  CHECK(model.quantile == 0.95);
  CHECK(model.min_units == 2);
  CHECK(model.max_units == 40);
  CHECK(model.max_capacity_behavior == forecasting::MaxCapacityBehavior::kRaise);
  CHECK(model.raise_buffer == 0.2);
  CHECK(model.lead_time == std::chrono::minutes{20});
  CHECK(model.max_step_units == 5);
  CHECK(model.max_units_per_minute == 1.5);
  CHECK(model.hold_after_event == std::chrono::minutes{120});
  CHECK(model.scale_in_step_fraction == 0.5);
  CHECK(model.min_action_interval == std::chrono::minutes{10});
  CHECK(model.unit_cost_per_hour == 0.4);
  CHECK(model.mode == forecasting::PlanMode::kForecastOnly);
  CHECK(parsed->forecast.horizon == std::chrono::hours{48});
  CHECK(parsed->forecast.as_of == At("2026-12-03T16:00:00Z"));
  CHECK(parsed->forecast.quantiles == std::vector<double>{0.5, 0.9, 0.95, 0.99});
}

TEST_CASE("a plan request with only unit_capacity takes CapacityModel's defaults") {
  auto parsed = ParsePlanRequest("demo-login", json{{"unit_capacity", 10}});
  REQUIRE(parsed);
  const forecasting::CapacityModel defaults;
  CHECK(parsed->model.quantile == defaults.quantile);
  CHECK(parsed->model.max_units == defaults.max_units);
  CHECK(parsed->model.lead_time == defaults.lead_time);
  CHECK(parsed->forecast.horizon == std::chrono::hours{168});
  CHECK(parsed->forecast.quantiles == std::vector<double>{0.5, 0.9, 0.99});
}

TEST_CASE("a plan request starts from the series' stored model and overrides it field by field") {
  forecasting::CapacityModel stored;
  stored.unit_capacity = 40;
  stored.max_units = 12;
  stored.lead_time = std::chrono::minutes{25};
  auto parsed = ParsePlanRequest("demo-login", json{{"max_units", 20}}, stored);
  REQUIRE(parsed);
  CHECK(parsed->model.unit_capacity == 40);
  CHECK(parsed->model.max_units == 20);
  CHECK(parsed->model.lead_time == std::chrono::minutes{25});
}

TEST_CASE("without a stored model, unit_capacity is required and the error says how to store one") {
  const std::string message = ErrorOf(json::object());
  CHECK(message.find("field 'unit_capacity' is required") != std::string::npos);
  CHECK(message.find("/v1/series/demo-login/capacity-model") != std::string::npos);
}

TEST_CASE("bad plan requests are refused naming the field") {
  SUBCASE("missing unit_capacity") {
    CHECK(ErrorOf(json::object()).find("unit_capacity") != std::string::npos);
  }
  SUBCASE("zero unit_capacity") {
    CHECK(ErrorOf({{"unit_capacity", 0}}).find("unit_capacity") != std::string::npos);
  }
  SUBCASE("negative unit_capacity") {
    CHECK(ErrorOf({{"unit_capacity", -3}}).find("unit_capacity") != std::string::npos);
  }
  SUBCASE("min over max") {
    const std::string message = ErrorOf({{"unit_capacity", 1}, {"min_units", 5}, {"max_units", 3}});
    CHECK(message.find("min_units") != std::string::npos);
  }
  SUBCASE("quantile outside (0, 1)") {
    CHECK(ErrorOf({{"unit_capacity", 1}, {"quantile", 1.5}}).find("quantile") != std::string::npos);
  }
  SUBCASE("lead time over the horizon") {
    const std::string message =
        ErrorOf({{"unit_capacity", 1}, {"horizon_hours", 2}, {"lead_time_minutes", 600}});
    CHECK(message.find("lead_time_minutes") != std::string::npos);
  }
  SUBCASE("horizon over 31 days") {
    CHECK(ErrorOf({{"unit_capacity", 1}, {"horizon_hours", 800}}).find("horizon_hours") !=
          std::string::npos);
  }
  SUBCASE("unknown field") {
    CHECK(ErrorOf({{"unit_capacity", 1}, {"unit_capacty", 1}}).find("unit_capacty") !=
          std::string::npos);
  }
  SUBCASE("wrong type") {
    CHECK(ErrorOf({{"unit_capacity", 1}, {"min_units", "two"}}).find("min_units") !=
          std::string::npos);
  }
  SUBCASE("unknown mode") {
    CHECK(ErrorOf({{"unit_capacity", 1}, {"mode", "yolo"}}).find("mode") != std::string::npos);
  }
  SUBCASE("unknown max_capacity_behavior") {
    CHECK(ErrorOf({{"unit_capacity", 1}, {"max_capacity_behavior", "x"}})
              .find("max_capacity_behavior") != std::string::npos);
  }
}

}  // namespace
}  // namespace patchcast::api
