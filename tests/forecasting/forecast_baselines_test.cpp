// Unit tests of the forecast steps' baselines (forecast_baselines.h): what the days since a zone's
// clock change teach the profile, and on which steps of the forecast it applies.
#include "forecasting/forecast_baselines.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cstddef>
#include <vector>

#include "forecasting/forecast.h"
#include "tests/forecasting/forecast_steps_fixture.h"
#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::hours;
using std::chrono::sys_seconds;
using testing::StepsFixture;
using testing::Utc;

// Sydney's morning adds half the quiet level: on New York's clock it was at 17:00 until
// 2024-03-10T07:00Z, and is at 18:00 since.
constexpr double kQuiet = 100;
constexpr double kMorning = 50;
constexpr std::size_t kMorningBefore = 17;  // New York's hour of Sydney's 09:00 before the change
constexpr std::size_t kMorningSince = 18;
sys_seconds NewYorkMoved() { return Utc("2024-03-10T07:00:00Z"); }

RegularSeries Mornings(int weeks) { return testing::SydneyMornings(weeks, kQuiet, kMorning); }

ForecastOptions NewYorkAndSydney(sys_seconds as_of) {
  ForecastOptions options;
  options.as_of = as_of;
  options.horizon = hours{168};
  options.quantiles = {0.5};
  options.zone_mix = {{"America/New_York", 0.6}, {"Australia/Sydney", 0.4}};
  return options;
}

// How far the correction trusts the days since the change: days / (days + 1).
double TrustAfter(sys_seconds as_of) {
  const double days =
      std::chrono::duration<double, std::ratio<86'400>>(as_of - NewYorkMoved()).count();
  return days / (days + 1);
}

TEST_CASE(
    "RecentClockCorrection moves a minority zone's hour to where the days since the change put "
    "it") {
  // Five days after New York's change the profile still has Sydney's morning at 17:00 (four of
  // its five weeks); the days since show it at 18:00.
  const sys_seconds as_of = Utc("2024-03-15T00:00:00Z");
  StepsFixture f(Mornings(6), {}, NewYorkAndSydney(as_of));
  f.Fit();
  REQUIRE(f.ctx.baseline.profile[kMorningBefore] == doctest::Approx(kQuiet + kMorning));
  const std::vector<double> correction = forecast_steps::RecentClockCorrection(f.ctx);
  REQUIRE(correction.size() == 24);
  const double trust = TrustAfter(as_of);
  CHECK(correction[kMorningSince] == doctest::Approx(1 + trust * (kMorning / kQuiet)));
  CHECK(correction[kMorningBefore] ==
        doctest::Approx(1 + trust * (kQuiet / (kQuiet + kMorning) - 1)));
  for (std::size_t hour : {0, 3, 12, 16, 19, 23}) {
    CAPTURE(hour);
    CHECK(correction[hour] == doctest::Approx(1));
  }
}

TEST_CASE("RecentClockCorrection moves the shape only, not the level") {
  // The days since the change are 30 % busier at every hour: the level is not the clocks' doing.
  const sys_seconds as_of = Utc("2024-03-15T00:00:00Z");
  RegularSeries series = Mornings(6);
  for (std::size_t i = 0; i < series.size(); ++i) {
    if (series.TimeAt(i) >= NewYorkMoved()) series.values[i] *= 1.3;
  }
  StepsFixture f(std::move(series), {}, NewYorkAndSydney(as_of));
  f.Fit();
  const std::vector<double> correction = forecast_steps::RecentClockCorrection(f.ctx);
  REQUIRE(correction.size() == 24);
  const double trust = TrustAfter(as_of);
  CHECK(correction[kMorningSince] ==
        doctest::Approx(1 + trust * (kMorning / kQuiet)).epsilon(0.02));
  CHECK(correction[3] == doctest::Approx(1).epsilon(0.02));
}

TEST_CASE("RecentClockCorrection has nothing to correct") {
  ForecastOptions options = NewYorkAndSydney(Utc("2024-03-15T00:00:00Z"));
  SUBCASE("one zone") { options.zone_mix = {{"America/New_York", 1.0}}; }
  SUBCASE("three weeks on today's clocks: the profile is their own") {
    options.as_of = Utc("2024-04-01T00:00:00Z");
  }
  SUBCASE("under two days since the change") { options.as_of = Utc("2024-03-11T12:00:00Z"); }
  StepsFixture f(Mornings(8), {}, options);
  f.Fit();
  CHECK(forecast_steps::RecentClockCorrection(f.ctx).empty());
}

TEST_CASE("ForecastBaselines applies the correction until a zone's clock moves again") {
  // Sydney leaves daylight saving at 2024-04-06T16:00Z, inside the week from 2024-04-04.
  StepsFixture f(Mornings(9), {}, NewYorkAndSydney(Utc("2024-04-04T00:00:00Z")));
  f.Fit();
  const sys_seconds sydney_moved = Utc("2024-04-06T16:00:00Z");
  const std::vector<double> doubled(24, 2.0);
  const std::vector<double> baselines =
      forecast_steps::ForecastBaselines(f.ctx, f.zones, f.grid, doubled);
  const std::vector<double> plain = forecast_steps::ForecastBaselines(f.ctx, f.zones, f.grid, {});
  REQUIRE(baselines.size() == f.grid.horizon_steps);
  REQUIRE(plain.size() == f.grid.horizon_steps);
  std::size_t doubled_steps = 0;
  for (std::size_t j = 0; j < f.grid.horizon_steps; ++j) {
    const sys_seconds ts = f.history.TimeAt(static_cast<std::size_t>(f.grid.first_step) + j);
    CAPTURE(j);
    CHECK(plain[j] == doctest::Approx(f.ctx.baseline.At(f.grid.slots[j], ts)));
    CHECK(baselines[j] == doctest::Approx(ts < sydney_moved ? 2 * plain[j] : plain[j]));
    doubled_steps += ts < sydney_moved ? 1 : 0;
  }
  CHECK(doubled_steps == 64);  // 2024-04-04T00:00Z .. 04-06T15:00Z
}

TEST_CASE("ForecastDemand puts a minority zone's hour where the days since its clock change do") {
  // Five days after New York's change. The profile alone would forecast Sydney's morning at 17:00
  // New York time, as in the four weeks before.
  Result<Forecast> forecast =
      ForecastDemand(Mornings(6), {}, NewYorkAndSydney(Utc("2024-03-15T00:00:00Z")));
  REQUIRE(forecast.has_value());
  const auto p50_at = [&](const char* utc) {
    for (const ForecastPoint& point : forecast->points) {
      if (point.ts == Utc(utc)) return point.quantiles[0];
    }
    FAIL("no forecast point at " << utc);
    return 0.0;
  };
  // Friday: 21:00Z is 17:00 in New York, 22:00Z 18:00 (Sydney's 09:00).
  CHECK(p50_at("2024-03-15T22:00:00Z") > 1.3 * kQuiet);
  CHECK(p50_at("2024-03-15T21:00:00Z") < 1.15 * kQuiet);
  CHECK(p50_at("2024-03-15T22:00:00Z") > p50_at("2024-03-15T21:00:00Z"));
}

}  // namespace
}  // namespace patchcast::forecasting
