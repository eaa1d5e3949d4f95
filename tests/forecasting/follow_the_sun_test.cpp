// Follow the sun (issue 15, part 3): a reboot wave reaches each zone of a series' mix in turn, and
// the zones already reached show how big it is. Ten hours into a release (04:00Z: Tokyo's install
// night and morning and Berlin's install are in; Berlin's morning, New York and Los Angeles are
// still to come), the first zones are made to come in at 1.4 times, or exactly at, what the
// forecast made at the release expected of them. The 40 % surge must raise the forecast and the
// plan for the hours still to come; the surge as forecast must leave them where they were.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "forecasting/capacity_plan.h"
#include "forecasting/forecast.h"
#include "forecasting/synthetic_telemetry.h"
#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::hours;
using std::chrono::sys_seconds;
using testing::MonthlyReleases;
using testing::Utc;

constexpr hours kIntoRelease{10};
constexpr hours kAhead{24};

// A year of hourly telemetry from four zones (synthetic_telemetry.h's default mix), with a release
// on the second Tuesday of each month at 18:00Z; the last is 8 December 2026.
struct Fleet {
  SyntheticOptions options;
  RegularSeries history;
  std::vector<calendars::Event> events;
  sys_seconds release{};
  sys_seconds as_of{};

  Fleet() {
    events = MonthlyReleases(date::year{2025} / 12, 13);
    release = events.back().start;
    as_of = release + kIntoRelease;
    options.start = Utc("2025-12-01T00:00:00Z");
    options.end = release;
    auto generated = GenerateSyntheticTelemetry(options, events);
    REQUIRE(generated);
    history = std::move(generated->series);
  }

  Forecast ForecastAsOf(const RegularSeries& series, sys_seconds at, hours horizon) const {
    ForecastOptions forecast_options;
    forecast_options.as_of = at;
    forecast_options.horizon = horizon;
    forecast_options.zone_mix = options.regions;
    auto forecast = ForecastDemand(series, events, forecast_options);
    REQUIRE(forecast);
    return std::move(*forecast);
  }

  // The history, then the release's first ten hours as `expected` forecast them, its excess over
  // the baseline times `factor`.
  RegularSeries Observed(const Forecast& expected, double factor) const {
    RegularSeries series = history;
    for (const ForecastPoint& point : expected.points) {
      if (point.ts >= as_of) break;
      series.values.push_back(point.baseline + factor * (point.quantiles[0] - point.baseline));
    }
    return series;
  }
};

// The p50 excess over the baseline `forecast` expects in [from, from + kAhead).
double ExcessAhead(const Forecast& forecast, sys_seconds from) {
  double excess = 0;
  for (const ForecastPoint& point : forecast.points) {
    if (point.ts >= from && point.ts < from + kAhead) excess += point.quantiles[0] - point.baseline;
  }
  return excess;
}

// The most demand the plan on `forecast` covers in [from, from + kAhead): its p99, before a
// unit's rounding hides a change of a few per cent.
double PeakDemandAhead(const Forecast& forecast, sys_seconds from) {
  CapacityModel model;
  model.unit_capacity = 2;  // logins a second one unit serves
  auto plan = PlanCapacity(forecast, hours{1}, model);
  REQUIRE(plan);
  double demand = 0;
  for (const PlanBucket& bucket : plan->buckets) {
    if (bucket.ts >= from && bucket.ts < from + kAhead)
      demand = std::max(demand, bucket.demand_logins_per_second);
  }
  return demand;
}

TEST_CASE("the zones reached first resize the wave expected in the zones still to come") {
  const Fleet fleet;
  const Forecast at_release =
      fleet.ForecastAsOf(fleet.history, fleet.release, kIntoRelease + kAhead);
  const Forecast as_forecast =
      fleet.ForecastAsOf(fleet.Observed(at_release, 1.0), fleet.as_of, kAhead);
  const Forecast bigger = fleet.ForecastAsOf(fleet.Observed(at_release, 1.4), fleet.as_of, kAhead);

  // What has been seen is the first zones' share of the first pass, and it resizes the wave.
  const EventForecast& seen = bigger.events.back();
  CHECK(seen.id == "microsoft:2026-12-08:release");
  CHECK(seen.observed_share > 0.05);
  CHECK(seen.observed_share < 0.5);
  CHECK(seen.magnitude == doctest::Approx(1 + 0.4 * seen.observed_share).epsilon(0.02));
  CHECK(seen.observed_scale == doctest::Approx(1 + 0.4 * seen.observed_share).epsilon(0.02));
  CHECK(seen.observed_zones == std::vector<std::string>{"Europe/Berlin", "Asia/Tokyo"});
  CHECK(at_release.events.back().observed_zones.empty());
  CHECK(as_forecast.events.back().magnitude == doctest::Approx(1).epsilon(0.02));

  const double expected_ahead = ExcessAhead(at_release, fleet.as_of);
  MESSAGE("excess ahead: at the release "
          << expected_ahead << ", seen as forecast " << ExcessAhead(as_forecast, fleet.as_of)
          << ", seen 40 % bigger " << ExcessAhead(bigger, fleet.as_of));
  CHECK(ExcessAhead(as_forecast, fleet.as_of) == doctest::Approx(expected_ahead).epsilon(0.03));
  CHECK(ExcessAhead(bigger, fleet.as_of) > (1 + 0.3 * seen.observed_share) * expected_ahead);

  // The plan for the zones still to come rises before their wave. Seen as forecast, it stays,
  // a little lower: what has been seen of the size narrows its band.
  const double planned = PeakDemandAhead(at_release, fleet.as_of);
  const double as_forecast_demand = PeakDemandAhead(as_forecast, fleet.as_of);
  CHECK(as_forecast_demand == doctest::Approx(planned).epsilon(0.03));
  CHECK(as_forecast_demand <= planned);
  // The surge raises the wave still to come by 0.4 x the share seen (4 % at a tenth); the plan's
  // peak, its baseline included, by at least a quarter of that.
  CHECK(PeakDemandAhead(bigger, fleet.as_of) >
        (1 + 0.25 * 0.4 * seen.observed_share) * as_forecast_demand);
}

}  // namespace
}  // namespace patchcast::forecasting
