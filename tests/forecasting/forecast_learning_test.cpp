// Unit tests of step 2 of ForecastDemand (forecast_learning.h): past events' levels, the groups of
// events, and the response curves and prior weights learned from them.
#include "forecasting/forecast_learning.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
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
using std::chrono::hours;
using std::chrono::sys_seconds;
using testing::MakeEvent;
using testing::PatternBaseline;
using testing::PatternWeeks;
using testing::SeriesStart;
using testing::StepsFixture;
using testing::Utc;

ForecastOptions Windows(hours before, hours after) {
  ForecastOptions options;
  options.window_before = before;
  options.window_after = after;
  return options;
}

// Six hourly weeks (1008 steps) with windows of 48 h either side, a baseline of exactly Pattern()
// and every step quiet unless a test says otherwise: the level of step i is values[i] / Pattern().
struct LevelScenario {
  explicit LevelScenario(const std::function<double(std::size_t)>& scale)
      : f(PatternWeeks(6, scale), {}, Windows(hours{48}, hours{48})) {
    f.Place();
    f.ctx.quiet.assign(f.ctx.usable, 1);
    f.ctx.baseline = PatternBaseline();
  }
  void SetQuiet(std::size_t from, std::size_t to, std::uint8_t quiet) {
    for (std::size_t i = from; i < to; ++i) f.ctx.quiet[i] = quiet;
  }
  double Level(std::int64_t index) {
    std::vector<double> scratch;
    return forecast_steps::PastEventLevel(f.ctx, index, scratch);
  }
  StepsFixture f;
};

TEST_CASE("a past event's level is the median ratio over the quiet steps of the 3 weeks before") {
  // An event at step 700: its window opens at 652, and the three weeks before it are steps
  // 148..651. There the series is at 2x the pattern, except steps 250..639, at 10x but inside
  // other events' windows (not quiet). Before step 148 it is at 7x, and from 652 on at 3x.
  LevelScenario s([](std::size_t i) {
    if (i < 148) return 7.0;
    if (i >= 652) return 3.0;
    return i >= 250 && i < 640 ? 10.0 : 2.0;
  });
  s.SetQuiet(250, 640, 0);
  CHECK(s.Level(700) == doctest::Approx(2));
  SUBCASE("counting the steps that are not quiet, the 10x steps would be the majority") {
    s.SetQuiet(250, 640, 1);
    CHECK(s.Level(700) == doctest::Approx(10));
  }
}

TEST_CASE("a past event's level follows a rise within the two days before its window") {
  // An event at step 700, its window opening at 652: 2x the pattern, but 6x over the two days
  // before the window (604..651), as a site's audience grows before a tournament. The forecast's
  // own level would follow that rise (BaselineFitOptions::shift_ratio), so the event is measured
  // against it, not against the three weeks' median.
  LevelScenario s([](std::size_t i) { return i >= 604 && i < 652 ? 6.0 : 2.0; });
  CHECK(s.Level(700) == doctest::Approx(6));
  SUBCASE("one day of it is not a rise") {
    LevelScenario one_day([](std::size_t i) { return i >= 628 && i < 652 ? 6.0 : 2.0; });
    CHECK(one_day.Level(700) == doctest::Approx(2));
  }
  SUBCASE("not when every step counts: the last days are all event windows") {
    s.f.ctx.every_step_counts = true;
    CHECK(s.Level(700) == doctest::Approx(2));
  }
  SUBCASE("not when the baseline follows no rise") {
    s.f.options.baseline.shift_ratio = 0;
    CHECK(s.Level(700) == doctest::Approx(2));
  }
}

TEST_CASE("a past event's level falls back to the 3 weeks after its window, then to the trend") {
  // 2x the pattern for the first two weeks, 3x after. An event at step 200: its window is steps
  // 152..248, the three weeks before it are 0..151 and the three after 249..752.
  LevelScenario s([](std::size_t i) { return i < 336 ? 2.0 : 3.0; });
  CHECK(s.Level(200) == doctest::Approx(2));
  SUBCASE("nothing quiet before the window: the quiet steps after it") {
    s.SetQuiet(0, 336, 0);
    CHECK(s.Level(200) == doctest::Approx(3));
  }
  SUBCASE("nothing quiet at all: the baseline's trend level at the event") {
    s.SetQuiet(0, 1008, 0);
    s.f.ctx.baseline.origin = SeriesStart();
    s.f.ctx.baseline.weekly_trend = 0.1;
    CHECK(s.Level(200) == doctest::Approx(1 + 0.1 * 200 / 168.0));
  }
  SUBCASE("an event in the first hours: no steps before its window, so the steps after") {
    CHECK(s.Level(30) == doctest::Approx(2));  // after: 79..582, mostly 2x
    s.SetQuiet(79, 336, 0);
    CHECK(s.Level(30) == doctest::Approx(3));
  }
}

// Seven hourly weeks to as_of 2024-02-19T00:00Z (step 1176), a 168-hour horizon (steps
// 1176..1343) and the default windows (48 steps before, 192 after), with events in input order
// unlike their start order.
struct GroupScenario {
  GroupScenario()
      : f(PatternWeeks(7),
          {
              MakeEvent("microsoft", EventKind::kRelease, Utc("2024-02-13T18:00:00Z")),  // 1050
              MakeEvent("microsoft", EventKind::kRelease, Utc("2024-01-09T18:00:00Z")),  // 210
              MakeEvent("adobe", EventKind::kRelease, Utc("2024-01-09T17:00:00Z")),      // 209
              MakeEvent("microsoft", EventKind::kAdvanceNotice,
                        Utc("2024-01-04T18:00:00Z")),                                      // 90
              MakeEvent("microsoft", EventKind::kRelease, Utc("2024-02-20T18:00:00Z")),    // 1218
              MakeEvent("microsoft", EventKind::kRelease, Utc("2024-02-27T18:00:00Z")),    // 1386
              MakeEvent("matches", EventKind::kCustom, Utc("2024-02-28T18:00:00Z")),       // 1410
              MakeEvent("microsoft", EventKind::kRelease, Utc("2023-12-31T12:00:00Z")),    // -12
              MakeEvent("microsoft", EventKind::kOutOfBand, Utc("2024-02-10T23:00:00Z")),  // 983
              MakeEvent("microsoft", EventKind::kOutOfBand, Utc("2024-02-11T00:00:00Z")),  // 984
          },
          ForecastOptions{}) {
    f.Place();
    REQUIRE(f.grid.first_step == 1176);
    REQUIRE(f.grid.end() == 1344);
    REQUIRE(f.ctx.pre == 48);
    REQUIRE(f.ctx.post == 192);
  }
  StepsFixture f;
};

TEST_CASE("GroupEvents groups by (calendar, kind) in the order of each group's first event") {
  GroupScenario s;
  const std::vector<Group> groups = forecast_steps::GroupEvents(s.f.ctx, s.f.grid, s.f.refs);
  const std::vector<EventRef>& refs = s.f.refs;
  REQUIRE(refs.size() == 10);
  REQUIRE(groups.size() == 5);
  CHECK(groups[0].calendar_id == "microsoft");
  CHECK(groups[0].kind == EventKind::kRelease);  // its first event: 2023-12-31
  CHECK(groups[1].calendar_id == "microsoft");
  CHECK(groups[1].kind == EventKind::kAdvanceNotice);
  CHECK(groups[2].calendar_id == "adobe");
  CHECK(groups[2].kind == EventKind::kRelease);
  CHECK(groups[3].calendar_id == "microsoft");
  CHECK(groups[3].kind == EventKind::kOutOfBand);
  CHECK(groups[4].calendar_id == "matches");
  CHECK(groups[4].kind == EventKind::kCustom);
  // refs by start: -12, 90, 209, 210, 983, 984, 1050, 1218, 1386, 1410.
  const std::vector<std::size_t> group_of = {0, 1, 2, 0, 3, 3, 0, 0, 0, 4};
  for (std::size_t r = 0; r < refs.size(); ++r) {
    CHECK_MESSAGE(refs[r].group == group_of[r], refs[r].id);
    CHECK(groups[refs[r].group].calendar_id == refs[r].event->calendar_id);
    CHECK(groups[refs[r].group].kind == refs[r].event->kind);
  }
}

TEST_CASE("GroupEvents marks the events that reach the forecast, and those learned from") {
  GroupScenario s;
  const std::vector<Group> groups = forecast_steps::GroupEvents(s.f.ctx, s.f.grid, s.f.refs);
  const std::vector<EventRef>& refs = s.f.refs;
  struct Expected {
    std::string id;
    bool relevant;
    bool past;
  };
  const std::vector<Expected> expected = {
      // Starts before the history: not learned from; its window ends long before as_of.
      {"microsoft:2023-12-31:release", false, false},
      // Windows inside the history.
      {"microsoft:2024-01-04:advance_notice", false, true},
      {"adobe:2024-01-09:release", false, true},
      {"microsoft:2024-01-09:release", false, true},
      // Its window's last step is 983 + 192 = 1175, the last usable step.
      {"microsoft:2024-02-10:out_of_band", false, true},
      // Its window's last step is 1176, the first forecast step: under way, forecast.
      {"microsoft:2024-02-11:out_of_band", true, false},
      // Under way at as_of (started at 1050, window to 1242): forecast, not learned from.
      {"microsoft:2024-02-13:release", true, false},
      // Upcoming within the horizon.
      {"microsoft:2024-02-20:release", true, false},
      // Starts after the horizon (1386), but its window opens at 1338, inside it.
      {"microsoft:2024-02-27:release", true, false},
      // Its window opens at 1362, after the horizon's last step (1343).
      {"matches:2024-02-28:custom", false, false},
  };
  REQUIRE(refs.size() == expected.size());
  for (std::size_t r = 0; r < refs.size(); ++r) {
    CAPTURE(refs[r].id);
    CHECK(refs[r].id == expected[r].id);
    CHECK(refs[r].relevant == expected[r].relevant);
    CHECK(refs[r].past == expected[r].past);
  }
  // Each group lists its past events, as indices into the refs.
  CHECK(groups[0].past == std::vector<std::size_t>{3});
  CHECK(groups[1].past == std::vector<std::size_t>{1});
  CHECK(groups[2].past == std::vector<std::size_t>{2});
  CHECK(groups[3].past == std::vector<std::size_t>{4});
  CHECK(groups[4].past.empty());
}

// The excess injected after each Microsoft release: 0.5 x a bell of width 2 h at +10 h, nothing
// outside the first 24 h.
double Bump(double hours_after) {
  if (hours_after < 0 || hours_after > 24) return 0;
  return std::exp(-0.5 * std::pow((hours_after - 10) / 2, 2));
}

// Five hourly weeks to as_of 2024-02-05T00:00Z, windows of 12 h before and 48 h after, four past
// Microsoft releases on different weekdays (so that the first week and every slot keep quiet data,
// and the baseline is exactly Pattern()), each followed by `size` x 0.5 x Bump(), and an upcoming
// Adobe release. The level around each release is 1, so its excess is exactly the injected one.
struct LearnScenario {
  static std::vector<Event> Events() {
    return {
        MakeEvent("microsoft", EventKind::kRelease, Utc("2024-01-08T12:00:00Z")),  // Monday
        MakeEvent("microsoft", EventKind::kRelease, Utc("2024-01-18T12:00:00Z")),  // Thursday
        MakeEvent("microsoft", EventKind::kRelease, Utc("2024-01-22T12:00:00Z")),  // Monday
        MakeEvent("microsoft", EventKind::kRelease, Utc("2024-02-01T12:00:00Z")),  // Thursday
        MakeEvent("adobe", EventKind::kRelease, Utc("2024-02-06T12:00:00Z")),      // upcoming
    };
  }
  static RegularSeries Series(const std::vector<double>& sizes) {
    const std::vector<Event> events = Events();
    return PatternWeeks(5, [&](std::size_t i) {
      const sys_seconds t = SeriesStart() + hours{i};
      double excess = 0;
      for (std::size_t e = 0; e < sizes.size(); ++e) {
        excess += sizes[e] * 0.5 *
                  Bump(std::chrono::duration<double>(t - events[e].start).count() / 3600);
      }
      return 1 + excess;
    });
  }
  explicit LearnScenario(ForecastOptions options, std::vector<double> sizes = {1, 1, 1, 1})
      : f(Series(sizes), Events(), [&] {
          options.window_before = hours{12};
          options.window_after = hours{48};
          return options;
        }()) {}
  StepsFixture f;
};

TEST_CASE("LearnResponses learns an injected +50 % response, peak excess 0.5 at +10 h") {
  LearnScenario s{ForecastOptions{}};
  s.f.Learn();
  REQUIRE(s.f.groups.size() == 2);
  const Group& microsoft = s.f.groups[0];
  REQUIRE(microsoft.calendar_id == "microsoft");
  REQUIRE(microsoft.past.size() == 4);
  REQUIRE(microsoft.curve.has_value());
  CHECK(microsoft.curve->ExcessAt(10) == doctest::Approx(0.5).epsilon(1e-6));
  CHECK(microsoft.curve->ExcessAt(8) == doctest::Approx(0.5 * std::exp(-0.5)).epsilon(1e-6));
  CHECK(std::abs(microsoft.curve->ExcessAt(-6)) < 1e-6);
  CHECK(std::abs(microsoft.curve->ExcessAt(30)) < 1e-6);
  CHECK(microsoft.peak_excess == doctest::Approx(0.5).epsilon(1e-6));
  // It acts around +10 h, and not at the ends of the window.
  CHECK(microsoft.active_from <= 10);
  CHECK(microsoft.active_to >= 10);
  CHECK(microsoft.active_from > -12);
  CHECK(microsoft.active_to < 48);
  // Each past event's level was taken on the way: 1 (the series is the pattern around them).
  for (std::size_t r : microsoft.past) CHECK(s.f.refs[r].level == doctest::Approx(1));
}

TEST_CASE("LearnResponses sizes each past event against the median one") {
  // The four releases at 1, 0.5, 2 and 1 times the injected response: the median event's curve
  // peaks at 0.5, and the magnitudes are the sizes.
  LearnScenario s{ForecastOptions{}, {1, 0.5, 2, 1}};
  s.f.Learn();
  const Group& microsoft = s.f.groups[0];
  REQUIRE(microsoft.curve.has_value());
  CHECK(microsoft.curve->ExcessAt(10) == doctest::Approx(0.5).epsilon(1e-6));
  REQUIRE(microsoft.curve->magnitudes.size() == 4);
  CHECK(microsoft.curve->magnitudes[0] == doctest::Approx(1).epsilon(1e-6));
  CHECK(microsoft.curve->magnitudes[1] == doctest::Approx(0.5).epsilon(1e-6));
  CHECK(microsoft.curve->magnitudes[2] == doctest::Approx(2).epsilon(1e-6));
  CHECK(microsoft.curve->magnitudes[3] == doctest::Approx(1).epsilon(1e-6));
}

TEST_CASE("LearnResponses weighs the prior: 1 without a curve, strength / (strength + n) with") {
  ForecastOptions options;
  double microsoft_weight = 0;
  double adobe_weight = 0;
  bool microsoft_curve = true;
  std::size_t used = 4;
  SUBCASE("the defaults: strength 0.5, at least 3 events") {
    microsoft_weight = 0.5 / (0.5 + 4);
    adobe_weight = 1;  // no past events, no curve
  }
  SUBCASE("strength 2") {
    options.prior.strength = 2;
    microsoft_weight = 2.0 / (2 + 4);
    adobe_weight = 1;
  }
  SUBCASE("at least 5 events: four are too few for a curve") {
    options.prior.min_events = 5;
    microsoft_weight = 1;
    adobe_weight = 1;
    microsoft_curve = false;
    used = 0;
  }
  SUBCASE("without the prior: weight 0 everywhere, and one event is enough for a curve") {
    options.use_prior = false;
    options.prior.min_events = 5;  // ignored without the prior
    microsoft_weight = 0;
    adobe_weight = 0;
  }
  LearnScenario s{options};
  s.f.Learn();
  REQUIRE(s.f.groups.size() == 2);
  CHECK(s.f.groups[0].curve.has_value() == microsoft_curve);
  CHECK(s.f.groups[0].prior_weight == doctest::Approx(microsoft_weight));
  CHECK_FALSE(s.f.groups[1].curve.has_value());
  CHECK(s.f.groups[1].prior_weight == adobe_weight);
  CHECK(s.f.events_used == used);
}

TEST_CASE("LearnResponses learns one past event when the prior is off") {
  // Only the first release is in the history before as_of 2024-01-12 (its window ends 01-10).
  ForecastOptions options;
  options.use_prior = false;
  options.as_of = Utc("2024-01-12T00:00:00Z");
  LearnScenario s{options};
  s.f.Learn();
  REQUIRE(s.f.groups[0].past.size() == 1);
  REQUIRE(s.f.groups[0].curve.has_value());
  CHECK(s.f.groups[0].curve->ExcessAt(10) == doctest::Approx(0.5).epsilon(1e-6));
  CHECK(s.f.events_used == 1);
}

// A match at midnight every day from day 28 to day 35 of six hourly weeks, windows of 30 h after
// (each reaching six hours into the next match day), and demand twice Pattern() from 06:00 on the
// first match day on: each match's own crowd, from its sixth hour to the next day's sixth. As of
// day 35, 12:00, the matches of days 28 to 34 are past; day 35's is under way.
struct MatchDays {
  static std::vector<Event> Events() {
    std::vector<Event> matches;
    for (int day = 28; day <= 35; ++day) {
      matches.push_back(MakeEvent("cup", EventKind::kCustom, SeriesStart() + hours{24 * day}));
    }
    return matches;
  }
  static ForecastOptions Options() {
    ForecastOptions options = Windows(hours{0}, hours{30});
    options.merge_window = hours{1};  // each match a wave of its own, as a day apart
    options.as_of = SeriesStart() + hours{24 * 35 + 12};
    return options;
  }
  MatchDays()
      : f(PatternWeeks(6, [](std::size_t i) { return i >= 24 * 28 + 6 ? 2.0 : 1.0; }), Events(),
          Options()) {}
  StepsFixture f;
};

TEST_CASE("LearnResponses keeps the overlap of two events of one kind in both their rows") {
  // Hours 0-5 of a match are the day before's last six; hours 24-30 are the next match's first.
  // Left out of every row that overlaps another match, the first would be learned from the first
  // match alone (no crowd yet), the second from none (day 34's next match is under way), and the
  // curve would be 0 there.
  MatchDays s;
  s.f.Learn();
  REQUIRE(s.f.groups.size() == 1);
  REQUIRE(s.f.groups[0].past.size() == 7);
  REQUIRE(s.f.groups[0].curve.has_value());
  const ResponseCurve& curve = *s.f.groups[0].curve;
  for (std::int64_t hour : {2, 12, 26, 30}) {
    CAPTURE(hour);
    CHECK(curve.ExcessAt(hour) == doctest::Approx(1).epsilon(1e-6));
  }
}

TEST_CASE("LearnResponses measures a past release against the baseline of its own clocks") {
  // Users in New York and Sydney, with no surge at all. The release of 2024-02-13 came while
  // Sydney's 09:00 fell at 17:00 New York time; since 2024-03-10 it falls at 18:00. Measured
  // against today's baseline, its window would show +1000 % at 17:00 and -90 % at 18:00 each day.
  constexpr double kQuiet = 100;
  const RegularSeries history =
      testing::MakeSeries(Utc("2024-01-08T00:00:00Z"), hours{1}, 12 * 168, [](sys_seconds t) {
        const date::zoned_seconds local(&testing::Zone("Australia/Sydney"), t);
        const auto time = local.get_local_time();
        const auto hour = date::floor<hours>(time - date::floor<date::days>(time));
        return kQuiet + (hour == hours{9} ? 10 * kQuiet : 0.0);
      });
  ForecastOptions options;
  options.as_of = Utc("2024-04-01T00:00:00Z");
  options.zone_mix = {{"America/New_York", 0.6}, {"Australia/Sydney", 0.4}};
  const std::vector<Event> events = {
      MakeEvent("microsoft", EventKind::kRelease, Utc("2024-02-13T18:00:00Z"))};
  StepsFixture f(history, events, options);
  f.Learn();
  REQUIRE(f.groups.size() == 1);
  REQUIRE(f.groups[0].curve.has_value());
  double largest = 0;
  for (double excess : f.groups[0].curve->excess) largest = std::max(largest, std::abs(excess));
  CHECK(largest < 0.02);
}

TEST_CASE("LearnResponses learns nothing when forecasting the baseline alone") {
  ForecastOptions options;
  options.baseline_only = true;
  LearnScenario s{options};
  s.f.Fit();
  s.f.groups = forecast_steps::GroupEvents(s.f.ctx, s.f.grid, s.f.refs);
  const Result<std::size_t> used = forecast_steps::LearnResponses(s.f.ctx, s.f.refs, s.f.groups);
  REQUIRE(used.has_value());
  CHECK(*used == 0);
  for (const Group& group : s.f.groups) CHECK_FALSE(group.curve.has_value());
}

}  // namespace
}  // namespace patchcast::forecasting
