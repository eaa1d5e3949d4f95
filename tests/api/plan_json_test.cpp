// The JSON mapping of capacity plans: request parsing names the offending field,
// the stored document's views (CSV, KEDA current replicas) and the stale rule. The AWS export is
// tested in aws_scheduled_actions_test.cpp.
#include "api/plan_json.h"

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

TEST_CASE("valid_until is 24 hours after as_of, or the horizon's end when sooner") {
  const auto as_of = At("2026-12-08T00:00:00Z");
  CHECK(PlanValidUntil(as_of, std::chrono::hours{168}) == At("2026-12-09T00:00:00Z"));
  CHECK(PlanValidUntil(as_of, std::chrono::hours{6}) == At("2026-12-08T06:00:00Z"));
}

// A three-bucket plan at 5 minutes with one scale-out and a fallback of 4 units.
json SamplePlan() {
  forecasting::CapacityPlan plan;
  plan.step = std::chrono::seconds{300};
  const int units[] = {2, 4, 3};
  for (int i = 0; i < 3; ++i) {
    forecasting::PlanBucket bucket;
    bucket.ts = At("2026-12-08T16:00:00Z") + std::chrono::minutes{5 * i};
    bucket.demand_logins_per_second = 10.0 * (i + 1);
    bucket.units = units[i];
    bucket.capacity_logins_per_second = 25.0 * units[i];
    bucket.p_exceed = 0.01;
    plan.buckets.push_back(bucket);
  }
  plan.buckets[1].at_risk = true;
  plan.buckets[1].shortfall_units = 1;
  forecasting::PlanAction action;
  action.at = At("2026-12-08T15:50:00Z");
  action.ready = At("2026-12-08T16:05:00Z");
  action.units = 4;
  action.reason = "microsoft 2026-12-08 release: +48 h wave";
  action.event_id = "microsoft:2026-12-08:release";
  plan.actions.push_back(action);
  plan.fallback_units = 4;
  forecasting::CapacityModel model;
  model.unit_capacity = 25;
  return PlanJson({"plan-1", "demo-login", "fc-1", At("2026-12-08T16:00:00Z"),
                   At("2026-12-08T16:00:00Z"), At("2026-12-08T16:15:00Z")},
                  model, plan);
}

TEST_CASE("a plan document carries buckets, actions and the shortfall of at-risk buckets") {
  const json plan = SamplePlan();
  CHECK(plan["forecast_id"] == "fc-1");
  CHECK(plan["valid_until"] == "2026-12-08T16:15:00Z");
  REQUIRE(plan["buckets"].size() == 3);
  CHECK(plan["buckets"][1]["at_risk"] == true);
  CHECK(plan["buckets"][1]["shortfall"]["units"] == 1);
  CHECK_FALSE(plan["buckets"][0].contains("shortfall"));
  CHECK(plan["actions"][0]["reason"] == "microsoft 2026-12-08 release: +48 h wave");
  CHECK(plan["actions"][0]["kind"] == "scale_out");
  CHECK(plan["fallback_units"] == 4);
}

TEST_CASE("the CSV of a plan has one row a bucket") {
  auto csv = PlanCsv(SamplePlan());
  REQUIRE(csv);
  CHECK(*csv ==
        "ts,demand,units,capacity,p_exceed,at_risk\n"
        "2026-12-08T16:00:00Z,10.0,2,50.0,0.01,false\n"
        "2026-12-08T16:05:00Z,20.0,4,100.0,0.01,true\n"
        "2026-12-08T16:10:00Z,30.0,3,75.0,0.01,false\n");
}

TEST_CASE("the current replicas follow the bucket containing now") {
  const json plan = SamplePlan();
  SUBCASE("inside a bucket, fresh") {
    auto current = CurrentReplicas(plan, At("2026-12-08T16:07:00Z"));
    REQUIRE(current);
    CHECK((*current)["replicas"] == 4);
    CHECK((*current)["at"] == "2026-12-08T16:05:00Z");
    CHECK((*current)["stale"] == false);
    CHECK((*current)["age_seconds"] == 420);
    CHECK((*current)["plan_id"] == "plan-1");
    CHECK((*current)["fallback_replicas"] == 4);
  }
  SUBCASE("before the plan starts: its first bucket") {
    auto current = CurrentReplicas(plan, At("2026-12-08T15:00:00Z"));
    REQUIRE(current);
    CHECK((*current)["replicas"] == 2);
    CHECK((*current)["at"] == "2026-12-08T16:00:00Z");
  }
  SUBCASE("at an instant before the plan was made: age 0, not negative") {
    auto current = CurrentReplicas(plan, At("2026-12-08T15:59:59Z"));
    REQUIRE(current);
    CHECK((*current)["age_seconds"] == 0);
  }
}

TEST_CASE("a stale plan still answers, never below the fallback replicas") {
  json plan = SamplePlan();
  plan["valid_until"] = "2026-12-08T16:01:00Z";
  SUBCASE("inside a bucket with fewer units than the fallback") {
    auto current = CurrentReplicas(plan, At("2026-12-08T16:02:00Z"));
    REQUIRE(current);
    CHECK((*current)["stale"] == true);
    CHECK((*current)["replicas"] == 4);  // the bucket has 2
  }
  SUBCASE("after the plan's end") {
    auto current = CurrentReplicas(plan, At("2026-12-09T00:00:00Z"));
    REQUIRE(current);
    CHECK((*current)["stale"] == true);
    CHECK((*current)["replicas"] == 4);
    CHECK((*current)["at"].is_null());
  }
}

}  // namespace
}  // namespace patchcast::api
