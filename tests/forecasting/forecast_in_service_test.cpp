// What a kept forecast says about demand: the values of the step containing an instant, by level,
// and the demand at a quantile as a rate (interpolated between levels), on hand-made views.
#include "forecasting/forecast_in_service.h"

#include <doctest/doctest.h>

namespace patchcast::forecasting {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr std::chrono::sys_seconds kStart{std::chrono::sys_days{std::chrono::year{2026} / 12 / 8} +
                                          std::chrono::hours{16}};

// Two 5-minute points from 16:00 at levels 0.5, 0.9 and 0.99.
ForecastQuantiles TwoPoints() {
  return {minutes{5},
          {0.5, 0.9, 0.99},
          {kStart, kStart + minutes{5}},
          {100, 130, 170, 400, 520, 610.5}};
}

TEST_CASE("the view of a forecast holds its levels and each point's values in order") {
  Forecast forecast;
  forecast.quantile_levels = {0.5, 0.9, 0.99};
  forecast.points = {{kStart, 90, {100, 130, 170}}, {kStart + minutes{5}, 90, {400, 520, 610.5}}};
  CHECK(QuantilesOf(forecast, minutes{5}) == TwoPoints());
}

TEST_CASE("the values of the step containing the instant, one per level") {
  const ForecastQuantiles forecast = TwoPoints();
  CHECK(ValuesAt(forecast, kStart + seconds{450}) ==
        std::vector<LevelValue>{{0.5, 400}, {0.9, 520}, {0.99, 610.5}});
  CHECK(ValuesAt(forecast, kStart)[2].logins_per_step == 170);
  CHECK(ValuesAt(forecast, kStart + seconds{299})[0].logins_per_step == 100);
  CHECK(ValuesAt(forecast, kStart - seconds{1}).empty());   // not started
  CHECK(ValuesAt(forecast, kStart + minutes{10}).empty());  // ended
  CHECK(ValuesAt(ForecastQuantiles{}, kStart).empty());     // no points
}

TEST_CASE("the demand at a quantile is its count per second, interpolated between the levels") {
  const ForecastQuantiles forecast = TwoPoints();
  const TimedRate p99 = DemandRate(forecast, 0.99, 1);
  CHECK(p99.start == kStart);
  CHECK(p99.rate.step == minutes{5});
  CHECK(p99.rate.per_second == std::vector<double>{170.0 / 300, 610.5 / 300});
  CHECK(DemandRate(forecast, 0.5, 2).rate.per_second ==
        std::vector<double>{2 * 100.0 / 300, 2 * 400.0 / 300});
  const double between = DemandRate(forecast, 0.95, 1).rate.per_second[0] * 300;
  CHECK(between > 130);
  CHECK(between < 170);
}

TEST_CASE("a demand never goes below zero, even extrapolated") {
  ForecastQuantiles forecast{minutes{5}, {0.5, 0.9}, {kStart}, {0, 1}};
  CHECK(DemandRate(forecast, 0.01, 1).rate.per_second == std::vector<double>{0});
}

TEST_CASE("points not one step apart are found") {
  ForecastQuantiles forecast = TwoPoints();
  CHECK(PointsOneStepApart(forecast) == 2);
  forecast.starts[1] += minutes{1};
  CHECK(PointsOneStepApart(forecast) == 1);
}

}  // namespace
}  // namespace patchcast::forecasting
