#include "forecasting/backtest.h"

#include <doctest/doctest.h>

#include <cmath>

#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting {
namespace {

using calendars::Event;
using std::chrono::hours;
using std::chrono::sys_seconds;
using testing::InjectedExcess;
using testing::MakeSeries;
using testing::MonthlyReleases;
using testing::Pattern;
using testing::Utc;

TEST_CASE("the backtest scores each release against a known truth") {
  const std::vector<Event> events = MonthlyReleases(date::year{2024} / 1, 9);
  const sys_seconds start = Utc("2024-01-01T00:00:00Z");
  const RegularSeries series =
      MakeSeries(start, hours{1}, 250 * 24, [&](sys_seconds t) {  // to 2024-09-07
        double excess = 0;
        for (const Event& event : events) excess += InjectedExcess(t - event.start);
        return Pattern(t) * (1 + excess);
      });
  ForecastOptions options;
  options.use_prior = false;
  const Result<BacktestResult> result = Backtest(series, events, options, 3, hours{14 * 24});
  REQUIRE(result.has_value());
  // The last releases with a whole window in the data: June, July, August.
  REQUIRE(result->events.size() == 3);
  CHECK(result->events[0].event_id == "microsoft:2024-06-11:release");
  CHECK(result->events[2].event_id == "microsoft:2024-08-13:release");
  for (const EventScorecard& card : result->events) {
    CAPTURE(card.event_id);
    // As of the Thursday before, at the release's time of day.
    CHECK(card.start - card.as_of == hours{5 * 24});
    CHECK(date::weekday{date::floor<date::days>(card.as_of)} == date::Thursday);
    CHECK(card.window_steps == 48 + 192 + 1);
    // The window's highest demand: the +39 h morning wave on Thursday's late morning (+41 h).
    CHECK(card.actual_peak_ts == card.start + hours{41});
    CHECK(card.actual_peak ==
          doctest::Approx(Pattern(card.start + hours{41}) * (1 + InjectedExcess(hours{41}))));
    CHECK(std::abs(card.model.peak_error_pct) < 2);
    CHECK(card.model.peak_timing_error_minutes == 0);
    CHECK(card.model.mape_pct < 2);
    CHECK(card.model.coverage_p99 > 0.95);
    // Without events the surge is missed: the baseline's peak is the day's ordinary midday.
    CHECK(card.baseline_only.peak_error_pct < -25);
    CHECK(card.baseline_only.mape_pct > card.model.mape_pct);
    // A week earlier had no surge either.
    CHECK(card.seasonal_naive.peak_error_pct < -25);
  }
  CHECK(result->summary.events == 3);
  CHECK(result->summary.model.median_abs_peak_error_pct < 2);
  CHECK(result->summary.model.median_abs_timing_error_minutes == 0);
  CHECK(result->summary.seasonal_naive.median_abs_peak_error_pct > 25);
}

TEST_CASE("a backtest without releases in the history says so") {
  const RegularSeries series = MakeSeries(Utc("2024-01-01T00:00:00Z"), hours{1}, 30 * 24, Pattern);
  const Result<BacktestResult> none = Backtest(series, {}, {}, 12, hours{336});
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().code == ErrorCode::kUnprocessable);
  CHECK(none.error().message.starts_with("no release in the history has a complete event window"));
  const Result<BacktestResult> zero = Backtest(series, {}, {}, 0, hours{336});
  REQUIRE_FALSE(zero.has_value());
  CHECK(zero.error().code == ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace patchcast::forecasting
