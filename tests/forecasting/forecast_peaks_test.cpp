// Unit tests of the last step of ForecastDemand (forecast_peaks.h): each upcoming event's peak, and
// the summary of what the forecast learned from.
#include "forecasting/forecast_peaks.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "tests/forecasting/forecast_steps_fixture.h"
#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting {
namespace {

using calendars::Event;
using calendars::EventKind;
using forecast_steps::EventRef;
using forecast_steps::Group;
using forecast_steps::StepQuantiles;
using forecast_steps::StepState;
using forecast_steps::Upcoming;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_seconds;
using testing::MakeEvent;
using testing::PatternWeeks;
using testing::SeriesStart;
using testing::StepsFixture;
using testing::Utc;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Three exact weeks of Pattern() to as_of 2024-01-22T00:00Z (step 504), so that every quiet
// residual is 0 and each step's quantiles are its median b (1 + x); a 48-step horizon, windows of
// 2 h before and 10 h after, and events:
//  - microsoft, upcoming at as_of + 5 h (step 509): its window is forecast steps 5..15;
//  - oracle, under way: started at as_of - 4 h (step 500), its window ends at forecast step 6;
//  - adobe, past: started at as_of - 20 h (step 484), its window ended at step 494.
// The forecast steps' medians are set by hand: a baseline of 100 and no excess, except
//   step 2: 100 x 4 = 400 (before microsoft's start), step 7: 300 x 1.5 = 450,
//   step 14: 100 x 1.9 = 190, step 20: 100 x 3 = 300 (after microsoft's window).
struct PeakCase {
  PeakCase()
      : f(PatternWeeks(3),
          {MakeEvent("microsoft", EventKind::kRelease, Utc("2024-01-22T05:00:00Z")),
           MakeEvent("oracle", EventKind::kRelease, Utc("2024-01-21T20:00:00Z")),
           MakeEvent("adobe", EventKind::kRelease, Utc("2024-01-21T04:00:00Z"))},
          Options()) {
    f.Fit();
    REQUIRE(f.grid.first_step == 504);
    REQUIRE(f.grid.horizon_steps == 48);
    REQUIRE(f.ctx.post == 10);
    states.assign(48, StepState{.baseline = 100, .excess = 0, .horizon_day = 0, .dominant = -1});
    SetExcess(2, 3);
    states[7].baseline = 300;
    SetExcess(7, 0.5);
    SetExcess(14, 0.9);
    SetExcess(20, 2);
    group.prior_weight = 1;  // the prior alone: the peak's window is its timing spread
  }
  // Step j's median excess, the same whether the prior's waves are spread over their timing or
  // at their hours.
  void SetExcess(std::size_t j, double excess) {
    states[j].excess = excess;
    states[j].excess_at_prior_hours = excess;
  }
  static ForecastOptions Options() {
    ForecastOptions options;
    options.horizon = hours{48};
    options.window_before = hours{2};
    options.window_after = hours{10};
    options.prior.peak_timing_spread_hours = 3;  // the prior's peak window: 3 h either way
    return options;
  }
  const EventRef& Ref(const std::string& calendar) const {
    for (const EventRef& ref : f.refs) {
      if (ref.event->calendar_id == calendar) return ref;
    }
    FAIL("no event of " << calendar);
    return f.refs.front();
  }
  EventForecast Peak(const std::string& calendar) {
    const std::vector<EventRef> no_refs;
    const std::vector<Group> no_groups;
    const std::vector<Upcoming> no_upcoming;
    const StepQuantiles quantiles(f.ctx, no_refs, no_groups, no_upcoming, states);
    Forecast forecast;
    forecast.quantile_levels = {0.5, 0.9, 0.99};
    forecast.points =
        forecast_steps::QuantilePoints(f.ctx, f.grid, states, quantiles, forecast.quantile_levels);
    return forecast_steps::ForecastEventPeak(f.ctx, f.grid, Ref(calendar), group, up, states,
                                             quantiles, forecast, quiet_peaks);
  }
  sys_seconds AsOf(int plus_hours) const { return f.grid.as_of + hours{plus_hours}; }

  StepsFixture f;
  std::vector<StepState> states;
  Group group;
  Upcoming up;
  std::vector<double> quiet_peaks;  // sorted log ratios (QuietDailyPeakLogRatios); none here
};

// The peak's height at every level: the quantiles of its step, all `median` (no quiet spread).
void CheckHeights(const EventForecast& peak, double median) {
  REQUIRE(peak.peak.quantiles.size() == 3);
  for (double height : peak.peak.quantiles) CHECK(height == doctest::Approx(median));
}

TEST_CASE("an event's peak is the highest median step from its start to its window's end") {
  PeakCase c;
  const EventForecast peak = c.Peak("microsoft");
  CHECK(peak.id == "microsoft:2024-01-22:release");
  CHECK(peak.calendar_id == "microsoft");
  CHECK(peak.kind == EventKind::kRelease);
  CHECK(peak.start == c.AsOf(5));
  // Step 7 (450), not step 2 (before the start) nor step 20 (after the window), nor step 14, with
  // the largest excess.
  CHECK(peak.peak.ts == c.AsOf(7));
  CheckHeights(peak, 450);
  // The prior's timing spread, 3 h either way, clamped to the start: 5 h .. 10 h.
  CHECK(peak.peak.window.p10 == c.AsOf(5));
  CHECK(peak.peak.window.p90 == c.AsOf(10));
  // The largest multiple of the baseline is at step 14, not at the peak.
  CHECK(peak.lift_p50 == doctest::Approx(1.9));
}

TEST_CASE("without a calibrated curve, the quiet days' peak ratios lift the peak's heights") {
  PeakCase c;
  c.quiet_peaks = {std::log(1.1), std::log(1.2), std::log(1.3)};
  const EventForecast peak = c.Peak("microsoft");
  CHECK(peak.peak.ts == c.AsOf(7));
  REQUIRE(peak.peak.quantiles.size() == 3);
  // The step's quantiles are all 450; the ratios' quantiles interpolate at q * (n - 1).
  const auto lifted = [](double q) {
    const double position = q * 2;
    const double low = position < 1 ? std::log(1.1) : std::log(1.2);
    const double high = position < 1 ? std::log(1.2) : std::log(1.3);
    return 450 * std::exp(low + (position - std::floor(position)) * (high - low));
  };
  CHECK(peak.peak.quantiles[0] == doctest::Approx(450 * 1.2));
  CHECK(peak.peak.quantiles[1] == doctest::Approx(lifted(0.9)));
  CHECK(peak.peak.quantiles[2] == doctest::Approx(lifted(0.99)));
  // The points themselves are not lifted.
  CHECK(peak.lift_p50 == doctest::Approx(1.9));
}

TEST_CASE("quiet days whose tops sit below their baseline's never lower the peak") {
  PeakCase c;
  c.quiet_peaks = {std::log(0.8), std::log(0.9)};
  CheckHeights(c.Peak("microsoft"), 450);
}

TEST_CASE("a prior-driven peak is the wave's top at the prior's hours, not the spread line's") {
  // Spread over its timing, the prior's wave is lower and wider: the median line is 300 x 1.2 =
  // 360 at step 7 and tops the window at step 11 (300 x 1.4 = 420). At the prior's hours the wave
  // tops out at step 7 (300 x 1.5 = 450), and step 11 is 330.
  PeakCase c;
  c.states[7].excess = 0.2;  // spread: 360
  c.states[11].baseline = 300;
  c.states[11].excess = 0.4;                 // spread: 420, the median line's top in the window
  c.states[11].excess_at_prior_hours = 0.1;  // at its hours: 330
  const EventForecast peak = c.Peak("microsoft");
  CHECK(peak.peak.ts == c.AsOf(7));
  CheckHeights(peak, 450);
  // The points follow the spread line: their largest lift in the window is still step 14's.
  CHECK(peak.lift_p50 == doctest::Approx(1.9));
}

TEST_CASE("QuietDailyPeakLogRatios: each recent quiet day's top over its baseline's top") {
  // Three weeks of Pattern(), whose fitted profile is Pattern() itself; on the last day (step 480
  // on) midday is half as high again, and the day before lost a third of its steps to a gap.
  RegularSeries series = PatternWeeks(3);
  series.values[480 + 12] *= 1.5;
  for (std::size_t i = 456; i < 464; ++i) series.values[i] = kNaN;
  StepsFixture f(std::move(series), {}, PeakCase::Options());
  f.Fit();
  const std::vector<double> ratios = forecast_steps::QuietDailyPeakLogRatios(f.ctx);
  // 21 whole days, less the one with the gap; 19 tops on the profile's, one 1.5 times it. (The
  // median profile over three weeks keeps Pattern() at the raised slot.)
  REQUIRE(ratios.size() == 20);
  CHECK(std::is_sorted(ratios.begin(), ratios.end()));
  for (std::size_t d = 0; d < 19; ++d) CHECK(ratios[d] == doctest::Approx(0).epsilon(1e-12));
  CHECK(ratios[19] == doctest::Approx(std::log(1.5)));
}

TEST_CASE("an event's peak window is clamped to the end of its window") {
  PeakCase c;
  c.states[14].baseline = 400;  // 760: the peak, at 14 h; its window ends at 15 h
  const EventForecast peak = c.Peak("microsoft");
  CHECK(peak.peak.ts == c.AsOf(14));
  CheckHeights(peak, 760);
  CHECK(peak.peak.window.p10 == c.AsOf(11));
  CHECK(peak.peak.window.p90 == c.AsOf(15));
  CHECK(peak.lift_p50 == doctest::Approx(1.9));
}

TEST_CASE("an event under way at as_of peaks within the rest of its window") {
  PeakCase c;
  const EventForecast peak = c.Peak("oracle");
  // Forecast steps 0..6 remain; step 2 (400) is the highest; the window runs from as_of.
  CHECK(peak.peak.ts == c.AsOf(2));
  CHECK(peak.peak.window.p10 == c.AsOf(0));
  CHECK(peak.peak.window.p90 == c.AsOf(5));
  CHECK(peak.lift_p50 == doctest::Approx(4));
}

TEST_CASE("an event whose window lies before as_of peaks at its start, with no height") {
  PeakCase c;
  const EventForecast peak = c.Peak("adobe");
  CHECK(peak.peak.ts == Utc("2024-01-21T04:00:00Z"));
  CHECK(peak.peak.window.p10 == peak.peak.ts);
  CHECK(peak.peak.window.p90 == peak.peak.ts);
  REQUIRE(peak.peak.quantiles.size() == 3);
  for (double height : peak.peak.quantiles) CHECK(std::isnan(height));
  CHECK(std::isnan(peak.lift_p50));
}

TEST_CASE("an event's forecast carries its size, observed share and prior weight") {
  PeakCase c;
  c.group.prior_weight = 0.25;
  c.up.magnitude = 2;
  c.up.prior_magnitude = 0;
  c.up.observed_scale = 1.5;
  c.up.observed_share = 0.3;
  c.up.what_if = 2;
  const EventForecast peak = c.Peak("microsoft");
  // (0.25 x 0 + 0.75 x 2) x 1.5 x 2.
  CHECK(peak.magnitude == doctest::Approx(4.5));
  CHECK(peak.observed_share == 0.3);
  CHECK(peak.prior_weight == 0.25);
  CHECK(peak.events_used == 0);  // no curve
}

TEST_CASE("a group with a calibrated curve gives the peak's window and heights from its errors") {
  // The median peaks at step 7 (450), and the peak stays there. Timing errors -60, 60, 60, 120
  // minutes: 10 % at -24 (0 steps), 90 % at +102 (2 steps). Peak log ratios -0.1, 0, 0.1: 0 at the
  // median, 0.08 at 0.9, 0.098 at 0.99.
  PeakCase c;
  c.group.curve = testing::Curve({0.5}, 0);
  c.group.curve->peak_timing_minutes = {-60, 60, 60, 120};
  c.group.curve->peak_log_ratios = {-0.1, 0, 0.1};
  c.group.prior_weight = 0.1;
  c.group.past = {0, 1, 2};
  SUBCASE("calibrated") {
    const EventForecast peak = c.Peak("microsoft");
    CHECK(peak.events_used == 3);
    CHECK(peak.peak.ts == c.AsOf(7));
    CHECK(peak.peak.window.p10 == c.AsOf(7));
    CHECK(peak.peak.window.p90 == c.AsOf(9));
    REQUIRE(peak.peak.quantiles.size() == 3);
    CHECK(peak.peak.quantiles[0] == doctest::Approx(450));
    CHECK(peak.peak.quantiles[1] == doctest::Approx(450 * std::exp(0.08)));
    CHECK(peak.peak.quantiles[2] == doctest::Approx(450 * std::exp(0.098)));
  }
  SUBCASE("errors all 3 h early: the window is clamped to the start and still holds the peak") {
    c.group.curve->peak_timing_minutes = {-180, -180, -180};
    const EventForecast peak = c.Peak("microsoft");
    CHECK(peak.peak.ts == c.AsOf(7));
    CHECK(peak.peak.window.p10 == c.AsOf(5));  // 4 h, before the start
    CHECK(peak.peak.window.p90 == c.AsOf(7));  // 4 h, before the peak
  }
  SUBCASE("errors all late: the window still holds the peak") {
    // 10 %: 72 minutes (1 step), 90 %: 168 minutes (3 steps).
    c.group.curve->peak_timing_minutes = {60, 120, 180};
    const EventForecast peak = c.Peak("microsoft");
    CHECK(peak.peak.ts == c.AsOf(7));
    CHECK(peak.peak.window.p10 == c.AsOf(7));
    CHECK(peak.peak.window.p90 == c.AsOf(10));
  }
  SUBCASE("the prior weighing half: not calibrated, the prior's spread") {
    c.group.prior_weight = 0.5;
    const EventForecast peak = c.Peak("microsoft");
    CHECK(peak.peak.ts == c.AsOf(7));
    CHECK(peak.peak.window.p10 == c.AsOf(5));
    CHECK(peak.peak.window.p90 == c.AsOf(10));
    CheckHeights(peak, 450);
  }
  SUBCASE("fewer than three past peaks: not calibrated") {
    c.group.curve->peak_log_ratios = {-0.1, 0.1};
    const EventForecast peak = c.Peak("microsoft");
    CHECK(peak.peak.ts == c.AsOf(7));
    CHECK(peak.peak.window.p10 == c.AsOf(5));
    CHECK(peak.peak.window.p90 == c.AsOf(10));
    CheckHeights(peak, 450);
  }
}

// Three weeks with gaps in the first 5 steps, as_of half an hour into step 300.
struct SummaryCase {
  SummaryCase()
      : f(PatternWeeks(3, [](std::size_t i) { return i < 5 ? kNaN : 1.0; }), {}, [] {
          ForecastOptions options;
          options.as_of = SeriesStart() + hours{300} + minutes{30};
          return options;
        }()) {
    f.Place();
    // Event r in group group_of[r]; groups: 0 learned (weight 0, a past event), 1 prior only
    // (weight 1, no past events), 2 blended (weight 0.3, a past event).
    const std::vector<std::size_t> group_of = {0, 1, 2, 0};
    for (std::size_t g : group_of) {
      EventRef ref;
      ref.group = g;
      refs.push_back(ref);
    }
    groups.resize(3);
    groups[0].prior_weight = 0;
    groups[0].past = {0};
    groups[1].prior_weight = 1;
    groups[2].prior_weight = 0.3;
    groups[2].past = {2};
  }
  ModelSummary Summarize(const std::vector<std::size_t>& upcoming_refs) const {
    std::vector<Upcoming> upcoming;
    for (std::size_t r : upcoming_refs) {
      Upcoming up;
      up.ref = r;
      upcoming.push_back(up);
    }
    return forecast_steps::SummarizeModel(f.ctx, refs, groups, upcoming, 7);
  }
  StepsFixture f;
  std::vector<EventRef> refs;
  std::vector<Group> groups;
};

TEST_CASE("SummarizeModel: the model kind by the largest prior weight of the upcoming events") {
  SummaryCase c;
  struct Row {
    std::vector<std::size_t> upcoming;
    double prior_weight;
    ModelKind kind;
  };
  const std::vector<Row> rows = {
      {{3}, 0, ModelKind::kLearned},
      {{1}, 1, ModelKind::kPrior},
      {{3, 2}, 0.3, ModelKind::kBlended},
      {{0, 1, 2}, 1, ModelKind::kPrior},
      // None upcoming: the groups with past events (not group 1): at most 0.3.
      {{}, 0.3, ModelKind::kBlended},
  };
  for (const Row& row : rows) {
    CAPTURE(row.upcoming.size());
    const ModelSummary model = c.Summarize(row.upcoming);
    CHECK(model.prior_weight == row.prior_weight);
    CHECK(model.kind == row.kind);
    CHECK(model.events_used == 7);
  }
  c.groups[2].prior_weight = 0;
  CHECK(c.Summarize({}).kind == ModelKind::kLearned);
}

TEST_CASE("SummarizeModel: the history used runs from its first data to the last step by as_of") {
  SummaryCase c;
  const ModelSummary model = c.Summarize({});
  CHECK(model.history_from == SeriesStart() + hours{5});
  CHECK(model.history_to == SeriesStart() + hours{300});
}

TEST_CASE("model kinds have stable names") {
  CHECK(ToString(ModelKind::kLearned) == "learned");
  CHECK(ToString(ModelKind::kPrior) == "prior");
  CHECK(ToString(ModelKind::kBlended) == "blended");
}

}  // namespace
}  // namespace patchcast::forecasting
