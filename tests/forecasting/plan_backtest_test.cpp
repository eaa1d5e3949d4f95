// The plan backtest: plans replayed before each release, scored against a known truth, and never
// made from the demand they are scored on.
#include "forecasting/plan_backtest.h"

#include <doctest/doctest.h>

#include <cmath>

#include "forecasting/backtest.h"
#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting {
namespace {

using calendars::Event;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_seconds;
using testing::InjectedExcess;
using testing::MakeSeries;
using testing::MonthlyReleases;
using testing::Pattern;
using testing::Utc;

// Hourly demand from 2024-01-01 to 2024-09-07: the weekly pattern times the injected reboot
// response after each of nine monthly releases (as in backtest_test.cpp).
struct Truth {
  std::vector<Event> events = MonthlyReleases(date::year{2024} / 1, 9);
  RegularSeries series;
  Truth() {
    series = MakeSeries(Utc("2024-01-01T00:00:00Z"), hours{1}, 250 * 24, [&](sys_seconds t) {
      double excess = 0;
      for (const Event& event : events) excess += InjectedExcess(t - event.start);
      return Pattern(t) * (1 + excess);
    });
  }
};

// Pattern's 100..400 logins an hour is 0.03..0.11 logins per second: units of 0.01 logins/s make
// plans of a few to some 30 units.
CapacityModel HourlyModel() {
  CapacityModel model;
  model.unit_capacity = 0.01;
  model.headroom = 0.2;
  model.lead_time = minutes{60};
  model.min_action_interval = minutes{60};
  return model;
}

ForecastOptions NoPrior() {
  ForecastOptions options;
  options.use_prior = false;
  return options;
}

TEST_CASE("plans replayed before each release cover the demand that came") {
  const Truth truth;
  const CapacityModel model = HourlyModel();
  const Result<PlanBacktestResult> result =
      BacktestPlans(truth.series, truth.events, NoPrior(), model, 3, hours{168});
  REQUIRE(result.has_value());
  // The releases the forecast backtest picks: June, July, August, as of the Thursday before.
  REQUIRE(result->events.size() == 3);
  CHECK(result->events[0].event_id == "microsoft:2024-06-11:release");
  CHECK(result->events[2].event_id == "microsoft:2024-08-13:release");
  std::size_t buckets = 0;
  std::size_t covered = 0;
  double plan_hours = 0;
  double oracle_hours = 0;
  for (const PlanBacktestEvent& event : result->events) {
    CAPTURE(event.event_id);
    const PlanScore& score = event.score;
    CHECK(event.start - event.as_of == hours{5 * 24});
    CHECK(date::weekday{date::floor<date::days>(event.as_of)} == date::Thursday);
    // Every hour of the 7-day horizon has data to score.
    CHECK(score.buckets == 168);
    // The truth has no noise, so a p99 plan with 20 % headroom covers (almost) every hour...
    CHECK(score.coverage >= 0.99);
    // The +14 h surge (08:00 UTC, 2.5 x its 223 logins an hour) needs 19 units with headroom;
    // an ordinary midday (400 an hour) 14.
    CHECK(event.peak_units >= 19);
    CHECK(event.actions > 0);
    // ...costs more than the oracle, far less than static peak provisioning...
    CHECK(score.plan_vs_oracle >= 1);
    CHECK(score.plan_vs_oracle < 1.5);
    CHECK(score.static_vs_oracle > score.plan_vs_oracle + 0.5);
    CHECK(score.static_coverage == 1);
    // ...and, unlike an autoscaler that sees the sharp +14 h surge an hour late, is not caught
    // short by it.
    CHECK(score.reactive_under_provisioned_minutes >= 60);
    CHECK(score.reactive_coverage < score.coverage);
    buckets += score.buckets;
    covered += score.covered;
    plan_hours += score.plan_unit_hours;
    oracle_hours += score.oracle_unit_hours;
  }
  const PlanBacktestSummary& summary = result->summary;
  CHECK(summary.events == 3);
  CHECK(summary.buckets == buckets);
  CHECK(summary.plan.coverage ==
        doctest::Approx(static_cast<double>(covered) / static_cast<double>(buckets)));
  CHECK(summary.plan.unit_hours == doctest::Approx(plan_hours));
  CHECK(summary.oracle_unit_hours == doctest::Approx(oracle_hours));
  CHECK(summary.plan.vs_oracle == doctest::Approx(plan_hours / oracle_hours));
  // The median of three is the middle event's ratio.
  std::vector<double> ratios;
  for (const PlanBacktestEvent& event : result->events) {
    ratios.push_back(event.score.plan_vs_oracle);
  }
  std::sort(ratios.begin(), ratios.end());
  CHECK(summary.plan.median_vs_oracle == doctest::Approx(ratios[1]));
  CHECK(summary.static_peak.vs_oracle > summary.plan.vs_oracle);
  CHECK(summary.reactive.under_provisioned_minutes >= 3 * 60);
  CHECK(summary.reactive.coverage < summary.plan.coverage);
}

TEST_CASE("a replayed plan is made without the demand it is scored on") {
  const Truth truth;
  const CapacityModel model = HourlyModel();
  // The same history, but the last release's surge came three times as large.
  Truth surprise;
  const sys_seconds release = surprise.events[7].start;  // 2024-08-13
  for (std::size_t i = 0; i < surprise.series.size(); ++i) {
    if (surprise.series.TimeAt(i) >= release) surprise.series.values[i] *= 3;
  }
  const auto known = BacktestPlans(truth.series, truth.events, NoPrior(), model, 1, hours{168});
  const auto tripled =
      BacktestPlans(surprise.series, surprise.events, NoPrior(), model, 1, hours{168});
  REQUIRE(known.has_value());
  REQUIRE(tripled.has_value());
  REQUIRE(known->events.size() == 1);
  REQUIRE(tripled->events.size() == 1);
  const PlanBacktestEvent& a = known->events[0];
  const PlanBacktestEvent& b = tripled->events[0];
  CHECK(a.event_id == "microsoft:2024-08-13:release");
  CHECK(b.event_id == a.event_id);
  // The plans are the same: made as of the Thursday before, from the data before it.
  CHECK(b.peak_units == a.peak_units);
  CHECK(b.actions == a.actions);
  CHECK(b.score.plan_unit_hours == a.score.plan_unit_hours);
  // Their scores are not: the release comes 120 hours into the 168-hour plan, and from it on
  // every hour of the tripled demand is short.
  CHECK(b.score.oracle_unit_hours > a.score.oracle_unit_hours);
  CHECK(b.score.coverage == doctest::Approx(120.0 / 168));
  CHECK(b.score.under_provisioned_minutes == doctest::Approx(48 * 60));
  CHECK(a.score.coverage >= 0.99);
}

TEST_CASE("plan backtest errors name what is wrong") {
  const Truth truth;
  SUBCASE("an invalid capacity model names its field") {
    CapacityModel model = HourlyModel();
    model.unit_capacity = 0;
    const auto zero = BacktestPlans(truth.series, truth.events, NoPrior(), model, 3, hours{168});
    REQUIRE_FALSE(zero.has_value());
    CHECK(zero.error().code == ErrorCode::kInvalidArgument);
    CHECK(zero.error().message.starts_with("unit_capacity:"));
    model = HourlyModel();
    model.lead_time = minutes{600};
    const auto late = BacktestPlans(truth.series, truth.events, NoPrior(), model, 3, hours{2});
    REQUIRE_FALSE(late.has_value());
    CHECK(late.error().message.starts_with("lead_time_minutes:"));
  }
  SUBCASE("no release with a window in the history") {
    const RegularSeries month = MakeSeries(Utc("2024-01-01T00:00:00Z"), hours{1}, 30 * 24, Pattern);
    const auto none = BacktestPlans(month, truth.events, NoPrior(), HourlyModel(), 3, hours{168});
    REQUIRE_FALSE(none.has_value());
    CHECK(none.error().code == ErrorCode::kUnprocessable);
    CHECK(none.error().message.starts_with("no release in the history"));
  }
  SUBCASE("zero events") {
    const auto zero =
        BacktestPlans(truth.series, truth.events, NoPrior(), HourlyModel(), 0, hours{168});
    REQUIRE_FALSE(zero.has_value());
    CHECK(zero.error().code == ErrorCode::kInvalidArgument);
  }
  SUBCASE("a plan over a gap has nothing to score") {
    RegularSeries gap = truth.series;
    const sys_seconds as_of = AdvanceNoticeThursday(truth.events[7]);
    for (std::size_t i = 0; i < gap.size(); ++i) {
      const sys_seconds t = gap.TimeAt(i);
      if (t >= as_of && t < as_of + hours{168}) gap.values[i] = kMissing;
    }
    const auto skipped = BacktestPlans(gap, truth.events, NoPrior(), HourlyModel(), 1, hours{168});
    REQUIRE_FALSE(skipped.has_value());
    CHECK(skipped.error().code == ErrorCode::kUnprocessable);
    CHECK(skipped.error().message == "no replayed plan has actual demand to score");
  }
}

}  // namespace
}  // namespace patchcast::forecasting
