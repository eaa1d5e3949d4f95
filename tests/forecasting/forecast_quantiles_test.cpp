// Unit tests of step 5 of ForecastDemand (forecast_quantiles.h): the quiet residuals, the events'
// combined excess at each step, and the quantiles made of them.
#include "forecasting/forecast_quantiles.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

#include "forecasting/robust_stats.h"
#include "tests/forecasting/forecast_steps_fixture.h"
#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting {
namespace {

using calendars::Event;
using calendars::EventKind;
using forecast_steps::Context;
using forecast_steps::EventRef;
using forecast_steps::ExcessModel;
using forecast_steps::Grid;
using forecast_steps::Group;
using forecast_steps::kHorizonDays;
using forecast_steps::PriorTiming;
using forecast_steps::StepQuantiles;
using forecast_steps::StepState;
using forecast_steps::Upcoming;
using forecast_steps::Waves;
using std::chrono::hours;
using std::chrono::sys_seconds;
using testing::Curve;
using testing::FlatBaseline;
using testing::MakeEvent;
using testing::PatternWeeks;
using testing::SeriesStart;
using testing::StepsFixture;
using testing::Utc;

using Buckets = std::array<std::vector<double>, kHorizonDays>;

Buckets QuietResidualsOf(const RegularSeries& series, ForecastOptions options) {
  StepsFixture f(series, {}, std::move(options));
  f.Fit();
  return forecast_steps::QuietResiduals(f.ctx);
}

// Three quiet weeks: Pattern() for two, then day d of the third (d = 0 on Monday 2024-01-15) at
// 1 + 0.01 (d + 1) times it. Fitted at origins one and two weeks before as_of, the baseline is
// exactly Pattern(): the second week's residuals are 0, and the third's on day d log(1.0(d+1)).
RegularSeries RisingThirdWeek() {
  return PatternWeeks(3, [](std::size_t i) {
    return i < 336 ? 1.0 : 1 + 0.01 * static_cast<double>((i - 336) / 24 + 1);
  });
}

double Rise(std::size_t day) { return std::log(1 + 0.01 * static_cast<double>(day + 1)); }

TEST_CASE("QuietResiduals keeps the rolling origins' residuals by horizon day, sorted, centred") {
  // Two origins fit (a third would need four weeks), 24 hourly residuals each per day: 48, half of
  // them 0 and half log(1.0(d+1)). Centred on their median, halfway: -rise / 2 and +rise / 2.
  const Buckets buckets = QuietResidualsOf(RisingThirdWeek(), ForecastOptions{});
  for (std::size_t day = 0; day < kHorizonDays; ++day) {
    CAPTURE(day);
    const std::vector<double>& bucket = buckets[day];
    REQUIRE(bucket.size() == 48);
    CHECK(std::is_sorted(bucket.begin(), bucket.end()));
    CHECK(std::abs(QuantileSorted(bucket, 0.5)) < 1e-12);
    CHECK(bucket.front() == doctest::Approx(-Rise(day) / 2).epsilon(1e-3));
    CHECK(bucket[23] == bucket.front());  // the second week's 24 zeros
    CHECK(bucket[24] == doctest::Approx(Rise(day) / 2).epsilon(1e-3));
    CHECK(bucket.back() == doctest::Approx(Rise(day) / 2).epsilon(1e-3));
  }
}

TEST_CASE("QuietResiduals pools every horizon when a bucket has fewer than 30") {
  // One origin: 24 per day, too few; every bucket gets the week's 168, log(1.01) .. log(1.07),
  // centred on their median, day 3's log(1.04).
  ForecastOptions options;
  options.residual_weeks = 1;
  const Buckets buckets = QuietResidualsOf(RisingThirdWeek(), options);
  for (std::size_t day = 0; day < kHorizonDays; ++day) {
    CAPTURE(day);
    REQUIRE(buckets[day].size() == 168);
    CHECK(buckets[day] == buckets[0]);
    CHECK(std::is_sorted(buckets[day].begin(), buckets[day].end()));
  }
  CHECK(std::abs(QuantileSorted(buckets[0], 0.5)) < 1e-12);
  CHECK(buckets[0].front() == doctest::Approx(Rise(0) - Rise(3)).epsilon(1e-3));
  CHECK(buckets[0].back() == doctest::Approx(Rise(6) - Rise(3)).epsilon(1e-3));
}

TEST_CASE("QuietResiduals falls back to day against day, then to a single 0") {
  // No rolling origin: each quiet step against the same hour of the nearest earlier day of its
  // kind. Pattern() repeats on weekdays and on the weekend, so every difference is 0; the first
  // Monday and the first Saturday have no earlier day of their kind.
  ForecastOptions options;
  options.residual_weeks = 0;
  SUBCASE("a profile window of 8 weeks: all three weeks") {
    const Buckets buckets = QuietResidualsOf(PatternWeeks(3), options);
    for (const std::vector<double>& bucket : buckets) {
      CHECK(bucket.size() == 504 - 48);
      CHECK(
          std::all_of(bucket.begin(), bucket.end(), [](double r) { return std::abs(r) < 1e-12; }));
    }
  }
  SUBCASE("a profile window of 2 weeks: the last two, whose Monday and Saturday have partners") {
    options.baseline.profile_weeks = 2;
    const Buckets buckets = QuietResidualsOf(PatternWeeks(3), options);
    for (const std::vector<double>& bucket : buckets) CHECK(bucket.size() == 336 - 48);
  }
  SUBCASE("no quiet step at all: a single 0") {
    StepsFixture f(PatternWeeks(3), {}, options);
    f.Fit();
    f.ctx.quiet.assign(f.ctx.usable, 0);
    const Buckets buckets = forecast_steps::QuietResiduals(f.ctx);
    for (const std::vector<double>& bucket : buckets) CHECK(bucket == std::vector<double>{0.0});
  }
}

TEST_CASE("QuietResiduals of a history under two weeks: normal at the days' robust spread") {
  // Eight days from Monday, each at Pattern() times 1.05 or 0.95 by turns. A baseline fitted on
  // them reproduces them (in-sample residuals all 0: a p99 on the p50). Day against day: Tuesday
  // to Friday, the second Monday (against Friday) and Sunday (against Saturday), 144 steps at
  // +-log(1.05 / 0.95), half each way: a robust sd of 1.4826 times that.
  const RegularSeries history =
      testing::MakeSeries(SeriesStart(), hours{1}, 8 * 24, [](sys_seconds t) {
        const auto day = (t - SeriesStart()) / date::days{1};
        return testing::Pattern(t) * (day % 2 == 0 ? 1.05 : 0.95);
      });
  const Buckets buckets = QuietResidualsOf(history, ForecastOptions{});
  const double sd = 1.4826 * std::log(1.05 / 0.95);
  for (const std::vector<double>& bucket : buckets) {
    REQUIRE(bucket.size() == 144);
    CHECK(std::is_sorted(bucket.begin(), bucket.end()));
    CHECK(std::abs(QuantileSorted(bucket, 0.5)) < 1e-12);
    CHECK(QuantileSorted(bucket, 0.9) == doctest::Approx(sd * NormalQuantile(0.9)).epsilon(0.02));
    CHECK(QuantileSorted(bucket, 0.99) == doctest::Approx(sd * NormalQuantile(0.99)).epsilon(0.05));
  }
}

// Three custom events with windows of 0 steps before and 100 after, learned curves constant over
// the window (prior weight 0), a flat baseline of 100 and a 180-step grid from step 500:
//  - alpha at step 500, excess 0.5, size 1;
//  - beta at step 502, excess 0.8, size 1: alpha's wave (within the 24 h merge window);
//  - gamma at step 572, excess 0.3, size 2 (0.6): a wave of its own.
struct CombineCase {
  explicit CombineCase(std::vector<double> curve_excess = {0.5, 0.8, 0.3},
                       std::vector<double> sizes = {1, 1, 2}) {
    history = testing::MakeSeries(SeriesStart(), hours{1}, 700, [](sys_seconds) { return 100.0; });
    ctx.history = &history;
    ctx.options = &options;
    ctx.usable = 500;
    ctx.pre = 0;
    ctx.post = 100;
    ctx.epsilon = 0.1;
    ctx.baseline = FlatBaseline(100);
    grid.as_of = SeriesStart() + hours{500};
    grid.first_step = 500;
    grid.horizon_steps = 180;
    grid.slots.assign(180, 0);
    grid.baseline.assign(180, 100.0);
    refs = forecast_steps::IndexEvents(history, events, 3600);
    for (std::size_t r = 0; r < refs.size(); ++r) {
      refs[r].group = r;
      Group group;
      group.curve = Curve(std::vector<double>(101, curve_excess[r]), 0);
      groups.push_back(group);
      Upcoming up;
      up.ref = r;
      up.magnitude = sizes[r];
      upcoming.push_back(up);
    }
    waves = forecast_steps::GroupWaves(refs, upcoming, hours{24});
  }
  std::vector<StepState> Combine(std::vector<PointExplanation>* explanations) const {
    const ExcessModel excess(ctx, refs, groups);
    return forecast_steps::CombineEventsAtSteps(ctx, grid, refs, upcoming, waves, excess,
                                                explanations);
  }
  ForecastOptions options;
  RegularSeries history;
  std::vector<Event> events = {
      MakeEvent("alpha", EventKind::kCustom, SeriesStart() + hours{500}),
      MakeEvent("beta", EventKind::kCustom, SeriesStart() + hours{502}),
      MakeEvent("gamma", EventKind::kCustom, SeriesStart() + hours{572}),
  };
  Context ctx;
  Grid grid;
  std::vector<EventRef> refs;
  std::vector<Group> groups;
  std::vector<Upcoming> upcoming;
  Waves waves;
};

TEST_CASE("CombineEventsAtSteps takes the maximum within a wave and the sum across waves") {
  CombineCase c;
  REQUIRE(c.waves.of == std::vector<std::size_t>{0, 0, 1});
  const std::vector<StepState> states = c.Combine(nullptr);
  REQUIRE(states.size() == 180);
  for (const StepState& state : states) CHECK(state.baseline == doctest::Approx(100));
  // Step 501: alpha alone.
  CHECK(states[1].excess == doctest::Approx(0.5));
  CHECK(states[1].dominant == 0);
  // Step 580: alpha 0.5 and beta 0.8 in one wave (0.8), gamma 0.6 in another: 1.4; beta leads.
  CHECK(states[80].excess == doctest::Approx(1.4));
  CHECK(states[80].excess_at_prior_hours == doctest::Approx(1.4));  // no prior wave to spread
  CHECK(states[80].dominant == 1);
  // Step 601: alpha's window has ended; beta and gamma still act.
  CHECK(states[101].excess == doctest::Approx(1.4));
  // Step 603: only gamma, dominant.
  CHECK(states[103].excess == doctest::Approx(0.6));
  CHECK(states[103].dominant == 2);
  // Step 675: no window left: no excess and no dominant event.
  CHECK(states[175].excess == 0);
  CHECK(states[175].dominant == -1);
}

TEST_CASE("CombineEventsAtSteps takes the larger of two waves of one kind that act together") {
  // All three events of one kind, with alpha's curve (0.5): alpha and beta at size 1 (0.5), gamma
  // at `gamma_size`. Each curve learned an overlap of two such events whole (Observe), so where
  // the two waves act together the larger counts, not their sum.
  const auto combine = [](double gamma_size) {
    CombineCase c({0.5, 0.5, 0.5}, {1, 1, gamma_size});
    for (EventRef& ref : c.refs) ref.group = 0;
    return c.Combine(nullptr);
  };
  SUBCASE("gamma the larger (1.0): it leads where both act") {
    const std::vector<StepState> states = combine(2);
    CHECK(states[1].excess == doctest::Approx(0.5));  // step 501: alpha's wave alone
    CHECK(states[1].dominant == 0);
    CHECK(states[80].excess == doctest::Approx(1.0));  // step 580: not 1.5
    CHECK(states[80].excess_at_prior_hours == doctest::Approx(1.0));
    CHECK(states[80].dominant == 2);
    CHECK(states[103].excess == doctest::Approx(1.0));  // step 603: gamma alone
  }
  SUBCASE("gamma the smaller (0.25): the first wave keeps the lead") {
    const std::vector<StepState> states = combine(0.5);
    CHECK(states[80].excess == doctest::Approx(0.5));
    CHECK(states[80].dominant == 0);
    CHECK(states[103].excess == doctest::Approx(0.25));
  }
  SUBCASE("one uplift explains a step where both act") {
    CombineCase c({0.5, 0.5, 0.5}, {1, 1, 2});
    for (EventRef& ref : c.refs) ref.group = 0;
    std::vector<PointExplanation> explanations;
    const std::vector<StepState> states = c.Combine(&explanations);
    REQUIRE(explanations[80].uplifts.size() == 1);
    CHECK(explanations[80].uplifts[0].event_id == "gamma:2024-01-24:custom");
    CHECK(explanations[80].uplifts[0].uplift == doctest::Approx(100));
    CHECK(states[80].baseline * (1 + states[80].excess) ==
          doctest::Approx(explanations[80].baseline + explanations[80].uplifts[0].uplift));
  }
}

TEST_CASE(
    "CombineEventsAtSteps keeps an event's extra logins over a baseline a clock change moved") {
  // Step 501: alpha adds half the profile's 100. The step's own baseline is 200 (the days since
  // a clock change doubled that hour): alpha still adds 50, a quarter of it.
  CombineCase c;
  c.grid.baseline[1] = 200;
  const std::vector<StepState> states = c.Combine(nullptr);
  CHECK(states[1].baseline == doctest::Approx(200));
  CHECK(states[1].excess == doctest::Approx(0.25));
  CHECK(states[1].baseline * states[1].excess == doctest::Approx(50));
  CHECK(states[2].excess == doctest::Approx(0.8));  // step 502: beta leads, as without the move
}

TEST_CASE("CombineEventsAtSteps counts whole days from as_of, up to the last bucket") {
  CombineCase c;
  const std::vector<StepState> states = c.Combine(nullptr);
  CHECK(states[0].horizon_day == 0);
  CHECK(states[23].horizon_day == 0);
  CHECK(states[24].horizon_day == 1);
  CHECK(states[143].horizon_day == 5);
  CHECK(states[144].horizon_day == 6);
  CHECK(states[179].horizon_day == kHorizonDays - 1);  // day 7, in day 6's bucket
}

TEST_CASE("CombineEventsAtSteps never lets demand fall below zero: the excess is at least -1") {
  // Dips of 0.7 and 0.9 in one wave (the larger value, -0.7, counts) and 0.7 in another: -1.4.
  CombineCase c({-0.7, -0.9, -0.7}, {1, 1, 1});
  const std::vector<StepState> states = c.Combine(nullptr);
  CHECK(states[80].excess == -1);
  CHECK(states[80].dominant == 0);
}

TEST_CASE("CombineEventsAtSteps explains each point: baseline, each wave's uplift, severity") {
  CombineCase c;
  std::vector<PointExplanation> explanations;
  const std::vector<StepState> states = c.Combine(&explanations);
  REQUIRE(explanations.size() == 180);
  // Step 580: beta leads the first wave with 0.8 x 100, gamma the second with 0.6 x 100. Gamma is
  // twice a median past event: half its uplift (30) is due to what was announced.
  const PointExplanation& at580 = explanations[80];
  CHECK(at580.baseline == doctest::Approx(100));
  REQUIRE(at580.uplifts.size() == 2);
  CHECK(at580.uplifts[0].event_id == "beta:2024-01-21:custom");
  CHECK(at580.uplifts[0].uplift == doctest::Approx(80));
  CHECK(at580.uplifts[1].event_id == "gamma:2024-01-24:custom");
  CHECK(at580.uplifts[1].uplift == doctest::Approx(60));
  CHECK(at580.severity_term == doctest::Approx(30));
  // The median's centre is the baseline plus the uplifts.
  CHECK(at580.baseline + at580.uplifts[0].uplift + at580.uplifts[1].uplift ==
        doctest::Approx(states[80].baseline * (1 + states[80].excess)));
  // Nothing acts at step 675.
  CHECK(explanations[175].uplifts.empty());
  CHECK(explanations[175].severity_term == 0);
}

TEST_CASE("LearnedBands: three sized events' residuals, weighed by the prior under half") {
  Group group;
  CHECK_FALSE(forecast_steps::LearnedBands(group));  // no curve
  group.curve = Curve({0.1, 0.2}, 0);
  CHECK_FALSE(forecast_steps::LearnedBands(group));  // no residuals
  group.curve->active_residuals = {-0.1, 0.1};
  group.prior_weight = 0.49;
  CHECK(forecast_steps::LearnedBands(group));
  group.prior_weight = 0.5;
  CHECK_FALSE(forecast_steps::LearnedBands(group));
  group.prior_weight = 0;
  CHECK(forecast_steps::LearnedBands(group));
  // Two events' residuals are each predicted from the other alone: they say nothing of the spread,
  // and the prior's bands are taken while there is a prior.
  group.prior_weight = 0.2;
  group.curve->magnitudes = {1, 0.6};
  CHECK_FALSE(forecast_steps::LearnedBands(group));
  group.curve->magnitudes = {1, std::nan(""), 0.6, 1.2};  // one seen too little to be sized
  CHECK(forecast_steps::LearnedBands(group));
  group.curve->magnitudes = {1, std::nan(""), 0.6, std::nan("")};
  CHECK_FALSE(forecast_steps::LearnedBands(group));
  group.prior_weight = 0;  // no prior: the two events' residuals are the best there is
  CHECK(forecast_steps::LearnedBands(group));
}

// Three exact weeks of Pattern() to as_of 2024-01-22T00:00Z, so that every quiet residual is 0 and
// the quiet band is the centre itself, and one upcoming release on 2024-01-23 at 18:00Z with the
// prior alone (no past events): each step's band comes from the prior.
struct PriorCase {
  PriorCase()
      : f(PatternWeeks(3),
          {MakeEvent("microsoft", EventKind::kRelease, Utc("2024-01-23T18:00:00Z"))},
          ForecastOptions{}) {
    f.Combine();
    REQUIRE(f.upcoming.size() == 1);
    REQUIRE(f.groups[0].prior_weight == 1);
  }
  StepsFixture f;
};

TEST_CASE("where the prior drives a step, its band is log-normal and reaches for the wave") {
  PriorCase c;
  const std::vector<StepState>& states = c.f.states;
  const StepQuantiles quantiles(c.f.ctx, c.f.refs, c.f.groups, c.f.upcoming, states);
  // The prior's size factor at level q: exp(magnitude_log_sd x z_q).
  const double size_sd = c.f.options.prior.magnitude_log_sd;
  const double up90 = std::exp(size_sd * NormalQuantile(0.9));
  const double down10 = std::exp(size_sd * NormalQuantile(0.1));
  const auto reach = static_cast<std::ptrdiff_t>(c.f.options.prior.peak_timing_spread_hours);
  const auto steps = static_cast<std::ptrdiff_t>(states.size());
  int driven = 0;
  for (std::ptrdiff_t j = 0; j < steps; ++j) {
    const StepState& state = states[static_cast<std::size_t>(j)];
    const auto at = [&](double q) { return quantiles.At(static_cast<std::size_t>(j), q); };
    const double b = state.baseline;
    const double x = state.excess;
    // The upper levels' centre: the wave's expected value, when above its median.
    const double x90 = std::max(x, state.excess_spread);
    CAPTURE(j);
    // The largest excess at the prior's hours within the timing spread (3 steps either way).
    double envelope = 0;
    for (std::ptrdiff_t k = std::max<std::ptrdiff_t>(0, j - reach);
         k <= std::min(steps - 1, j + reach); ++k) {
      envelope = std::max(envelope, states[static_cast<std::size_t>(k)].excess_at_prior_hours);
    }
    if (state.dominant < 0 ||
        std::max({std::abs(x), std::abs(state.excess_spread), envelope}) < 0.02) {
      CHECK(at(0.1) == doctest::Approx(b * (1 + x)));
      CHECK(at(0.9) == doctest::Approx(b * (1 + x90)));
      continue;
    }
    ++driven;
    CHECK(at(0.5) == doctest::Approx(b * (1 + x)));  // the median line: the wave's median
    // All of the reach at 0.9 (never below the expected wave), none below the median.
    CHECK(at(0.9) == doctest::Approx(b * (1 + std::max(envelope, x90) * up90)));
    CHECK(at(0.1) == doctest::Approx(b * (1 + x * down10)));
    CHECK(at(0.9) > at(0.5));
  }
  CHECK(driven > 24);  // the first wave's night and morning, and the ring echoes
}

TEST_CASE(
    "the median line carries the prior's wave as its median over the timing; the peak, at "
    "its hours") {
  PriorCase c;
  const std::vector<StepState>& states = c.f.states;
  double median_top = 0;
  double spread_top = 0;
  double top = 0;
  double median_mass = 0;
  double spread_mass = 0;
  double mass = 0;
  for (const StepState& state : states) {
    median_top = std::max(median_top, state.excess);
    spread_top = std::max(spread_top, state.excess_spread);
    top = std::max(top, state.excess_at_prior_hours);
    median_mass += state.baseline * state.excess;
    spread_mass += state.baseline * state.excess_spread;
    mass += state.baseline * state.excess_at_prior_hours;
  }
  // The expected wave: lower and wider, with the same extra logins (those of the window inside
  // the horizon).
  CHECK(spread_top < 0.8 * top);
  CHECK(spread_mass == doctest::Approx(mass).epsilon(0.02));
  // The median wave loses the night's narrow spike, which is at no hour more likely than not.
  CHECK(median_top < 0.8 * top);
  CHECK(median_mass < 0.9 * mass);
  CHECK(median_mass > 0);  // the broader morning boots stay
  // The peak's quantiles at the prior's hours: the median is the wave's top.
  const StepQuantiles quantiles(c.f.ctx, c.f.refs, c.f.groups, c.f.upcoming, states);
  std::size_t at_top = 0;
  for (std::size_t j = 0; j < states.size(); ++j) {
    if (states[j].excess_at_prior_hours > states[at_top].excess_at_prior_hours) at_top = j;
  }
  const StepState& peak = states[at_top];
  CHECK(quantiles.At(at_top, 0.5, PriorTiming::kAtItsHours) ==
        doctest::Approx(peak.baseline * (1 + peak.excess_at_prior_hours)));
  CHECK(quantiles.At(at_top, 0.5) == doctest::Approx(peak.baseline * (1 + peak.excess)));
}

TEST_CASE("what has been observed of an event under way narrows the prior's band") {
  PriorCase c;
  const StepQuantiles quantiles(c.f.ctx, c.f.refs, c.f.groups, c.f.upcoming, c.f.states);
  std::size_t top = 0;  // the step of the wave's highest median excess
  for (std::size_t j = 0; j < c.f.states.size(); ++j) {
    if (c.f.states[j].excess > c.f.states[top].excess) top = j;
  }
  REQUIRE(c.f.states[top].excess > 0.02);
  const double median = quantiles.At(top, 0.5);
  const double wide = quantiles.At(top, 0.9);
  c.f.upcoming[0].observed_share = 0.75;
  CHECK(quantiles.At(top, 0.5) == doctest::Approx(median));
  CHECK(quantiles.At(top, 0.9) < wide);
  CHECK(quantiles.At(top, 0.9) > median);
}

// A step where a learned event dominates: its curve's normalized residuals r give the value
// b (1 + x + r (|x| + noise_floor)) (response_curve.h's definition, solved for the actual).
struct LearnedCase {
  LearnedCase() : f(PatternWeeks(3), {}, ForecastOptions{}) {
    f.Fit();
    events = {MakeEvent("microsoft", EventKind::kRelease, Utc("2024-01-23T18:00:00Z"))};
    refs = forecast_steps::IndexEvents(f.history, events, 3600);
    Group group;
    group.curve = Curve({0.5}, 0);
    group.curve->active_residuals = {-0.2, 0, 0.2};
    group.curve->noise_floor = 0.01;
    group.prior_weight = 0.1;
    group.active_threshold = 0.02;
    groups.push_back(group);
    Upcoming up;
    up.ref = 0;
    upcoming.push_back(up);
    states = {{.baseline = 100, .excess = 0.5, .horizon_day = 0, .dominant = 0},
              {.baseline = 100, .excess = 0.01, .horizon_day = 0, .dominant = 0}};
  }
  StepsFixture f;
  std::vector<Event> events;
  std::vector<EventRef> refs;
  std::vector<Group> groups;
  std::vector<Upcoming> upcoming;
  std::vector<StepState> states;
};

TEST_CASE("where a learned event dominates, its own residuals give the band") {
  LearnedCase c;
  const StepQuantiles quantiles(c.f.ctx, c.refs, c.groups, c.upcoming, c.states);
  // The residuals' 0.9 quantile: 0.16 (position 1.8 of -0.2, 0, 0.2); 0.1: -0.16.
  CHECK(quantiles.At(0, 0.5) == doctest::Approx(150));
  CHECK(quantiles.At(0, 0.9) == doctest::Approx(100 * (1.5 + 0.16 * (0.5 + 0.01))));
  CHECK(quantiles.At(0, 0.1) == doctest::Approx(100 * (1.5 - 0.16 * (0.5 + 0.01))));
  // Below the group's threshold the event does not act there: the quiet band (here, the centre).
  CHECK(quantiles.At(1, 0.9) == doctest::Approx(101));
  SUBCASE("observed in part, the event's band narrows, the series' noise stays") {
    const double wide = quantiles.At(0, 0.9);
    c.upcoming[0].observed_share = 0.75;
    CHECK(quantiles.At(0, 0.9) < wide);
    CHECK(quantiles.At(0, 0.9) > 100 * (1.5 + 0.16 * 0.01));
  }
}

// Hourly Pattern() with a deterministic noise of up to +-10 % (log scale) for three weeks, and one
// upcoming release with the prior: quiet residuals of both signs.
double Noise(std::size_t i) { return std::exp(0.1 * std::sin(2.3999632 * static_cast<double>(i))); }

TEST_CASE("StepQuantiles is never negative, even where the quiet band dips below zero") {
  StepsFixture f(PatternWeeks(3, Noise), {}, ForecastOptions{});
  f.Fit();
  REQUIRE(QuantileSorted(forecast_steps::QuietResiduals(f.ctx)[0], 0.05) < 0);
  // Demand at the floor: the centre is 0, and (0 + eps) x exp(negative residual) - eps < 0.
  const std::vector<StepState> states = {
      {.baseline = 100, .excess = -1, .horizon_day = 0, .dominant = -1}};
  const std::vector<EventRef> refs;
  const std::vector<Group> groups;
  const std::vector<Upcoming> upcoming;
  const StepQuantiles quantiles(f.ctx, refs, groups, upcoming, states);
  CHECK(quantiles.At(0, 0.05) == 0);
  CHECK(quantiles.At(0, 0.99) > 0);
}

TEST_CASE("QuantilePoints: one point per step, each quantile the running maximum over the levels") {
  StepsFixture f(PatternWeeks(3, Noise),
                 {MakeEvent("microsoft", EventKind::kRelease, Utc("2024-01-23T18:00:00Z"))},
                 ForecastOptions{});
  f.Combine();
  const StepQuantiles quantiles(f.ctx, f.refs, f.groups, f.upcoming, f.states);
  const std::vector<double> levels = {0.05, 0.5, 0.9, 0.99};
  const std::vector<ForecastPoint> points =
      forecast_steps::QuantilePoints(f.ctx, f.grid, f.states, quantiles, levels);
  REQUIRE(points.size() == 168);
  for (std::size_t j = 0; j < points.size(); ++j) {
    CAPTURE(j);
    CHECK(points[j].ts == Utc("2024-01-22T00:00:00Z") + hours{j});
    CHECK(points[j].baseline == f.states[j].baseline);
    REQUIRE(points[j].quantiles.size() == levels.size());
    double running = 0;
    for (std::size_t qi = 0; qi < levels.size(); ++qi) {
      running = std::max(running, quantiles.At(j, levels[qi]));
      CHECK(points[j].quantiles[qi] == running);
    }
    CHECK(std::is_sorted(points[j].quantiles.begin(), points[j].quantiles.end()));
    CHECK(points[j].quantiles.front() >= 0);
  }
}

}  // namespace
}  // namespace patchcast::forecasting
