// Scale windows of a kept plan: runs of buckets above the routine peak, started by their first
// scale-out's issue and ended back at rest, on hand-made plans and on one the planner made.
#include "forecasting/scale_windows.h"

#include <doctest/doctest.h>

#include "tests/forecasting/plan_record_fixture.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::Action;
using testing::HourlyPlan;
using testing::kHourlyStart;
using testing::TwoWindowsPlan;

TEST_CASE("scale windows are the runs above the routine peak, from the first scale-out's issue") {
  const CapacityPlan plan = TwoWindowsPlan().plan;
  const ScaleWindows found = FindScaleWindows(plan);
  // The most units a scale-out without an event brings; not the fewest (3), which would make the
  // routine rise at 02:00 part of a window.
  CHECK(found.resting_units == 5);
  REQUIRE(found.windows.size() == 2);
  const ScaleWindow& wave = found.windows[0];
  CHECK(wave.first_bucket == 3);
  CHECK(wave.end_bucket == 5);
  CHECK(wave.start == kHourlyStart + minutes{165});  // lead time before the first bucket
  CHECK(wave.end == kHourlyStart + hours{5});        // back at rest
  CHECK(wave.peak_units == 8);
  CHECK(wave.peak_bucket == 3);
  CHECK(wave.peak_demand == 64);
  CHECK(wave.actions == std::vector<std::size_t>{1, 2});
  CHECK(PeakAction(plan, wave) == 1);
  const ScaleWindow& oob = found.windows[1];
  CHECK(oob.first_bucket == 7);
  CHECK(oob.end_bucket == 9);
  CHECK(oob.start == kHourlyStart + minutes{405});
  CHECK(oob.end == kHourlyStart + hours{9});  // the plan's end: it never comes back
  CHECK(oob.actions == std::vector<std::size_t>{4});
}

TEST_CASE("without routine scale-outs the resting level is the fewest units") {
  PlanRecord record = TwoWindowsPlan();
  record.plan.actions.erase(record.plan.actions.begin());
  const ScaleWindows found = FindScaleWindows(record.plan);
  CHECK(found.resting_units == 3);
  REQUIRE(found.windows.size() == 2);
  CHECK(found.windows[0].first_bucket == 2);
  CHECK(found.windows[0].end_bucket == 6);
  CHECK(found.windows[0].end == kHourlyStart + hours{6});
}

TEST_CASE("a plan that starts above rest, without actions, opens its window at its start") {
  const CapacityPlan plan = HourlyPlan({5, 5, 3, 3}, {}).plan;
  const ScaleWindows found = FindScaleWindows(plan);
  REQUIRE(found.windows.size() == 1);
  CHECK(found.windows[0].start == kHourlyStart);
  CHECK(found.windows[0].end == kHourlyStart + hours{2});
  CHECK_FALSE(PeakAction(plan, found.windows[0]).has_value());
}

TEST_CASE("a window counts its buckets at risk and names the scale-out that reaches its peak") {
  PlanRecord record =
      HourlyPlan({3, 6, 9, 3}, {Action(0, 60, ActionKind::kScaleOut, 6, "first step", "e:1"),
                                Action(60, 120, ActionKind::kScaleOut, 9, "second step", "e:1")});
  record.plan.buckets[2].at_risk = true;
  const ScaleWindows found = FindScaleWindows(record.plan);
  REQUIRE(found.windows.size() == 1);
  CHECK(found.windows[0].at_risk_buckets == 1);
  CHECK(found.windows[0].peak_units == 9);
  CHECK(PeakAction(record.plan, found.windows[0]) == 1);
}

TEST_CASE("a flat plan, or one without buckets, has no windows") {
  const ScaleWindows flat = FindScaleWindows(HourlyPlan({4, 4, 4}, {}).plan);
  CHECK(flat.resting_units == 4);
  CHECK(flat.windows.empty());
  CHECK(FindScaleWindows(CapacityPlan{}).windows.empty());
}

// A plan the planner made, at 5-minute steps: 100 logins/s, a routine rise to 150 for the first
// two hours, and a release that doubles demand from 04:00 to 06:00.
TEST_CASE("the windows of a real plan are its event's surge above the routine peak") {
  Forecast forecast;
  forecast.quantile_levels = {0.5, 0.9, 0.99};
  for (int i = 0; i < 12 * 12; ++i) {
    const double rate = (i >= 48 && i < 72) ? 200 : (i >= 12 && i < 24) ? 150 : 100;
    ForecastPoint point;
    point.ts = kHourlyStart + minutes{5 * i};
    point.quantiles = {0.8 * rate * 300, 0.9 * rate * 300, rate * 300};
    point.baseline = 0.8 * 100 * 300;
    forecast.points.push_back(point);
  }
  EventForecast release;
  release.id = "microsoft:2026-12-08:release";
  release.calendar_id = "microsoft";
  release.start = kHourlyStart + hours{4};
  release.peak.ts = release.start;
  forecast.events.push_back(release);
  CapacityModel model;
  model.unit_capacity = 10;
  model.lead_time = minutes{20};
  model.min_action_interval = minutes{10};
  model.scale_in_step_fraction = 1;
  model.hold_after_event = minutes{0};
  auto plan = PlanCapacity(forecast, std::chrono::seconds{300}, model);
  REQUIRE(plan);
  const ScaleWindows found = FindScaleWindows(*plan);
  CHECK(found.resting_units == 18);  // the routine rise: ceil(150 x 1.2 / 10)
  REQUIRE(found.windows.size() == 1);
  const ScaleWindow& window = found.windows[0];
  CHECK(window.peak_units == 24);  // ceil(200 x 1.2 / 10)
  CHECK(window.first_bucket == 48);
  CHECK(window.end_bucket == 72);
  // Issued lead_time before the surge, the window ends when the units are back at rest.
  CHECK(window.start == kHourlyStart + minutes{5 * 48} - minutes{20});
  CHECK(window.end == kHourlyStart + minutes{5 * 72});
  const std::optional<std::size_t> cause = PeakAction(*plan, window);
  REQUIRE(cause);
  CHECK(plan->actions[*cause].event_id == "microsoft:2026-12-08:release");
}

}  // namespace
}  // namespace patchcast::forecasting
