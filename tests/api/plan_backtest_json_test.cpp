// The JSON of the plan backtest: the request reads like a plan request without as_of and names
// the offending field; the scorecard carries every figure under its documented name.
#include "api/plan_backtest_json.h"

#include <doctest/doctest.h>

#include <string>

#include "api/point_text.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

std::string ErrorOf(const json& body) {
  auto parsed = ParsePlanBacktestRequest("demo-login", body);
  REQUIRE_FALSE(parsed);
  CHECK(parsed.error().code == ErrorCode::kInvalidArgument);
  return parsed.error().message;
}

TEST_CASE("a plan backtest request takes the events, the horizon and a capacity model") {
  auto parsed = ParsePlanBacktestRequest(
      "demo-login", json::parse(R"({"events":6,"horizon_hours":72,"calendars":["microsoft"],
                                    "unit_capacity":2.5,"headroom":0.3,"quantile":0.95,
                                    "lead_time_minutes":20,"max_units":40})"));
  REQUIRE(parsed);
  CHECK(parsed->series_id == "demo-login");
  CHECK(parsed->events == 6);
  CHECK(parsed->horizon == std::chrono::hours{72});
  CHECK(parsed->calendars == std::vector<std::string>{"microsoft"});
  CHECK(parsed->model.unit_capacity == 2.5);
  CHECK(parsed->model.headroom == 0.3);
  CHECK(parsed->model.quantile == 0.95);
  CHECK(parsed->model.lead_time == std::chrono::minutes{20});
  CHECK(parsed->model.max_units == 40);
}

TEST_CASE("a plan backtest request defaults to 12 events over 168 hours") {
  auto parsed = ParsePlanBacktestRequest("demo-login", json{{"unit_capacity", 1}});
  REQUIRE(parsed);
  CHECK(parsed->events == 12);
  CHECK(parsed->horizon == std::chrono::hours{168});
  CHECK(parsed->calendars == std::vector<std::string>{"microsoft"});
  const forecasting::CapacityModel defaults;
  CHECK(parsed->model.quantile == defaults.quantile);
  CHECK(parsed->model.lead_time == defaults.lead_time);
}

TEST_CASE("a plan backtest request starts from the series' stored model") {
  forecasting::CapacityModel stored;
  stored.unit_capacity = 40;
  stored.min_units = 3;
  auto parsed = ParsePlanBacktestRequest("demo-login", json{{"min_units", 4}}, stored);
  REQUIRE(parsed);
  CHECK(parsed->model.unit_capacity == 40);
  CHECK(parsed->model.min_units == 4);
}

TEST_CASE("bad plan backtest requests are refused naming the field") {
  CHECK(ErrorOf({{"unit_capacity", 1}, {"events", 0}}).find("'events'") != std::string::npos);
  CHECK(ErrorOf({{"unit_capacity", 1}, {"events", 53}}).find("between 1 and 52") !=
        std::string::npos);
  CHECK(ErrorOf({{"unit_capacity", 1}, {"events", "all"}}).find("'events'") != std::string::npos);
  CHECK(ErrorOf({{"unit_capacity", 1}, {"horizon_hours", 745}}).find("'horizon_hours'") !=
        std::string::npos);
  CHECK(ErrorOf({{"unit_capacity", 1}, {"horizon_hours", 0}}).find("'horizon_hours'") !=
        std::string::npos);
  // Each replay's as_of is its advance-notice Thursday: as_of is not a field here.
  CHECK(ErrorOf({{"unit_capacity", 1}, {"as_of", "2026-11-05T18:00:00Z"}}) ==
        "unknown field 'as_of' in the request body");
  CHECK(ErrorOf({{"unit_capacity", 1}, {"colour", "red"}}).find("'colour'") != std::string::npos);
  CHECK(ErrorOf(json::object()).find("field 'unit_capacity' is required") != std::string::npos);
  CHECK(ErrorOf({{"unit_capacity", 0}}).starts_with("unit_capacity:"));
  CHECK(ErrorOf({{"unit_capacity", 1}, {"min_units", 5}, {"max_units", 3}})
            .starts_with("min_units:"));
  CHECK(ErrorOf({{"unit_capacity", 1}, {"quantile", 1}}).starts_with("quantile:"));
  CHECK(ErrorOf({{"unit_capacity", 1}, {"horizon_hours", 2}, {"lead_time_minutes", 600}})
            .starts_with("lead_time_minutes:"));
  CHECK(ErrorOf({{"unit_capacity", 1}, {"mode", "auto"}}).find("'mode'") != std::string::npos);
}

TEST_CASE("the scorecard carries each event's figures and the pooled summary") {
  forecasting::PlanBacktestQuery query;
  query.series_id = "demo-login";
  query.events = 3;
  query.horizon = std::chrono::hours{168};
  query.model.unit_capacity = 5;
  forecasting::PlanBacktestResult result;
  forecasting::PlanBacktestEvent event;
  event.event_id = "microsoft:2026-11-10:release";
  event.start = *ParseRfc3339Seconds("2026-11-10T18:00:00Z");
  event.as_of = *ParseRfc3339Seconds("2026-11-05T18:00:00Z");
  event.peak_units = 23;
  event.actions = 17;
  forecasting::PlanScore& s = event.score;
  s.buckets = 2016;
  s.covered = 2010;
  s.coverage = 2010.0 / 2016;
  s.under_provisioned_minutes = 30;
  s.depth_logins_per_second = 1.23456;
  s.plan_unit_hours = 1751.0834;
  s.oracle_unit_hours = 1400;
  s.plan_vs_oracle = 1751.0834 / 1400;
  s.static_unit_hours = 3864;
  s.static_vs_oracle = 2.76;
  s.static_coverage = 1;
  s.reactive_unit_hours = 1500;
  s.reactive_vs_oracle = 1500.0 / 1400;
  s.reactive_coverage = 0.95;
  s.reactive_under_provisioned_minutes = 500;
  s.reactive_depth_logins_per_second = 11.784;
  result.events.push_back(event);
  result.summary.events = 1;
  result.summary.buckets = 2016;
  result.summary.oracle_unit_hours = 1400;
  result.summary.plan.unit_hours = 1751.0834;
  result.summary.plan.coverage = s.coverage;
  result.summary.plan.vs_oracle = s.plan_vs_oracle;
  result.summary.plan.median_vs_oracle = s.plan_vs_oracle;
  result.summary.reactive.under_provisioned_minutes = 500;

  const json out = PlanBacktestJson(query, result);
  CHECK(out["series"] == "demo-login");
  CHECK(out["events_requested"] == 3);
  CHECK(out["horizon_hours"] == 168);
  CHECK(out["model"]["unit_capacity"] == 5.0);
  REQUIRE(out["events"].size() == 1);
  const json& e = out["events"][0];
  CHECK(e["event_id"] == "microsoft:2026-11-10:release");
  CHECK(e["start"] == "2026-11-10T18:00:00Z");
  CHECK(e["as_of"] == "2026-11-05T18:00:00Z");
  CHECK(e["peak_units"] == 23);
  CHECK(e["actions"] == 17);
  CHECK(e["buckets"] == 2016);
  CHECK(e["coverage"] == doctest::Approx(0.997024));
  CHECK(e["under_provisioned_minutes"] == 30.0);
  CHECK(e["depth_logins_per_second"] == 1.23);
  CHECK(e["plan_unit_hours"] == 1751.08);
  CHECK(e["oracle_unit_hours"] == 1400.0);
  CHECK(e["plan_vs_oracle"] == 1.2508);
  CHECK(e["static"]["unit_hours"] == 3864.0);
  CHECK(e["static"]["vs_oracle"] == 2.76);
  CHECK(e["static"]["coverage"] == 1.0);
  CHECK(e["reactive"]["unit_hours"] == 1500.0);
  CHECK(e["reactive"]["vs_oracle"] == 1.0714);
  CHECK(e["reactive"]["coverage"] == 0.95);
  CHECK(e["reactive"]["under_provisioned_minutes"] == 500.0);
  CHECK(e["reactive"]["depth_logins_per_second"] == 11.78);
  const json& summary = out["summary"];
  CHECK(summary["events"] == 1);
  CHECK(summary["buckets"] == 2016);
  CHECK(summary["oracle_unit_hours"] == 1400.0);
  CHECK(summary["plan"]["unit_hours"] == 1751.08);
  CHECK(summary["plan"]["vs_oracle"] == 1.2508);
  CHECK(summary["plan"]["median_vs_oracle"] == 1.2508);
  CHECK(summary["reactive"]["under_provisioned_minutes"] == 500.0);
  for (const char* strategy : {"plan", "static", "reactive"}) {
    for (const char* key : {"unit_hours", "vs_oracle", "median_vs_oracle", "coverage",
                            "under_provisioned_minutes", "depth_logins_per_second"}) {
      CHECK_MESSAGE(summary[strategy].contains(key), strategy << "." << key);
    }
  }
}

}  // namespace
}  // namespace patchcast::api
