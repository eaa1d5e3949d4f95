// Unit tests of steps 3, 4 and 6 of ForecastDemand (forecast_upcoming.h): sizing the upcoming
// events, what-ifs, reboot waves, the blended excess model and events under way at as_of.
#include "forecasting/forecast_upcoming.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "forecasting/reboot_prior.h"
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
using forecast_steps::Group;
using forecast_steps::PriorTiming;
using forecast_steps::Upcoming;
using forecast_steps::Waves;
using std::chrono::hours;
using std::chrono::sys_seconds;
using testing::Curve;
using testing::FlatBaseline;
using testing::MakeEvent;
using testing::MakeSeries;
using testing::Pattern;
using testing::PatternWeeks;
using testing::SeriesStart;
using testing::StepsFixture;
using testing::Utc;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Three hourly weeks of Pattern() to as_of 2024-01-22T00:00Z (step 504), a 168-hour horizon,
// windows of 48 h before and 240 h after (long enough for the prior's last ring echo), one past
// Microsoft release and four upcoming events in UTC. The windows leave every slot of the week a
// quiet step, so the baseline is exactly Pattern() with no trend.
struct SizeScenario {
  static std::vector<Event> Events() {
    Event no_restart = MakeEvent("microsoft", EventKind::kRelease, Utc("2024-01-23T18:00:00Z"));
    no_restart.restart_required = false;
    Event restart = MakeEvent("oracle", EventKind::kRelease, Utc("2024-01-24T20:00:00Z"), 13);
    restart.restart_required = true;
    return {
        MakeEvent("microsoft", EventKind::kRelease, Utc("2024-01-02T18:00:00Z")),  // past
        no_restart,
        MakeEvent("adobe", EventKind::kRelease, Utc("2024-01-23T17:00:00Z")),
        restart,
        MakeEvent("matches", EventKind::kCustom, Utc("2024-01-25T19:00:00Z")),
    };
  }
  static ForecastOptions Options(ForecastOptions options) {
    // One past release: under three, no group learns a curve, and the prior alone sizes events.
    options.prior.min_events = 3;
    options.horizon = hours{168};
    options.window_before = hours{48};
    options.window_after = hours{240};
    return options;
  }
  // The prior's timing spread these cases are written for: 3 h either way, not the default.
  static ForecastOptions ThreeHourSpread() {
    ForecastOptions options;
    options.prior.peak_timing_spread_hours = 3;
    return options;
  }
  explicit SizeScenario(ForecastOptions options = ThreeHourSpread())
      : f(PatternWeeks(3), Events(), Options(std::move(options))) {
    f.Learn();
  }
  const std::string& IdOf(const Upcoming& up) const { return f.refs[up.ref].id; }
  StepsFixture f;
};

TEST_CASE("SizeUpcomingEvents sizes each relevant event, in start order") {
  SizeScenario s;
  const std::vector<Upcoming> upcoming =
      forecast_steps::SizeUpcomingEvents(s.f.ctx, s.f.refs, s.f.groups, s.f.zones);
  REQUIRE(upcoming.size() == 4);  // the past release's window ends before as_of
  CHECK(s.IdOf(upcoming[0]) == "adobe:2024-01-23:release");
  CHECK(s.IdOf(upcoming[1]) == "microsoft:2024-01-23:release");
  CHECK(s.IdOf(upcoming[2]) == "oracle:2024-01-24:release");
  CHECK(s.IdOf(upcoming[3]) == "matches:2024-01-25:custom");
  // No group has a curve (one past event is under min_events, three here): the size relation's
  // default, 1. The prior's size is 1 unless the release is known to need no restart.
  const std::vector<double> prior_magnitude = {1, 0, 1, 1};
  // The baseline is Pattern() with no trend: a day's volume is a week of Pattern() over 7.
  double week = 0;
  for (int h = 0; h < 168; ++h) week += Pattern(SeriesStart() + hours{h});
  for (std::size_t u = 0; u < upcoming.size(); ++u) {
    CAPTURE(s.IdOf(upcoming[u]));
    CHECK(upcoming[u].magnitude == 1);
    CHECK(upcoming[u].prior_magnitude == prior_magnitude[u]);
    CHECK(upcoming[u].what_if == 1);
    CHECK(upcoming[u].observed_scale == 1);
    CHECK(upcoming[u].observed_share == 0);
    CHECK(upcoming[u].daily_volume == doctest::Approx(week / 7));
  }
  // Releases get the prior's wave over their window (48 + 240 + 1 steps), even one without a
  // restart (its size is 0, not its shape); a custom event has no prior.
  CHECK(upcoming[0].prior_excess.size() == 289);
  CHECK(upcoming[1].prior_excess.size() == 289);
  CHECK(upcoming[2].prior_excess.size() == 289);
  CHECK(upcoming[3].prior_excess.empty());
}

TEST_CASE("the prior's wave holds the fleet's reboot logins, in daily logins") {
  // Defaults: 0.5 machines per daily login, half of them updating automatically, one login per
  // restart, and ring echoes at 0.25 and 0.15: 0.5 x 0.5 x 1 x (1 + 0.25 + 0.15) = 0.35 of a day's
  // logins, all inside the window of 240 h after the release. That is the expected wave; with
  // its size certain (magnitude_log_sd 0) it is also the median.
  ForecastOptions certain;
  certain.prior.magnitude_log_sd = 0;
  SizeScenario s(certain);
  const std::vector<Upcoming> upcoming =
      forecast_steps::SizeUpcomingEvents(s.f.ctx, s.f.refs, s.f.groups, s.f.zones);
  const std::vector<double>& wave = upcoming[0].prior_excess;
  CHECK(std::accumulate(wave.begin(), wave.end(), 0.0) == doctest::Approx(0.35).epsilon(1e-3));
  // Nothing before the release: offsets -48..0 (the release is at 17:00, its first reboots at
  // 03:00 the next night).
  for (std::size_t k = 0; k <= 48; ++k) CHECK(wave[k] < 1e-9);
}

TEST_CASE("the wave a forecast carries is the median of a log-normal size with the expected mean") {
  // The physics gives the expected size (0.35 of a day's logins, above); its median, the size a
  // median line shows, is exp(-sd^2 / 2) of it: 0.61 at the default sd of 1.
  for (const double sd : {0.5, 1.0}) {
    CAPTURE(sd);
    ForecastOptions options;
    options.prior.magnitude_log_sd = sd;
    SizeScenario s(options);
    const std::vector<Upcoming> upcoming =
        forecast_steps::SizeUpcomingEvents(s.f.ctx, s.f.refs, s.f.groups, s.f.zones);
    const std::vector<double>& wave = upcoming[0].prior_excess;
    CHECK(std::accumulate(wave.begin(), wave.end(), 0.0) ==
          doctest::Approx(0.35 * std::exp(-sd * sd / 2)).epsilon(1e-3));
  }
  CHECK(ForecastOptions{}.prior.magnitude_log_sd == 1.0);
}

TEST_CASE("LearnedTimingShift finds where the learned curve's rise lies from the prior's wave") {
  std::vector<double> learned(30, 0.0);
  learned[10] = 1;
  learned[20] = -0.5;  // a dip says nothing of the timing
  std::vector<double> prior(30, 0.0);
  for (std::size_t k = 4; k <= 10; ++k) prior[k] = std::exp(-0.5 * std::pow(double(k) - 7, 2));
  // The prior peaks 3 steps before the learned curve.
  CHECK(forecast_steps::LearnedTimingShift(learned, prior, 0, 30, 5) == 3);
  // Within +-2 steps the nearest to it.
  CHECK(forecast_steps::LearnedTimingShift(learned, prior, 0, 30, 2) == 2);
  // A rise outside [from, to) is not evidence; nothing overlapping is no shift.
  CHECK(forecast_steps::LearnedTimingShift(learned, prior, 12, 30, 5) == 0);
  // Equal overlaps either way: the nearer shift.
  std::vector<double> flat_top(30, 0.0);
  flat_top[10] = flat_top[11] = 1;
  std::vector<double> point(30, 0.0);
  point[10] = 1;
  CHECK(forecast_steps::LearnedTimingShift(flat_top, point, 0, 30, 5) == 0);
}

TEST_CASE("ShiftedWave moves a wave later or earlier, with nothing moving in") {
  const std::vector<double> wave = {1, 2, 3, 4};
  CHECK(forecast_steps::ShiftedWave(wave, 1) == std::vector<double>{0, 1, 2, 3});
  CHECK(forecast_steps::ShiftedWave(wave, -2) == std::vector<double>{3, 4, 0, 0});
  CHECK(forecast_steps::ShiftedWave(wave, 0) == wave);
  CHECK(forecast_steps::ShiftedWave(wave, 9) == std::vector<double>(4, 0.0));
}

TEST_CASE("with a learned curve, the prior's wave is laid on the series' own install hours") {
  SizeScenario s;
  const std::vector<Upcoming> prior_only =
      forecast_steps::SizeUpcomingEvents(s.f.ctx, s.f.refs, s.f.groups, s.f.zones);
  const std::vector<double>& wave = prior_only[0].prior_excess;
  // The first night's top: the first 30 hours after the start (step 48).
  const auto first_night = wave.begin() + s.f.ctx.pre;
  const auto top = static_cast<std::size_t>(
      std::distance(wave.begin(), std::max_element(first_night, first_night + 30)));
  // The series' first release showed its reboots two hours after the prior's install hour.
  Group& group = s.f.groups[s.f.refs[prior_only[0].ref].group];
  std::vector<double> learned(wave.size(), 0.0);
  learned[top + 2] = 0.8;
  group.curve = Curve(learned, -s.f.ctx.pre);
  group.peak_excess = 0.8;
  group.prior_weight = 0.5;
  const std::vector<Upcoming> laid =
      forecast_steps::SizeUpcomingEvents(s.f.ctx, s.f.refs, s.f.groups, s.f.zones);
  CHECK(laid[0].prior_excess == forecast_steps::ShiftedWave(wave, 2));
  CHECK(laid[0].prior_median_excess ==
        MedianOverTimingAndSize(laid[0].prior_excess, 3 / NormalQuantile(0.9), 1.0));
  SUBCASE("further off than the prior's timing spread, only as far as the spread") {
    std::fill(learned.begin(), learned.end(), 0.0);
    learned[top - 5] = 0.8;  // five hours early; later would meet the prior's morning boots
    group.curve = Curve(learned, -s.f.ctx.pre);
    const std::vector<Upcoming> far =
        forecast_steps::SizeUpcomingEvents(s.f.ctx, s.f.refs, s.f.groups, s.f.zones);
    CHECK(far[0].prior_excess == forecast_steps::ShiftedWave(wave, -3));
  }
}

TEST_CASE("the prior's wave is taken over its uncertainty: median (timing, size) and expected") {
  // peak_timing_spread_hours 3 is the half-width of a p10-p90 window: a standard deviation of
  // 3 / 1.2816 h, at hourly steps.
  SizeScenario s;
  const std::vector<Upcoming> upcoming =
      forecast_steps::SizeUpcomingEvents(s.f.ctx, s.f.refs, s.f.groups, s.f.zones);
  const Upcoming& up = upcoming[0];
  const double sd_steps = 3 / NormalQuantile(0.9);
  CHECK(up.prior_median_excess ==
        MedianOverTimingAndSize(up.prior_excess, sd_steps, s.f.options.prior.magnitude_log_sd));
  CHECK(up.prior_spread_excess == SpreadOverTiming(up.prior_excess, sd_steps));
  // The same logins, lower and wider.
  CHECK(std::accumulate(up.prior_spread_excess.begin(), up.prior_spread_excess.end(), 0.0) ==
        doctest::Approx(std::accumulate(up.prior_excess.begin(), up.prior_excess.end(), 0.0))
            .epsilon(1e-3));
  CHECK(*std::max_element(up.prior_spread_excess.begin(), up.prior_spread_excess.end()) <
        *std::max_element(up.prior_excess.begin(), up.prior_excess.end()));
  SUBCASE("a timing spread of 0 leaves the wave as it is") {
    ForecastOptions options;
    options.prior.peak_timing_spread_hours = 0;
    SizeScenario exact(options);
    const std::vector<Upcoming> sharp = forecast_steps::SizeUpcomingEvents(
        exact.f.ctx, exact.f.refs, exact.f.groups, exact.f.zones);
    CHECK(sharp[0].prior_median_excess == sharp[0].prior_excess);
    CHECK(sharp[0].prior_spread_excess == sharp[0].prior_excess);
  }
  SUBCASE("the median line takes the prior's own size uncertainty") {
    ForecastOptions options = SizeScenario::ThreeHourSpread();
    options.prior.magnitude_log_sd = 0.3;
    SizeScenario narrow(options);
    const std::vector<Upcoming> laid = forecast_steps::SizeUpcomingEvents(
        narrow.f.ctx, narrow.f.refs, narrow.f.groups, narrow.f.zones);
    CHECK(laid[0].prior_median_excess ==
          MedianOverTimingAndSize(laid[0].prior_excess, sd_steps, 0.3));
    // A surer size keeps more of the wave's flanks in the median line.
    const auto sum = [](const std::vector<double>& v) {
      return std::accumulate(v.begin(), v.end(), 0.0);
    };
    CHECK(sum(laid[0].prior_median_excess) / sum(laid[0].prior_excess) >
          sum(up.prior_median_excess) / sum(up.prior_excess));
  }
}

TEST_CASE("SizeUpcomingEvents sizes a weekend match by the weekend's past matches") {
  // Five flat hourly weeks from Monday 2024-01-01 with a match at 12:00 UTC every day: the four
  // hours from its start are 3 times the baseline on weekdays, 1.5 times at weekends. The forecast
  // starts on Monday of the sixth week. (Flat, as the windows leave the profile no quiet data at
  // 12:00-18:00, and the hours either side fill it.)
  const auto match_factor = [](std::size_t i) {
    const std::size_t hour = i % 24;
    const bool weekend = i % 168 >= 5 * 24;
    return hour >= 12 && hour < 16 ? (weekend ? 1.5 : 3.0) : 1.0;
  };
  std::vector<Event> matches;
  for (int day = 0; day < 5 * 7 + 7; ++day) {
    matches.push_back(MakeEvent("cup-" + std::to_string(day), EventKind::kCustom,
                                SeriesStart() + hours{24 * day + 12}));
    matches.back().calendar_id = "cup";
  }
  ForecastOptions options;
  options.use_prior = false;
  options.as_of = SeriesStart() + hours{5 * 168};
  options.horizon = hours{168};
  options.window_before = hours{0};
  options.window_after = hours{6};
  RegularSeries series =
      MakeSeries(SeriesStart(), hours{1}, 5 * 168, [](sys_seconds) { return 100.0; });
  for (std::size_t i = 0; i < series.size(); ++i) series.values[i] *= match_factor(i);
  StepsFixture f(std::move(series), matches, options);
  f.Learn();
  const std::vector<Upcoming> upcoming =
      forecast_steps::SizeUpcomingEvents(f.ctx, f.refs, f.groups, f.zones);
  REQUIRE(upcoming.size() == 7);
  const Group& group = f.groups[f.refs[upcoming[0].ref].group];
  REQUIRE(group.curve);
  CHECK(group.curve->relation.predictor == SizeRelation::Predictor::kWeekend);
  // Monday and Saturday: excess 2 against 0.5.
  CHECK_FALSE(f.refs[upcoming[0].ref].weekend);
  CHECK(f.refs[upcoming[5].ref].weekend);
  CHECK(upcoming[0].magnitude / upcoming[5].magnitude == doctest::Approx(4).epsilon(0.01));
}

TEST_CASE("SizeUpcomingEvents gives no prior wave without the prior") {
  ForecastOptions options;
  options.use_prior = false;
  SizeScenario s(options);
  const std::vector<Upcoming> upcoming =
      forecast_steps::SizeUpcomingEvents(s.f.ctx, s.f.refs, s.f.groups, s.f.zones);
  REQUIRE(upcoming.size() == 4);
  for (const Upcoming& up : upcoming) {
    CHECK(up.prior_excess.empty());
    CHECK(up.prior_spread_excess.empty());
  }
}

TEST_CASE("SizeUpcomingEvents sizes an event through its group's size relation") {
  SizeScenario s;
  // Curves for Oracle (1.5 for 13 bulletins) and Microsoft (gated: no restart, no wave).
  for (Group& group : s.f.groups) {
    if (group.calendar_id == "oracle") {
      group.curve = Curve(std::vector<double>(289, 0.0), -48);
      group.curve->relation.predictor = SizeRelation::Predictor::kBulletins;
      group.curve->relation.intercept = 0.2;
      group.curve->relation.per_bulletin = 0.1;
    }
    if (group.calendar_id == "microsoft") {
      group.curve = Curve(std::vector<double>(289, 0.0), -48);
      group.curve->relation.restart_gate = true;
      group.curve->relation.no_restart_magnitude = 0;
    }
  }
  const std::vector<Upcoming> upcoming =
      forecast_steps::SizeUpcomingEvents(s.f.ctx, s.f.refs, s.f.groups, s.f.zones);
  REQUIRE(upcoming.size() == 4);
  CHECK(upcoming[0].magnitude == 1);                           // adobe: no curve
  CHECK(upcoming[1].magnitude == 0);                           // microsoft, no restart
  CHECK(upcoming[1].prior_magnitude == 0);                     // nor in the prior
  CHECK(upcoming[2].magnitude == doctest::Approx(0.2 + 1.3));  // oracle, 13 bulletins
  CHECK(upcoming[2].prior_magnitude == 1);                     // restart required
}

TEST_CASE("ApplyWhatIfs sets each what-if's multiplier on its event") {
  SizeScenario s;
  std::vector<Upcoming> upcoming =
      forecast_steps::SizeUpcomingEvents(s.f.ctx, s.f.refs, s.f.groups, s.f.zones);
  ForecastOptions options;
  options.what_if = {{"oracle:2024-01-24:release", 2.5}, {"matches:2024-01-25:custom", 0.0}};
  REQUIRE(forecast_steps::ApplyWhatIfs(options, s.f.refs, upcoming).has_value());
  CHECK(upcoming[0].what_if == 1);
  CHECK(upcoming[1].what_if == 1);
  CHECK(upcoming[2].what_if == 2.5);
  CHECK(upcoming[3].what_if == 0);
}

TEST_CASE("ApplyWhatIfs refuses a what-if for an event that does not act within the horizon") {
  SizeScenario s;
  std::vector<Upcoming> upcoming =
      forecast_steps::SizeUpcomingEvents(s.f.ctx, s.f.refs, s.f.groups, s.f.zones);
  std::string id;
  SUBCASE("a past event") { id = "microsoft:2024-01-02:release"; }
  SUBCASE("an unknown event") { id = "microsoft:2024-02-13:release"; }
  ForecastOptions options;
  options.what_if = {{"oracle:2024-01-24:release", 2.0}, {id, 2.0}};
  const Status applied = forecast_steps::ApplyWhatIfs(options, s.f.refs, upcoming);
  REQUIRE_FALSE(applied.has_value());
  CHECK(applied.error().code == ErrorCode::kInvalidArgument);
  CHECK(applied.error().message ==
        "what_if: event '" + id + "' does not act within the forecast horizon");
}

// Events starting at 2024-01-23T00:00Z plus each of `offsets` hours, each upcoming.
struct WaveCase {
  explicit WaveCase(std::vector<int> offsets) {
    for (std::size_t e = 0; e < offsets.size(); ++e) {
      events.push_back(MakeEvent("c" + std::to_string(e), EventKind::kRelease,
                                 Utc("2024-01-23T00:00:00Z") + hours{offsets[e]}));
    }
    refs = forecast_steps::IndexEvents(history, events, 3600);
    for (std::size_t r = 0; r < refs.size(); ++r) {
      Upcoming up;
      up.ref = r;
      upcoming.push_back(up);
    }
  }
  RegularSeries history = PatternWeeks(3);
  std::vector<Event> events;
  std::vector<EventRef> refs;
  std::vector<Upcoming> upcoming;
};

TEST_CASE("GroupWaves puts events within merge_window of their wave's first event in one wave") {
  // +30 h is 6 h after +24 h but 30 h after the wave's first event: a new wave; +50 h joins it.
  WaveCase c({0, 10, 24, 30, 50, 100});
  const Waves waves = forecast_steps::GroupWaves(c.refs, c.upcoming, hours{24});
  CHECK(waves.of == std::vector<std::size_t>{0, 0, 0, 1, 1, 2});
  CHECK(waves.count == 3);
  SUBCASE("a merge window of zero: one wave per start") {
    const Waves apart = forecast_steps::GroupWaves(c.refs, c.upcoming, hours{0});
    CHECK(apart.of == std::vector<std::size_t>{0, 1, 2, 3, 4, 5});
    CHECK(apart.count == 6);
  }
  SUBCASE("only some events upcoming") {
    const std::vector<Upcoming> some = {c.upcoming[1], c.upcoming[3], c.upcoming[5]};
    const Waves waves_of_some = forecast_steps::GroupWaves(c.refs, some, hours{24});
    CHECK(waves_of_some.of == std::vector<std::size_t>{0, 0, 1});  // +10, +30 | +100
    CHECK(waves_of_some.count == 2);
  }
}

TEST_CASE("GroupWaves: events at one instant are one wave; no events, no waves") {
  WaveCase same({5, 5});
  const Waves waves = forecast_steps::GroupWaves(same.refs, same.upcoming, hours{0});
  CHECK(waves.of == std::vector<std::size_t>{0, 0});
  CHECK(waves.count == 1);
  const Waves none = forecast_steps::GroupWaves(same.refs, {}, hours{24});
  CHECK(none.of.empty());
  CHECK(none.count == 0);
}

constexpr PriorTiming kAtItsHours = PriorTiming::kAtItsHours;

// One event at step 100 with a window of 2 steps before and 3 after; its group's curve and the
// prior's wave per offset -2..3 are set by hand.
struct ExcessCase {
  ExcessCase() {
    ctx.history = &history;
    ctx.options = &options;
    ctx.pre = 2;
    ctx.post = 3;
    ctx.epsilon = 1e-9;
    refs = forecast_steps::IndexEvents(history, events, 3600);
    REQUIRE(refs[0].index == 100);
    refs[0].group = 0;
    Group group;
    group.curve = Curve({0.1, 0, 0.4, 0.8, 0.2, 0.1}, -2);
    group.prior_weight = 0.25;
    groups.push_back(group);
    up.ref = 0;
    up.magnitude = 1.5;
    up.prior_magnitude = 1;
    up.what_if = 2;
    up.prior_excess = {0.01, 0, 0.01, 0.02, 0.01, 0.01};  // daily logins per step
    up.daily_volume = 2400;
  }
  RegularSeries history = PatternWeeks(2);
  ForecastOptions options;
  std::vector<Event> events = {
      MakeEvent("microsoft", EventKind::kRelease, SeriesStart() + hours{100})};
  Context ctx;
  std::vector<EventRef> refs;
  std::vector<Group> groups;
  Upcoming up;
};

TEST_CASE("ExcessModel blends the learned curve and the prior's wave by the prior weight") {
  ExcessCase c;
  const ExcessModel model(c.ctx, c.refs, c.groups);
  // At +1 h, with the baseline at 100: learned 0.8 at size 1.5; the prior's 0.02 daily logins are
  // 0.02 x 2400 / 100 = 0.48 of the baseline, at size 1; weights 0.25 and 0.75; what-if 2.
  CHECK(model.At(c.up, 101, 100, kAtItsHours) ==
        doctest::Approx(2 * (0.25 * 0.48 + 0.75 * 1.5 * 0.8)));
  // At -2 h, before the release is out: the prior's 0.01 x 24 = 0.24 alone. The learned 0.1 there
  // is what the baseline missed before past releases, not their wave.
  CHECK(model.At(c.up, 98, 100, kAtItsHours) == doctest::Approx(2 * 0.25 * 0.24));
  // The prior is in daily logins: over a baseline twice as high it is half the excess.
  CHECK(model.At(c.up, 101, 200, kAtItsHours) ==
        doctest::Approx(2 * (0.25 * 0.24 + 0.75 * 1.5 * 0.8)));
  SUBCASE("the learned curve alone at weight 0") {
    c.groups[0].prior_weight = 0;
    CHECK(model.At(c.up, 101, 100, kAtItsHours) == doctest::Approx(2 * 1.5 * 0.8));
  }
  SUBCASE("a custom event's learned curve acts before its start too") {
    c.groups[0].kind = EventKind::kCustom;
    CHECK(model.At(c.up, 98, 100, kAtItsHours) ==
          doctest::Approx(2 * (0.25 * 0.24 + 0.75 * 1.5 * 0.1)));
  }
  SUBCASE("the prior alone at weight 1") {
    c.groups[0].prior_weight = 1;
    CHECK(model.At(c.up, 101, 100, kAtItsHours) == doctest::Approx(2 * 0.48));
  }
  SUBCASE("no curve and no prior wave: nothing") {
    c.groups[0].curve.reset();
    c.up.prior_excess.clear();
    CHECK(model.At(c.up, 101, 100, kAtItsHours) == 0);
  }
  SUBCASE("the size observed so far scales it as the what-if does") {
    c.up.observed_scale = 1.5;
    CHECK(model.At(c.up, 101, 100, kAtItsHours) == doctest::Approx(1.5 * 2 * (0.12 + 0.9)));
  }
}

TEST_CASE("ExcessModel reads the prior's median wave, its expected wave or the wave at its hours") {
  ExcessCase c;
  c.up.prior_median_excess = {0.0, 0.0, 0.005, 0.01, 0.005, 0.0};
  c.up.prior_spread_excess = {0.01, 0.005, 0.01, 0.015, 0.01, 0.01};
  const ExcessModel model(c.ctx, c.refs, c.groups);
  // At +1 h the median wave has 0.01 daily logins, 0.24 of the baseline; the expected wave
  // 0.015, 0.36; at its hours 0.48.
  CHECK(model.At(c.up, 101, 100, PriorTiming::kMedian) ==
        doctest::Approx(2 * (0.25 * 0.24 + 0.75 * 1.5 * 0.8)));
  CHECK(model.At(c.up, 101, 100, PriorTiming::kSpread) ==
        doctest::Approx(2 * (0.25 * 0.36 + 0.75 * 1.5 * 0.8)));
  CHECK(model.At(c.up, 101, 100, kAtItsHours) ==
        doctest::Approx(2 * (0.25 * 0.48 + 0.75 * 1.5 * 0.8)));
  SUBCASE("at prior weight 0 the readings agree: a learned curve is never spread") {
    c.groups[0].prior_weight = 0;
    CHECK(model.At(c.up, 101, 100, PriorTiming::kMedian) == model.At(c.up, 101, 100, kAtItsHours));
    CHECK(model.At(c.up, 101, 100, PriorTiming::kSpread) == model.At(c.up, 101, 100, kAtItsHours));
  }
}

TEST_CASE("ExcessModel is zero outside the event's window, which is laid on its curve_index") {
  ExcessCase c;
  const ExcessModel model(c.ctx, c.refs, c.groups);
  CHECK(model.At(c.up, 97, 100, kAtItsHours) == 0);   // offset -3
  CHECK(model.At(c.up, 98, 100, kAtItsHours) > 0);    // offset -2
  CHECK(model.At(c.up, 103, 100, kAtItsHours) > 0);   // offset +3
  CHECK(model.At(c.up, 104, 100, kAtItsHours) == 0);  // offset +4
  SUBCASE("laid an hour later") {
    c.refs[0].curve_index = 101;
    CHECK(model.At(c.up, 98, 100, kAtItsHours) == 0);  // now offset -3
    CHECK(model.At(c.up, 101, 100, kAtItsHours) ==
          doctest::Approx(2 * (0.25 * 0.24 + 0.75 * 1.5 * 0.4)));
    CHECK(model.At(c.up, 104, 100, kAtItsHours) ==
          doctest::Approx(2 * (0.25 * 0.24 + 0.75 * 1.5 * 0.1)));
    CHECK(model.At(c.up, 105, 100, kAtItsHours) == 0);
  }
}

TEST_CASE("ExcessModel's severity part is the excess minus that of a median past event") {
  ExcessCase c;
  const ExcessModel model(c.ctx, c.refs, c.groups);
  double severity = kNaN;
  const double excess = model.At(c.up, 101, 100, kAtItsHours, &severity);
  // A median past event: magnitude 1 through the size relation, 1 in the prior.
  Upcoming median = c.up;
  median.magnitude = 1;
  median.prior_magnitude = 1;
  CHECK(severity == doctest::Approx(excess - model.At(median, 101, 100, kAtItsHours)));
  CHECK(severity == doctest::Approx(2 * 0.75 * 0.5 * 0.8));
  SUBCASE("a release without a restart: the prior's part of a median event is taken off") {
    c.up.prior_magnitude = 0;
    const double silenced = model.At(c.up, 101, 100, kAtItsHours, &severity);
    CHECK(silenced == doctest::Approx(2 * 0.75 * 1.5 * 0.8));
    CHECK(severity == doctest::Approx(silenced - model.At(median, 101, 100, kAtItsHours)));
    CHECK(severity == doctest::Approx(2 * (-0.25 * 0.48 + 0.75 * 0.5 * 0.8)));
  }
}

TEST_CASE("ExcessModel::Unscaled divides out the what-if multiplier") {
  ExcessCase c;
  const ExcessModel model(c.ctx, c.refs, c.groups);
  CHECK(model.Unscaled(c.up, 101, 100) == doctest::Approx(0.25 * 0.48 + 0.75 * 1.5 * 0.8));
  CHECK(model.Unscaled(c.up, 101, 100) ==
        doctest::Approx(model.At(c.up, 101, 100, kAtItsHours) / 2));
  c.up.what_if = 0;
  CHECK(model.At(c.up, 101, 100, kAtItsHours) == 0);
  CHECK(model.Unscaled(c.up, 101, 100) == 0);
}

// An event at step 100 with a window of 2 steps before and 5 after, a learned curve (prior weight
// 0) of 0.5, 1, 1, 0.5 at offsets 0..3, and a flat baseline of 100. Its expected extra demand is
// 100 x (0.5 + 1 + 1 + 0.5) = 300; with as_of at step 103, offsets -2..2 are observed, holding
// 100 x (0.5 + 1 + 1) = 250 of it: a share of 5/6. The series is 100 x (1 + size x curve).
struct UnderWayCase {
  explicit UnderWayCase(double size, std::vector<Event> more = {}) : events(std::move(more)) {
    events.insert(events.begin(),
                  MakeEvent("microsoft", EventKind::kRelease, SeriesStart() + hours{100}));
    history = testing::MakeSeries(SeriesStart(), hours{1}, 200, [](sys_seconds) { return 100.0; });
    for (std::size_t i = 98; i <= 105; ++i) {
      history.values[i] = 100 * (1 + size * Shape()[i - 98]);
    }
    ctx.history = &history;
    ctx.options = &options;
    ctx.usable = 103;
    ctx.pre = 2;
    ctx.post = 5;
    ctx.epsilon = 0.1;
    ctx.baseline = FlatBaseline(100);
    refs = forecast_steps::IndexEvents(history, events, 3600);
    for (std::size_t r = 0; r < refs.size(); ++r) {
      refs[r].group = r;
      Group group;
      group.curve = testing::Curve(r == 0 ? Shape() : std::vector<double>(8, 0.5), -2);
      groups.push_back(group);
      Upcoming up;
      up.ref = r;
      upcoming.push_back(up);
    }
  }
  static std::vector<double> Shape() { return {0, 0, 0.5, 1, 1, 0.5, 0, 0}; }
  void Update() {
    const Waves waves = forecast_steps::GroupWaves(refs, upcoming, hours{0});
    const ExcessModel excess(ctx, refs, groups);
    forecast_steps::UpdateEventsUnderWay(ctx, refs, waves, excess, testing::Zone("UTC"), upcoming);
  }
  ForecastOptions options;
  std::vector<Event> events;
  RegularSeries history;
  Context ctx;
  std::vector<EventRef> refs;
  std::vector<Group> groups;
  std::vector<Upcoming> upcoming;
};

TEST_CASE("an event observed at twice its expected size is resized by the observed share") {
  // Realised 2, shrunk toward 1 by the observed share: 1 + 5/6 x (2 - 1).
  UnderWayCase c(2);
  SUBCASE("as is") {}
  SUBCASE("with a what-if: it applies to the realised size, not the observed one") {
    c.upcoming[0].what_if = 3;
  }
  SUBCASE("with an incident's dip to zero at +1 h: a weighted median, not a mean") {
    c.history.values[101] = 0;
  }
  c.Update();
  CHECK(c.upcoming[0].observed_share == doctest::Approx(5.0 / 6));
  CHECK(c.upcoming[0].observed_scale == doctest::Approx(1 + 5.0 / 6));
}

TEST_CASE("an event under way: a gap is not observed, and the realised size is at most 5") {
  SUBCASE("a gap at +2 h: offsets 0 and 1 are observed, 150 of 300") {
    UnderWayCase c(2);
    c.history.values[102] = kNaN;
    c.Update();
    CHECK(c.upcoming[0].observed_share == doctest::Approx(0.5));
    CHECK(c.upcoming[0].observed_scale == doctest::Approx(1.5));
  }
  SUBCASE("observed at 10 times its size: taken as 5") {
    UnderWayCase c(10);
    c.Update();
    CHECK(c.upcoming[0].observed_share == doctest::Approx(5.0 / 6));
    CHECK(c.upcoming[0].observed_scale == doctest::Approx(1 + 5.0 / 6 * (5 - 1)));
  }
}

TEST_CASE("an event under way: other waves' expected excess is taken off what is observed") {
  // A second event an hour later (another wave at a merge window of 0) adds 0.5 over its whole
  // window, steps 99..106; the series carries both.
  UnderWayCase c(2, {MakeEvent("adobe", EventKind::kRelease, SeriesStart() + hours{101})});
  for (std::size_t i = 99; i <= 106; ++i) c.history.values[i] += 100 * 0.5;
  c.Update();
  CHECK(c.refs[c.upcoming[0].ref].event->calendar_id == "microsoft");
  CHECK(c.upcoming[0].observed_share == doctest::Approx(5.0 / 6));
  CHECK(c.upcoming[0].observed_scale == doctest::Approx(1 + 5.0 / 6));
}

TEST_CASE("an event with nothing observed keeps its expected size") {
  UnderWayCase c(2);
  SUBCASE("as_of before its window opens") { c.ctx.usable = 97; }
  SUBCASE("as_of at its start: only the steps before it, where it does not act, are observed") {
    c.ctx.usable = 100;
  }
  c.Update();
  CHECK(c.upcoming[0].observed_scale == 1);
  CHECK(c.upcoming[0].observed_share == 0);
}

}  // namespace
}  // namespace patchcast::forecasting
