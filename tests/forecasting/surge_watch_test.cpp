// Unit tests of FindSurges (surge_watch.h): when an actual surge is above the forecast in force,
// by either rule, when it is over, and what it skips. Hourly steps with a flat forecast: p90 120,
// p99 150 (so 1.5 x p90 is 180).
#include "forecasting/surge_watch.h"

#include <doctest/doctest.h>

#include <limits>
#include <vector>

#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::hours;
using testing::Utc;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::chrono::sys_seconds Hour(int h) { return Utc("2026-12-08T00:00:00Z") + hours{h}; }

ForecastRecord FlatForecast(int steps) {
  ForecastRecord record;
  record.id = "fc-1";
  record.step = hours{1};
  record.forecast.quantile_levels = {0.5, 0.9, 0.99};
  for (int h = 0; h < steps; ++h) record.forecast.points.push_back({Hour(h), 100, {100, 120, 150}});
  return record;
}

RegularSeries Actual(std::vector<double> values) { return {Hour(0), hours{1}, std::move(values)}; }

std::vector<SurgeEpisode> Surges(const std::vector<double>& values, SurgeRule rule = {}) {
  return FindSurges(FlatForecast(24), Actual(values), Hour(0), Hour(24), rule);
}

TEST_CASE("a surge within the p90, or above p99 for fewer than K steps, raises nothing") {
  CHECK(Surges({110, 115, 120, 119}).empty());
  CHECK(Surges({160, 160, 100, 160, 160, 100}).empty());
}

TEST_CASE("K steps above p99 raise an episode from the first, closed after K quiet steps") {
  const auto episodes = Surges({100, 100, 160, 170, 160, 100, 100, 100, 100});
  REQUIRE(episodes.size() == 1);
  CHECK(episodes[0].reason == SurgeReason::kAboveP99);
  CHECK(episodes[0].started == Hour(2));
  CHECK(episodes[0].peak_ratio == doctest::Approx(170.0 / 120));
  CHECK(episodes[0].peak_at == Hour(3));
  CHECK(episodes[0].ended == Hour(7));  // the third quiet step in a row
}

TEST_CASE("one step over p90 times the ratio raises at once; a quiet run must be unbroken") {
  const auto episodes = Surges({100, 190, 100, 130, 100, 100, 100});
  REQUIRE(episodes.size() == 1);
  CHECK(episodes[0].reason == SurgeReason::kOverP90Ratio);
  CHECK(episodes[0].started == Hour(1));
  CHECK(episodes[0].peak_ratio == doctest::Approx(190.0 / 120));
  // 130 is above the p90: the quiet run starts again after it, and ends at hour 6.
  CHECK(episodes[0].ended == Hour(6));
  // Still open when the actuals stop.
  const auto open = Surges({100, 190, 100});
  REQUIRE(open.size() == 1);
  CHECK_FALSE(open[0].ended);
  // A laxer ratio lets the same step pass.
  CHECK(Surges({100, 190, 100}, {.steps_above_p99 = 3, .p90_ratio = 2.0}).empty());
}

TEST_CASE("a second surge after the first is over is a second episode") {
  const auto episodes = Surges({190, 100, 100, 100, 160, 160, 160});
  REQUIRE(episodes.size() == 2);
  CHECK(episodes[0].ended == Hour(3));
  CHECK(episodes[1].started == Hour(4));
  CHECK(episodes[1].reason == SurgeReason::kAboveP99);
  CHECK_FALSE(episodes[1].ended);
}

TEST_CASE("missing actuals, steps without a forecast and steps outside the range are skipped") {
  // A gap inside the run above p99 does not break it.
  const auto gap = Surges({160, kNaN, 160, 160});
  REQUIRE(gap.size() == 1);
  CHECK(gap[0].started == Hour(0));
  // Beyond the forecast's 24 steps nothing is compared.
  std::vector<double> late(24, 100);
  late.insert(late.end(), {500, 500, 500});
  CHECK(FindSurges(FlatForecast(24), Actual(late), Hour(0), Hour(27), {}).empty());
  // Before `from` nothing is compared.
  CHECK(FindSurges(FlatForecast(24), Actual({500, 100, 100}), Hour(1), Hour(3), {}).empty());
  CHECK(ToString(SurgeReason::kAboveP99) == "above_p99");
  CHECK(ToString(SurgeReason::kOverP90Ratio) == "over_p90_ratio");
}

}  // namespace
}  // namespace patchcast::forecasting
