#include "forecasting/capacity_plan.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "forecasting/plan_score.h"
#include "forecasting/quantile_function.h"
#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_seconds;
using testing::Utc;

constexpr seconds kFiveMinutes{300};

// A forecast at `step` whose 0.99 quantile is rates[i] logins per second (counts = rate x step),
// with 0.5 and 0.9 at 80 % and 90 % of it, and a baseline equal to the median (no event uplift)
// unless `baseline` gives one in logins per second.
Forecast MakeForecast(std::vector<double> rates, seconds step = kFiveMinutes,
                      std::vector<double> baseline = {},
                      sys_seconds start = Utc("2026-12-07T00:00:00Z")) {
  Forecast forecast;
  forecast.quantile_levels = {0.5, 0.9, 0.99};
  const double s = static_cast<double>(step.count());
  for (std::size_t i = 0; i < rates.size(); ++i) {
    ForecastPoint point;
    point.ts = start + step * static_cast<std::int64_t>(i);
    point.quantiles = {0.8 * rates[i] * s, 0.9 * rates[i] * s, rates[i] * s};
    point.baseline = (baseline.empty() ? 0.8 * rates[i] : baseline[i]) * s;
    forecast.points.push_back(point);
  }
  return forecast;
}

CapacityModel Model() {
  CapacityModel model;
  model.unit_capacity = 10;
  model.headroom = 0.2;
  model.quantile = 0.99;
  model.min_units = 1;
  model.max_units = 100;
  model.lead_time = minutes{15};
  model.min_action_interval = minutes{30};
  model.scale_in_step_fraction = 1;
  return model;
}

// `count` copies of `rate`.
std::vector<double> Flat(std::size_t count, double rate) {
  return std::vector<double>(count, rate);
}
std::vector<double> Concat(std::vector<std::vector<double>> parts) {
  std::vector<double> out;
  for (const auto& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

std::vector<int> Units(const CapacityPlan& plan) {
  std::vector<int> units;
  for (const PlanBucket& bucket : plan.buckets) units.push_back(bucket.units);
  return units;
}

TEST_CASE("units are the ceiling of demand with headroom over unit capacity, clamped") {
  // 100/s x 1.2 / 10 = 12 exactly (floating point gives 12.000000000000002); 101/s -> 12.12 -> 13;
  // 0 -> min_units; 1000/s needs 120 > max_units 50: at risk by 70 units, 500 logins/s.
  CapacityModel model = Model();
  model.min_units = 2;
  model.max_units = 50;
  model.lead_time = minutes{0};
  const Result<CapacityPlan> plan =
      PlanCapacity(MakeForecast({100, 101, 0, 1000}), kFiveMinutes, model);
  REQUIRE(plan.has_value());
  REQUIRE(plan->buckets.size() == 4);
  CHECK(plan->buckets[0].required_units == 12);
  CHECK(plan->buckets[1].required_units == 13);
  CHECK(plan->buckets[2].required_units == 2);
  CHECK(plan->buckets[3].required_units == 50);
  CHECK(plan->buckets[0].demand_logins_per_second == doctest::Approx(100));
  CHECK(plan->buckets[0].median_logins_per_second == doctest::Approx(80));
  CHECK(plan->buckets[1].capacity_logins_per_second >= 130);
  CHECK_FALSE(plan->buckets[0].at_risk);
  CHECK(plan->buckets[3].at_risk);
  CHECK(plan->buckets[3].units == 50);
  CHECK(plan->buckets[3].shortfall_units == 70);
  CHECK(plan->buckets[3].shortfall_logins_per_second == doctest::Approx(500));
  CHECK(plan->buckets[3].capacity_logins_per_second == doctest::Approx(500));
  CHECK(plan->summary.at_risk_buckets == 1);
  CHECK(plan->summary.effective_max_units == 50);
  CHECK(plan->fallback_units == 50);
  CHECK(plan->summary.peak_units == 50);
}

TEST_CASE("a need past the largest double is held at max_units and at risk, not wrapped") {
  // Issue 13: 55/s x (1 + 1e308) / 5 is infinite; it used to plan 1 unit and no risk. A tiny
  // unit_capacity overflows the same way.
  for (const auto& [headroom, unit_capacity] : {std::pair{1e308, 5.0}, std::pair{0.2, 1e-300}}) {
    CapacityModel model = Model();
    model.headroom = headroom;
    model.unit_capacity = unit_capacity;
    CAPTURE(model.headroom);
    model.lead_time = minutes{0};
    const Result<CapacityPlan> plan = PlanCapacity(MakeForecast({55, 55}), kFiveMinutes, model);
    REQUIRE(plan.has_value());
    for (const PlanBucket& bucket : plan->buckets) {
      CHECK(bucket.required_units == 100);
      CHECK(bucket.units == 100);
      CHECK(bucket.at_risk);
      CHECK(bucket.shortfall_units == 1'000'000'000 - 100);
    }
  }
}

TEST_CASE("raising the maximum lets the plan exceed max_units with a buffer") {
  CapacityModel model = Model();
  model.max_units = 50;
  model.max_capacity_behavior = MaxCapacityBehavior::kRaise;
  model.raise_buffer = 0.1;
  model.lead_time = minutes{0};
  const Result<CapacityPlan> plan = PlanCapacity(MakeForecast({1000}), kFiveMinutes, model);
  REQUIRE(plan.has_value());
  CHECK(plan->buckets[0].units == 120);
  CHECK_FALSE(plan->buckets[0].at_risk);
  CHECK(plan->summary.effective_max_units == 132);
}

TEST_CASE("scale-out is issued exactly lead_time before the bucket that needs it") {
  // 15/s -> 2 units for ten buckets, 80/s -> 10 units from bucket 10.
  const Forecast forecast = MakeForecast(Concat({Flat(10, 15), Flat(10, 80)}));
  for (const minutes lead : {minutes{0}, minutes{15}, minutes{40}}) {
    CAPTURE(lead.count());
    CapacityModel model = Model();
    model.lead_time = lead;
    const Result<CapacityPlan> plan = PlanCapacity(forecast, kFiveMinutes, model);
    REQUIRE(plan.has_value());
    REQUIRE(plan->actions.size() == 1);
    const PlanAction& action = plan->actions[0];
    CHECK(action.kind == ActionKind::kScaleOut);
    CHECK(action.ready == forecast.points[10].ts);
    CHECK(action.at == forecast.points[10].ts - lead);
    CHECK(action.units == 10);
    CHECK_FALSE(action.late);
    CHECK(plan->buckets[9].units == 2);
    CHECK(plan->buckets[10].units == 10);
  }
}

TEST_CASE("a scale-out needed before lead_time has passed is issued at the start, late") {
  CapacityModel model = Model();
  model.lead_time = minutes{15};
  const Forecast forecast = MakeForecast(Concat({Flat(1, 15), Flat(9, 80)}));
  const Result<CapacityPlan> plan = PlanCapacity(forecast, kFiveMinutes, model);
  REQUIRE(plan.has_value());
  REQUIRE(plan->actions.size() == 1);
  CHECK(plan->actions[0].late);
  CHECK(plan->actions[0].at == forecast.points[0].ts);
  CHECK(plan->actions[0].ready == forecast.points[1].ts);
}

TEST_CASE("growth limits start the ramp earlier") {
  const Forecast forecast = MakeForecast(Concat({Flat(10, 15), Flat(10, 80)}));
  SUBCASE("max_step_units") {
    CapacityModel model = Model();
    model.max_step_units = 3;
    const Result<CapacityPlan> plan = PlanCapacity(forecast, kFiveMinutes, model);
    REQUIRE(plan.has_value());
    // 2 -> 4 -> 7 -> 10 over buckets 8, 9, 10: three actions, the first lead_time before bucket 8.
    const std::vector<int> expected = {2,  2,  2,  2,  2,  2,  2,  2,  4,  7,
                                       10, 10, 10, 10, 10, 10, 10, 10, 10, 10};
    CHECK(Units(*plan) == expected);
    REQUIRE(plan->actions.size() == 3);
    CHECK(plan->actions[0].at == forecast.points[8].ts - minutes{15});
    CHECK(plan->actions[0].units == 4);
    CHECK(plan->actions[1].units == 7);
    CHECK(plan->actions[2].units == 10);
  }
  SUBCASE("max_units_per_minute") {
    CapacityModel model = Model();
    model.max_units_per_minute = 0.6;  // 3 units per 5-minute step
    const Result<CapacityPlan> plan = PlanCapacity(forecast, kFiveMinutes, model);
    REQUIRE(plan.has_value());
    REQUIRE(plan->actions.size() == 3);
    CHECK(plan->actions[0].at == forecast.points[8].ts - minutes{15});
    CHECK(plan->buckets[8].units == 4);
    CHECK(plan->buckets[9].units == 7);
  }
}

TEST_CASE("scale-in waits out an event's hold") {
  // Demand at 80/s (10 units) for buckets 10..14 around an event peaking at bucket 12; back to
  // 15/s (2 units) from bucket 15. The baseline is 15/s throughout.
  const std::vector<double> rates = Concat({Flat(10, 15), Flat(5, 80), Flat(25, 15)});
  std::vector<double> baseline(rates.size(), 15);
  Forecast forecast = MakeForecast(rates, kFiveMinutes, baseline);
  EventForecast event;
  event.id = "microsoft:2026-12-08:release";
  event.calendar_id = "microsoft";
  event.start = forecast.points[8].ts;
  event.peak.ts = forecast.points[12].ts;
  forecast.events.push_back(event);

  const auto first_scale_in = [](const CapacityPlan& plan) -> std::optional<sys_seconds> {
    for (const PlanAction& action : plan.actions) {
      if (action.kind == ActionKind::kScaleIn) return action.ready;
    }
    return std::nullopt;
  };
  SUBCASE("without events, right after the surge") {
    Forecast quiet = forecast;
    quiet.events.clear();
    const Result<CapacityPlan> plan = PlanCapacity(quiet, kFiveMinutes, Model());
    REQUIRE(plan.has_value());
    CHECK(first_scale_in(*plan) == forecast.points[15].ts);
  }
  SUBCASE("an explicit hold of 60 minutes after the peak") {
    CapacityModel model = Model();
    model.hold_after_event = minutes{60};
    const Result<CapacityPlan> plan = PlanCapacity(forecast, kFiveMinutes, model);
    REQUIRE(plan.has_value());
    CHECK(first_scale_in(*plan) == forecast.points[24].ts);  // peak (12) + 12 buckets
    CHECK(plan->buckets[23].units == 10);
  }
  SUBCASE("by default, until the median is back within 5 % of the baseline") {
    // The median (80 % of the p99) stays at 1.1 x baseline until bucket 19.
    std::vector<double> tail = rates;
    for (std::size_t i = 15; i < 19; ++i) tail[i] = 15 * 1.1 / 0.8;
    Forecast slow = MakeForecast(tail, kFiveMinutes, baseline);
    slow.events = forecast.events;
    const Result<CapacityPlan> plan = PlanCapacity(slow, kFiveMinutes, Model());
    REQUIRE(plan.has_value());
    CHECK(first_scale_in(*plan) == forecast.points[19].ts);
    const PlanAction& action = plan->actions.back();
    CHECK(action.event_id == "microsoft:2026-12-08:release");
    CHECK(action.reason == "microsoft 2026-12-08 release: wave over");
  }
}

TEST_CASE("scale-in sheds in capped steps spaced by the action interval") {
  // 20 units for 5 buckets, then 2 units for 60 buckets.
  CapacityModel model = Model();
  model.scale_in_step_fraction = 0.25;
  model.min_action_interval = minutes{30};
  model.lead_time = minutes{0};
  const Forecast forecast = MakeForecast(Concat({Flat(5, 160), Flat(60, 15)}));
  const Result<CapacityPlan> plan = PlanCapacity(forecast, kFiveMinutes, model);
  REQUIRE(plan.has_value());
  // 20 -> 15 (sheds 5) -> 12 (3) -> 9 (3) -> 7 (2) -> 6 -> 5 -> 4 -> 3 -> 2 (1 each).
  std::vector<int> targets;
  for (const PlanAction& action : plan->actions) {
    CHECK(action.kind == ActionKind::kScaleIn);
    targets.push_back(action.units);
  }
  CHECK(targets == std::vector<int>{15, 12, 9, 7, 6, 5, 4, 3, 2});
  REQUIRE(plan->actions.size() >= 2);
  CHECK(plan->actions[0].at == forecast.points[5].ts);
  for (std::size_t a = 1; a < plan->actions.size(); ++a) {
    CHECK(plan->actions[a].at - plan->actions[a - 1].at == minutes{30});
  }
}

TEST_CASE("actions closer than the interval merge, and short dips do not flap") {
  SUBCASE("two scale-outs 10 minutes apart become one, earlier, with the larger target") {
    // 2 units, then 5 from bucket 10, 8 from bucket 12.
    const Forecast forecast = MakeForecast(Concat({Flat(10, 15), Flat(2, 40), Flat(8, 65)}));
    const Result<CapacityPlan> plan = PlanCapacity(forecast, kFiveMinutes, Model());
    REQUIRE(plan.has_value());
    REQUIRE(plan->actions.size() == 1);
    CHECK(plan->actions[0].at == forecast.points[10].ts - minutes{15});
    CHECK(plan->actions[0].units == 8);
    CHECK(plan->buckets[10].units == 8);
    CHECK(plan->buckets[11].units == 8);
  }
  SUBCASE("without the interval they stay apart") {
    CapacityModel model = Model();
    model.min_action_interval = minutes{0};
    const Forecast forecast = MakeForecast(Concat({Flat(10, 15), Flat(2, 40), Flat(8, 65)}));
    const Result<CapacityPlan> plan = PlanCapacity(forecast, kFiveMinutes, model);
    REQUIRE(plan.has_value());
    CHECK(plan->actions.size() == 2);
    CHECK(plan->buckets[10].units == 5);
  }
  SUBCASE("a dip shorter than lead time plus interval keeps its units") {
    const Forecast forecast = MakeForecast(Concat({Flat(10, 80), Flat(2, 15), Flat(10, 80)}));
    const Result<CapacityPlan> plan = PlanCapacity(forecast, kFiveMinutes, Model());
    REQUIRE(plan.has_value());
    CHECK(plan->actions.empty());
    CHECK(plan->buckets[11].units == 10);
  }
}

TEST_CASE("scale-out reasons name the event and the wave's offset") {
  const sys_seconds start = Utc("2026-12-10T12:00:00Z");
  // A baseline of 15/s; an uplift to 80/s from 17:00 (48 h after the release), then back.
  std::vector<double> rates = Concat({Flat(60, 15), Flat(12, 80), Flat(24, 15)});
  std::vector<double> baseline(rates.size(), 15);
  // A plain baseline rise (median within 5 % of baseline) later in the horizon.
  for (std::size_t i = 84; i < rates.size(); ++i) baseline[i] = rates[i] = 60;
  Forecast forecast = MakeForecast(rates, kFiveMinutes, baseline, start);
  EventForecast event;
  event.id = "microsoft:2026-12-08:release";
  event.start = Utc("2026-12-08T17:00:00Z");
  event.peak.ts = forecast.points[62].ts;
  forecast.events.push_back(event);
  const Result<CapacityPlan> plan = PlanCapacity(forecast, kFiveMinutes, Model());
  REQUIRE(plan.has_value());
  REQUIRE(plan->actions.size() >= 2);
  CHECK(plan->actions[0].kind == ActionKind::kScaleOut);
  CHECK(plan->actions[0].reason == "microsoft 2026-12-08 release: +48 h wave");
  CHECK(plan->actions[0].event_id == "microsoft:2026-12-08:release");
  const PlanAction& rise = plan->actions.back();
  CHECK(rise.kind == ActionKind::kScaleOut);
  CHECK(rise.ready == forecast.points[84].ts);
  CHECK(rise.reason == "baseline demand rising");
  CHECK(rise.event_id.empty());
}

TEST_CASE("forecast_only plans the same units without actions") {
  CapacityModel model = Model();
  model.mode = PlanMode::kForecastOnly;
  const Forecast forecast = MakeForecast(Concat({Flat(10, 15), Flat(10, 80)}));
  const Result<CapacityPlan> only = PlanCapacity(forecast, kFiveMinutes, model);
  const Result<CapacityPlan> full = PlanCapacity(forecast, kFiveMinutes, Model());
  REQUIRE(only.has_value());
  REQUIRE(full.has_value());
  CHECK(only->actions.empty());
  CHECK(full->actions.size() == 1);
  CHECK(Units(*only) == Units(*full));
}

TEST_CASE("p_exceed falls as capacity rises and is 1 % at the p99 demand") {
  // Headroom 0: 100/s needs exactly 10 units, whose capacity is the p99 demand.
  CapacityModel model = Model();
  model.headroom = 0;
  model.lead_time = minutes{0};
  Result<CapacityPlan> plan = PlanCapacity(MakeForecast({100}), kFiveMinutes, model);
  REQUIRE(plan.has_value());
  CHECK(plan->buckets[0].units == 10);
  CHECK(plan->buckets[0].p_exceed == doctest::Approx(0.01));
  double previous = 1;
  for (const double headroom : {0.0, 0.1, 0.2, 0.5, 1.0}) {
    model.headroom = headroom;
    plan = PlanCapacity(MakeForecast({100}), kFiveMinutes, model);
    REQUIRE(plan.has_value());
    CHECK(plan->buckets[0].p_exceed <= previous);
    previous = plan->buckets[0].p_exceed;
  }
  CHECK(previous < 0.001);
  CHECK(plan->summary.max_p_exceed == doctest::Approx(previous));
}

TEST_CASE("the summary compares the plan with static and reactive provisioning") {
  // Hourly steps, one-hour lead: demand 10, 10, 50, 50, 10, 10 logins/s at 10 per unit, no
  // headroom -> required 1, 1, 5, 5, 1, 1.
  CapacityModel model = Model();
  model.headroom = 0;
  model.lead_time = minutes{60};
  model.unit_cost_per_hour = 0.5;
  const Forecast forecast = MakeForecast({10, 10, 50, 50, 10, 10}, hours{1});
  const Result<CapacityPlan> plan = PlanCapacity(forecast, hours{1}, model);
  REQUIRE(plan.has_value());
  CHECK(Units(*plan) == std::vector<int>{1, 1, 5, 5, 1, 1});
  REQUIRE(plan->actions.size() == 2);
  CHECK(plan->actions[0].at == forecast.points[1].ts);
  CHECK(plan->actions[1].kind == ActionKind::kScaleIn);
  CHECK(plan->actions[1].at == forecast.points[4].ts);
  const PlanSummary& s = plan->summary;
  CHECK(s.unit_hours == doctest::Approx(14));
  CHECK(s.cost.value_or(-1) == doctest::Approx(7));
  CHECK(s.under_provisioned_minutes == 0);
  // Static at the peak: 5 units x 6 h.
  CHECK(s.vs_static.unit_hours == doctest::Approx(30));
  CHECK(s.vs_static.cost.value_or(-1) == doctest::Approx(15));
  CHECK(s.vs_static.under_provisioned_minutes == 0);
  // Reactive, one hour behind: 1, 1, 1, 5, 5, 1 = 14 unit-hours, 10 logins/s of capacity in the
  // hour that needs 50: 60 minutes under, 40 logins/s deep.
  CHECK(s.vs_reactive.unit_hours == doctest::Approx(14));
  CHECK(s.vs_reactive.cost.value_or(-1) == doctest::Approx(7));
  CHECK(s.vs_reactive.under_provisioned_minutes == doctest::Approx(60));
  CHECK(s.vs_reactive.depth_logins_per_second == doctest::Approx(40));
  CHECK(plan->fallback_units == 5);
}

TEST_CASE("ScorePlan scores a plan against actual demand and an oracle") {
  CapacityModel model = Model();
  model.headroom = 0;
  model.lead_time = minutes{60};
  const Forecast forecast = MakeForecast({10, 10, 50, 50, 10, 10}, hours{1});
  const Result<CapacityPlan> plan = PlanCapacity(forecast, hours{1}, model);
  REQUIRE(plan.has_value());
  RegularSeries actual;
  actual.start = forecast.points[0].ts;
  actual.step = hours{1};
  // Per second: 5, 10, 60 (above the 50 planned), 30, missing, 10.
  actual.values = {5 * 3600.0, 10 * 3600.0, 60 * 3600.0, 30 * 3600.0, kMissing, 10 * 3600.0};
  const Result<PlanScore> result = ScorePlan(*plan, actual, model);
  REQUIRE(result.has_value());
  CHECK(result->buckets == 5);
  CHECK(result->covered == 4);
  CHECK(result->coverage == doctest::Approx(0.8));
  CHECK(result->under_provisioned_minutes == doctest::Approx(60));
  CHECK(result->depth_logins_per_second == doctest::Approx(10));
  CHECK(result->plan_unit_hours == doctest::Approx(13));    // 1 + 1 + 5 + 5 + 1
  CHECK(result->oracle_unit_hours == doctest::Approx(12));  // 1 + 1 + 6 + 3 + 1 (the min is 1)
  CHECK(result->static_unit_hours == doctest::Approx(25));
  CHECK(result->static_coverage == doctest::Approx(0.8));
  CHECK(result->plan_vs_oracle == doctest::Approx(13.0 / 12));
  CHECK(result->static_vs_oracle == doctest::Approx(25.0 / 12));
  // Static: 50 logins/s of capacity, 10 short in the hour of 60.
  CHECK(result->static_under_provisioned_minutes == doctest::Approx(60));
  CHECK(result->static_depth_logins_per_second == doctest::Approx(10));
  // Reactive, one hour (the lead time) behind the actual demand: the first hour has nothing
  // earlier to see and keeps the plan's first units (1); then 1 (saw 5), 1 (saw 10: 50 short of
  // 60), 6 (saw 60), [3 (saw 30), not compared], 3 kept (the hour it would see is missing).
  CHECK(result->reactive_unit_hours == doctest::Approx(12));  // 1 + 1 + 1 + 6 + 3
  CHECK(result->reactive_coverage == doctest::Approx(0.8));
  CHECK(result->reactive_under_provisioned_minutes == doctest::Approx(60));
  CHECK(result->reactive_depth_logins_per_second == doctest::Approx(50));
  CHECK(result->reactive_vs_oracle == doctest::Approx(1));

  SUBCASE("demand before the plan feeds the reactive autoscaler's first step") {
    RegularSeries earlier = actual;
    earlier.start = actual.start - hours{1};
    earlier.values.insert(earlier.values.begin(), 40 * 3600.0);
    const Result<PlanScore> with_history = ScorePlan(*plan, earlier, model);
    REQUIRE(with_history.has_value());
    CHECK(with_history->buckets == 5);
    CHECK(with_history->reactive_unit_hours == doctest::Approx(15));  // 4 + 1 + 1 + 6 + 3
  }
  SUBCASE("with kHonor the reactive autoscaler stops at max_units") {
    CapacityModel capped = model;
    capped.max_units = 5;
    const Result<PlanScore> clamped = ScorePlan(*plan, actual, capped);
    REQUIRE(clamped.has_value());
    CHECK(clamped->reactive_unit_hours == doctest::Approx(11));  // 1 + 1 + 1 + 5 + 3
    capped.max_capacity_behavior = MaxCapacityBehavior::kRaise;
    const Result<PlanScore> raised = ScorePlan(*plan, actual, capped);
    REQUIRE(raised.has_value());
    CHECK(raised->reactive_unit_hours == doctest::Approx(12));
  }

  SUBCASE("errors") {
    RegularSeries other = actual;
    other.step = seconds{300};
    const Result<PlanScore> wrong_step = ScorePlan(*plan, other, model);
    REQUIRE_FALSE(wrong_step.has_value());
    CHECK(wrong_step.error().code == ErrorCode::kInvalidArgument);
    other = actual;
    other.start = forecast.points[0].ts + hours{24};
    const Result<PlanScore> disjoint = ScorePlan(*plan, other, model);
    REQUIRE_FALSE(disjoint.has_value());
    CHECK(disjoint.error().code == ErrorCode::kUnprocessable);
  }
}

TEST_CASE("invalid models and forecasts are errors that name the field") {
  const Forecast forecast = MakeForecast(Flat(96, 15));  // 8 hours
  struct Case {
    const char* expected;
    CapacityModel model;
  };
  std::vector<Case> cases;
  const auto with = [&](const char* expected, auto change) {
    CapacityModel model = Model();
    change(model);
    cases.push_back({expected, model});
  };
  with("unit_capacity: must be positive and finite (got 0)",
       [](CapacityModel& m) { m.unit_capacity = 0; });
  with("unit_capacity: must be positive and finite (got -5)",
       [](CapacityModel& m) { m.unit_capacity = -5; });
  with("min_units: 5 exceeds max_units 3", [](CapacityModel& m) {
    m.min_units = 5;
    m.max_units = 3;
  });
  with("quantile: must be in (0, 1) (got 1)", [](CapacityModel& m) { m.quantile = 1; });
  with("quantile: must be in (0, 1) (got 0)", [](CapacityModel& m) { m.quantile = 0; });
  with("lead_time_minutes: 600 exceeds the forecast horizon of 480 minutes",
       [](CapacityModel& m) { m.lead_time = minutes{600}; });
  with("headroom: must be a non-negative fraction (got -0.1)",
       [](CapacityModel& m) { m.headroom = -0.1; });
  with("max_step_units: must be at least 1 (got 0)",
       [](CapacityModel& m) { m.max_step_units = 0; });
  with("max_units_per_minute: must be positive and finite (got 0)",
       [](CapacityModel& m) { m.max_units_per_minute = 0; });
  with("scale_in_step_fraction: must be in (0, 1] (got 0)",
       [](CapacityModel& m) { m.scale_in_step_fraction = 0; });
  with("unit_cost_per_hour: must be non-negative and finite (got -1)",
       [](CapacityModel& m) { m.unit_cost_per_hour = -1; });
  with("max_units: must be in [1, 1e9] (got 0)", [](CapacityModel& m) {
    m.min_units = 0;
    m.max_units = 0;
  });
  for (const Case& c : cases) {
    CAPTURE(c.expected);
    const Result<CapacityPlan> plan = PlanCapacity(forecast, kFiveMinutes, c.model);
    REQUIRE_FALSE(plan.has_value());
    CHECK(plan.error().code == ErrorCode::kInvalidArgument);
    CHECK(plan.error().message == c.expected);
  }

  SUBCASE("malformed forecasts") {
    Forecast empty;
    empty.quantile_levels = {0.5};
    CHECK(PlanCapacity(empty, kFiveMinutes, Model()).error().message == "forecast: has no points");
    Forecast uneven = forecast;
    uneven.points[3].ts += seconds{60};
    CHECK(PlanCapacity(uneven, kFiveMinutes, Model()).error().message ==
          "forecast: point 3 is not one step (300 s) after the previous point");
    Forecast short_point = forecast;
    short_point.points[2].quantiles.pop_back();
    CHECK(PlanCapacity(short_point, kFiveMinutes, Model()).error().message ==
          "forecast: point 2 has 2 quantiles for 3 levels");
    CHECK(PlanCapacity(forecast, seconds{0}, Model()).error().message == "step: must be positive");
  }
}

TEST_CASE("planning is deterministic") {
  const Forecast forecast = MakeForecast(Concat({Flat(10, 15), Flat(5, 80), Flat(20, 33)}));
  const Result<CapacityPlan> a = PlanCapacity(forecast, kFiveMinutes, Model());
  const Result<CapacityPlan> b = PlanCapacity(forecast, kFiveMinutes, Model());
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  CHECK(Units(*a) == Units(*b));
  REQUIRE(a->actions.size() == b->actions.size());
  for (std::size_t i = 0; i < a->actions.size(); ++i) {
    CHECK(a->actions[i].at == b->actions[i].at);
    CHECK(a->actions[i].units == b->actions[i].units);
    CHECK(a->actions[i].reason == b->actions[i].reason);
  }
  CHECK(a->summary.unit_hours == b->summary.unit_hours);
}

}  // namespace
}  // namespace patchcast::forecasting
