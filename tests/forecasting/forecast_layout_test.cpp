// Unit tests of ForecastDemand's first steps (forecast_layout.h): the checks of its inputs, the
// zones, the grid, the events on the series' steps, the quiet steps and the baseline's epsilon.
#include "forecasting/forecast_layout.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "calendars/zone.h"
#include "tests/forecasting/forecast_steps_fixture.h"
#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting {
namespace {

using calendars::Event;
using calendars::EventKind;
using forecast_steps::EventRef;
using forecast_steps::Grid;
using forecast_steps::ZonePlan;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_seconds;
using testing::MakeEvent;
using testing::Pattern;
using testing::PatternWeeks;
using testing::SeriesStart;
using testing::StepsFixture;
using testing::Utc;
using testing::Zone;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_CASE("Validate refuses what ForecastDemand cannot work with, naming the offending field") {
  RegularSeries history = PatternWeeks(2);
  ForecastOptions options;
  std::string names;  // what the message must say
  SUBCASE("a step that does not divide a day") {
    history.step = hours{7};
    names = "step of 25200 s does not divide a day";
  }
  SUBCASE("a step longer than a day") {
    history.step = hours{48};
    names = "step of 172800 s";
  }
  SUBCASE("a step of zero") {
    history.step = seconds{0};
    names = "step of 0 s";
  }
  SUBCASE("quantile 0") {
    options.quantiles = {0.5, 0.0};
    names = "quantile 0";
  }
  SUBCASE("quantile 1") {
    options.quantiles = {1.0, 0.5};
    names = "quantile 1";
  }
  SUBCASE("a NaN quantile") {
    options.quantiles = {kNaN};
    names = "quantile";
  }
  SUBCASE("a horizon of zero") {
    options.horizon = seconds{0};
    names = "horizon";
  }
  SUBCASE("a horizon a second over 366 days") {
    options.horizon = hours{366 * 24} + seconds{1};
    names = "horizon";
  }
  SUBCASE("a negative window before the start") {
    options.window_before = hours{-1};
    names = "window";
  }
  SUBCASE("a negative window after the start") {
    options.window_after = seconds{-1};
    names = "window";
  }
  SUBCASE("a negative what-if multiplier") {
    options.what_if = {{"microsoft:2024-01-09:release", -0.5}};
    names = "what_if: multiplier for event 'microsoft:2024-01-09:release'";
  }
  SUBCASE("a NaN what-if multiplier") {
    options.what_if = {{"microsoft:2024-01-09:release", kNaN}};
    names = "what_if: multiplier for event 'microsoft:2024-01-09:release'";
  }
  SUBCASE("an infinite what-if multiplier") {
    options.what_if = {{"a", 1.0}, {"b", std::numeric_limits<double>::infinity()}};
    names = "what_if: multiplier for event 'b'";
  }
  const Status valid = forecast_steps::Validate(history, options);
  REQUIRE_FALSE(valid.has_value());
  CHECK(valid.error().code == ErrorCode::kInvalidArgument);
  CHECK_MESSAGE(Contains(valid.error().message, names), valid.error().message);
}

TEST_CASE("Validate accepts the edges of each range") {
  RegularSeries history = PatternWeeks(2);
  ForecastOptions options;
  SUBCASE("the defaults") {}
  SUBCASE("a daily step") { history.step = hours{24}; }
  SUBCASE("a 5-minute step") { history.step = minutes{5}; }
  SUBCASE("quantiles just inside (0, 1)") { options.quantiles = {1e-9, 1 - 1e-9}; }
  SUBCASE("a horizon of exactly 366 days") { options.horizon = hours{366 * 24}; }
  SUBCASE("a horizon of one second") { options.horizon = seconds{1}; }
  SUBCASE("empty windows") {
    options.window_before = seconds{0};
    options.window_after = seconds{0};
  }
  SUBCASE("a what-if multiplier of zero") { options.what_if = {{"x", 0.0}}; }
  CHECK(forecast_steps::Validate(history, options).has_value());
}

TEST_CASE("ResolveZones makes the largest share dominant and keeps every zone with its share") {
  const std::vector<ZoneShare> mix = {
      {"America/New_York", 0.3}, {"Europe/Berlin", 0.5}, {"Asia/Tokyo", 0.2}};
  const Result<ZonePlan> plan = forecast_steps::ResolveZones(mix);
  REQUIRE(plan.has_value());
  REQUIRE(plan->dominant != nullptr);
  CHECK(plan->dominant->name() == "Europe/Berlin");
  REQUIRE(plan->zones.size() == 3);
  CHECK(plan->zones[0].zone->name() == "America/New_York");
  CHECK(plan->zones[0].share == 0.3);
  CHECK(plan->zones[1].zone->name() == "Europe/Berlin");
  CHECK(plan->zones[1].share == 0.5);
  CHECK(plan->zones[2].zone->name() == "Asia/Tokyo");
  CHECK(plan->zones[2].share == 0.2);
}

TEST_CASE("ResolveZones gives UTC alone, with the whole share, for an empty mix") {
  const Result<ZonePlan> plan = forecast_steps::ResolveZones({});
  REQUIRE(plan.has_value());
  REQUIRE(plan->dominant != nullptr);
  CHECK(plan->dominant->name() == "UTC");
  REQUIRE(plan->zones.size() == 1);
  CHECK(plan->zones[0].zone == plan->dominant);
  CHECK(plan->zones[0].share == 1.0);
}

TEST_CASE("ResolveZones refuses an unknown zone, naming its entry in zone_mix") {
  const std::vector<ZoneShare> mix = {{"Europe/Paris", 0.6}, {"Mars/Olympus", 0.4}};
  const Result<ZonePlan> plan = forecast_steps::ResolveZones(mix);
  REQUIRE_FALSE(plan.has_value());
  CHECK(plan.error().code == ErrorCode::kInvalidArgument);
  CHECK_MESSAGE(plan.error().message.rfind("zone_mix[1]: ", 0) == 0, plan.error().message);
  CHECK(Contains(plan.error().message, "Mars/Olympus"));
}

// Three weeks of hourly data from Monday 2024-01-01; as_of and the windows vary by test.
ForecastOptions GridOptions(std::optional<sys_seconds> as_of) {
  ForecastOptions options;
  options.as_of = as_of;
  options.horizon = hours{48};
  options.window_before = hours{6};
  options.window_after = hours{12};
  return options;
}

TEST_CASE("LayOutGrid uses the steps that end by as_of and starts the forecast at the next step") {
  // as_of 2024-01-15T10:30Z is 346.5 hours after the start: 346 steps end by then, and the first
  // step starting at or after it is step 347 (11:00).
  StepsFixture f(PatternWeeks(3), {}, GridOptions(Utc("2024-01-15T10:30:00Z")));
  const Result<Grid> grid = forecast_steps::LayOutGrid(f.ctx, Zone("UTC"));
  REQUIRE(grid.has_value());
  CHECK(grid->as_of == Utc("2024-01-15T10:30:00Z"));
  CHECK(f.ctx.usable == 346);
  CHECK(grid->first_step == 347);
  CHECK(grid->horizon_steps == 48);
  CHECK(grid->end() == 347 + 48);
  CHECK(f.ctx.pre == 6);
  CHECK(f.ctx.post == 12);
  // Week slots in UTC (Monday 00:00 is slot 0): the history's and the forecast's.
  REQUIRE(f.ctx.slots.size() == 346);
  CHECK(f.ctx.slots[0] == 0);
  CHECK(f.ctx.slots[345] == 9);  // Monday 09:00
  REQUIRE(grid->slots.size() == 48);
  CHECK(grid->slots[0] == 11);   // Monday 11:00
  CHECK(grid->slots[13] == 24);  // Tuesday 00:00
}

TEST_CASE("LayOutGrid takes the week slots on the dominant zone's clock") {
  // Berlin is UTC+1 in January: 2024-01-15T11:00Z is 12:00 on Monday there.
  StepsFixture f(PatternWeeks(3), {}, GridOptions(Utc("2024-01-15T10:30:00Z")));
  const Result<Grid> grid = forecast_steps::LayOutGrid(f.ctx, Zone("Europe/Berlin"));
  REQUIRE(grid.has_value());
  CHECK(f.ctx.slots[0] == 1);
  CHECK(grid->slots[0] == 12);
}

TEST_CASE("LayOutGrid: as_of on a step boundary, by default and past the end of the history") {
  const RegularSeries series = PatternWeeks(3);  // 504 steps
  std::optional<sys_seconds> as_of;
  std::size_t usable = 0;
  std::int64_t first_step = 0;
  SUBCASE("on a boundary") {
    as_of = Utc("2024-01-15T10:00:00Z");
    usable = 346;
    first_step = 346;
  }
  SUBCASE("by default, the end of the history") {
    usable = 504;
    first_step = 504;
  }
  SUBCASE("five hours after the end") {
    as_of = series.end() + hours{5};
    usable = 504;
    first_step = 509;
  }
  StepsFixture f(series, {}, GridOptions(as_of));
  const Result<Grid> grid = forecast_steps::LayOutGrid(f.ctx, Zone("UTC"));
  REQUIRE(grid.has_value());
  CHECK(grid->as_of == as_of.value_or(series.end()));
  CHECK(f.ctx.usable == usable);
  CHECK(grid->first_step == first_step);
  CHECK(f.ctx.slots.size() == usable);
}

TEST_CASE("LayOutGrid turns the event windows into steps") {
  ForecastOptions options = GridOptions(std::nullopt);
  std::int64_t pre = 0;
  std::int64_t post = 0;
  SUBCASE("the defaults: 48 h before, 192 h after") {
    options.window_before = hours{48};
    options.window_after = hours{192};
    pre = 48;
    post = 192;
  }
  SUBCASE("empty windows") {
    options.window_before = hours{0};
    options.window_after = hours{0};
  }
  StepsFixture f(PatternWeeks(3), {}, options);
  REQUIRE(forecast_steps::LayOutGrid(f.ctx, Zone("UTC")).has_value());
  CHECK(f.ctx.pre == pre);
  CHECK(f.ctx.post == post);
}

TEST_CASE("LayOutGrid refuses a history with no data before as_of") {
  // Steps 0..99 are gaps: as_of must be past the end of step 100 for any data to be usable.
  const RegularSeries series = PatternWeeks(3, [](std::size_t i) { return i < 100 ? kNaN : 1.0; });
  SUBCASE("as_of inside the gap") {
    StepsFixture f(series, {}, GridOptions(Utc("2024-01-03T02:00:00Z")));  // step 50
    const Result<Grid> grid = forecast_steps::LayOutGrid(f.ctx, Zone("UTC"));
    REQUIRE_FALSE(grid.has_value());
    CHECK(grid.error().code == ErrorCode::kUnprocessable);
    CHECK_MESSAGE(Contains(grid.error().message, "no data before as_of 2024-01-03T02:00:00Z"),
                  grid.error().message);
  }
  SUBCASE("as_of at the start of the first step with data") {
    StepsFixture f(series, {}, GridOptions(series.TimeAt(100)));
    const Result<Grid> grid = forecast_steps::LayOutGrid(f.ctx, Zone("UTC"));
    REQUIRE_FALSE(grid.has_value());
    CHECK(grid.error().code == ErrorCode::kUnprocessable);
  }
  SUBCASE("as_of before the history") {
    StepsFixture f(series, {}, GridOptions(series.start - hours{24}));
    const Result<Grid> grid = forecast_steps::LayOutGrid(f.ctx, Zone("UTC"));
    REQUIRE_FALSE(grid.has_value());
    CHECK(grid.error().code == ErrorCode::kUnprocessable);
  }
  SUBCASE("as_of once the first step with data has ended") {
    StepsFixture f(series, {}, GridOptions(series.TimeAt(101)));
    const Result<Grid> grid = forecast_steps::LayOutGrid(f.ctx, Zone("UTC"));
    REQUIRE(grid.has_value());
    CHECK(f.ctx.usable == 101);
  }
}

TEST_CASE("WeekendSlots: Saturday and Sunday for a single zone") {
  for (const char* zone : {"UTC", "Asia/Tokyo"}) {
    CAPTURE(zone);
    ForecastOptions options = GridOptions(Utc("2024-01-15T10:30:00Z"));
    options.zone_mix = {{zone, 1.0}};
    StepsFixture f(PatternWeeks(3), {}, options);
    f.Place();
    REQUIRE(f.ctx.weekend_slots.size() == 168);
    for (std::size_t slot = 0; slot < 168; ++slot) {
      CAPTURE(slot);
      CHECK(f.ctx.weekend_slots[slot] == (slot >= 5 * 24 ? 1 : 0));
    }
  }
}

TEST_CASE("WeekendSlots follows the users awake at each hour of a mix of zones") {
  // Tokyo (UTC+9, 60 %) is dominant; London (UTC+0 in January, 40 %) is awake 07:00-23:00.
  ForecastOptions options = GridOptions(Utc("2024-01-15T10:30:00Z"));
  options.zone_mix = {{"Asia/Tokyo", 0.6}, {"Europe/London", 0.4}};
  StepsFixture f(PatternWeeks(3), {}, options);
  f.Place();
  REQUIRE(f.ctx.weekend_slots.size() == 168);
  const auto weekend_at = [&](int day, int hour) {  // on Tokyo's clock, Monday is day 0
    return f.ctx.weekend_slots[static_cast<std::size_t>(day * 24 + hour)] == 1;
  };
  CHECK_FALSE(weekend_at(5, 0));   // Friday 15:00 in London, Tokyo asleep
  CHECK_FALSE(weekend_at(5, 3));   // Friday 18:00 in London
  CHECK(weekend_at(5, 12));        // London asleep, Tokyo awake on Saturday
  CHECK(weekend_at(5, 20));        // both awake, both on Saturday
  CHECK(weekend_at(0, 0));         // Sunday 15:00 in London, Tokyo asleep
  CHECK_FALSE(weekend_at(0, 9));   // London asleep, Tokyo awake on Monday
  CHECK_FALSE(weekend_at(4, 20));  // both awake on Friday
  CHECK(weekend_at(6, 3));         // Saturday 18:00 in London, Tokyo asleep
}

TEST_CASE("MarkEventWeekends: an event's weekend is its start's, on the users' clock") {
  // Paris is UTC+1 in January; 2024-01-13 was a Saturday.
  ForecastOptions options = GridOptions(Utc("2024-01-15T10:30:00Z"));
  options.zone_mix = {{"Europe/Paris", 1.0}};
  // One calendar each, as ids are one per calendar, kind and (UTC) date.
  const std::vector<Event> events = {
      MakeEvent("cup-a", EventKind::kCustom, Utc("2024-01-12T12:00:00Z")),  // Friday noon
      MakeEvent("cup-b", EventKind::kCustom, Utc("2024-01-12T23:00:00Z")),  // Saturday 00:00
      MakeEvent("cup-c", EventKind::kCustom, Utc("2024-01-14T22:30:00Z")),  // Sunday 23:30
      MakeEvent("cup-d", EventKind::kCustom, Utc("2024-01-14T23:00:00Z")),  // Monday 00:00
  };
  StepsFixture f(PatternWeeks(3), events, options);
  f.Place();
  REQUIRE(f.refs.size() == 4);
  std::vector<bool> weekend;
  for (const EventRef& ref : f.refs) weekend.push_back(ref.weekend);
  CHECK(weekend == std::vector<bool>{false, true, true, false});
  CHECK(forecast_steps::AnnotationsOf(f.refs[1]).weekend == true);
  CHECK(forecast_steps::AnnotationsOf(f.refs[3]).weekend == false);

  SUBCASE("in a mix, the weekend of the users awake then") {
    // Saturday 00:00 in Tokyo (60 %, dominant) is Friday 15:00 in London (40 %), awake.
    options.zone_mix = {{"Asia/Tokyo", 0.6}, {"Europe/London", 0.4}};
    const std::vector<Event> friday = {
        MakeEvent("cup", EventKind::kCustom, Utc("2024-01-12T15:00:00Z"))};
    StepsFixture mix(PatternWeeks(3), friday, options);
    mix.Place();
    REQUIRE(mix.refs.size() == 1);
    CHECK_FALSE(mix.refs[0].weekend);
  }
}

TEST_CASE("IndexEvents keeps the first of each id in input order") {
  const RegularSeries history = PatternWeeks(3);
  // Two events with one id (same calendar, scheduled date and kind), at 20:00 and at 18:00.
  const std::vector<Event> events = {
      MakeEvent("microsoft", EventKind::kRelease, Utc("2024-01-09T20:00:00Z")),
      MakeEvent("adobe", EventKind::kRelease, Utc("2024-01-09T17:00:00Z")),
      MakeEvent("microsoft", EventKind::kRelease, Utc("2024-01-09T18:00:00Z")),
  };
  const std::vector<EventRef> refs = forecast_steps::IndexEvents(history, events, 3600);
  REQUIRE(refs.size() == 2);
  CHECK(refs[0].id == "adobe:2024-01-09:release");
  CHECK(refs[0].event == &events[1]);
  CHECK(refs[1].id == "microsoft:2024-01-09:release");
  CHECK(refs[1].event == &events[0]);  // the 20:00 one, first in the input, not first in time
  CHECK(refs[1].index == 8 * 24 + 20);
}

TEST_CASE("IndexEvents sorts by start, then by id") {
  const RegularSeries history = PatternWeeks(3);
  const std::vector<Event> events = {
      MakeEvent("c", EventKind::kRelease, Utc("2024-01-10T00:00:00Z")),
      MakeEvent("b", EventKind::kRelease, Utc("2024-01-09T18:00:00Z")),
      MakeEvent("a", EventKind::kRelease, Utc("2024-01-09T18:00:00Z")),
      MakeEvent("d", EventKind::kRelease, Utc("2024-01-02T06:00:00Z")),
  };
  const std::vector<EventRef> refs = forecast_steps::IndexEvents(history, events, 3600);
  REQUIRE(refs.size() == 4);
  CHECK(refs[0].id == "d:2024-01-02:release");
  CHECK(refs[1].id == "a:2024-01-09:release");
  CHECK(refs[2].id == "b:2024-01-09:release");
  CHECK(refs[3].id == "c:2024-01-10:release");
  for (const EventRef& ref : refs) {
    CHECK(ref.id == ref.event->Id());
    CHECK(ref.curve_index == ref.index);  // alignment is a later step
  }
}

TEST_CASE("IndexEvents gives the step containing each start, negative before the history") {
  const RegularSeries history = PatternWeeks(3);
  const std::vector<Event> events = {
      MakeEvent("a", EventKind::kRelease, Utc("2023-12-31T22:30:00Z")),  // -1.5 h: step -2
      MakeEvent("b", EventKind::kRelease, Utc("2023-12-31T23:00:00Z")),  // -1 h: step -1
      MakeEvent("c", EventKind::kRelease, Utc("2024-01-01T00:00:00Z")),  // step 0
      MakeEvent("d", EventKind::kRelease, Utc("2024-01-01T05:59:59Z")),  // step 5
      MakeEvent("e", EventKind::kRelease, Utc("2024-02-01T00:00:00Z")),  // after the history
  };
  const std::vector<EventRef> refs = forecast_steps::IndexEvents(history, events, 3600);
  REQUIRE(refs.size() == 5);
  CHECK(refs[0].index == -2);
  CHECK(refs[1].index == -1);
  CHECK(refs[2].index == 0);
  CHECK(refs[3].index == 5);
  CHECK(refs[4].index == 31 * 24);
  SUBCASE("at a 30-minute step") {
    const std::vector<EventRef> halves = forecast_steps::IndexEvents(history, events, 1800);
    CHECK(halves[0].index == -3);
    CHECK(halves[3].index == 11);
  }
}

// Microsoft's releases at 10:00 Pacific, as Berlin sees them in 2024: 19:00 local in January,
// February and April (18:00Z in winter, 17:00Z in summer), but 18:00 on 12 March, when the US has
// moved its clocks (10 March) and Europe has not yet (31 March).
std::vector<Event> PacificReleases() {
  return {
      MakeEvent("microsoft", EventKind::kRelease, Utc("2024-01-09T18:00:00Z")),
      MakeEvent("microsoft", EventKind::kRelease, Utc("2024-02-13T18:00:00Z")),
      MakeEvent("microsoft", EventKind::kRelease, Utc("2024-03-12T17:00:00Z")),
      MakeEvent("microsoft", EventKind::kRelease, Utc("2024-04-09T17:00:00Z")),
  };
}

std::int64_t Shift(const EventRef& ref) { return ref.curve_index - ref.index; }

const EventRef& RefOf(const std::vector<EventRef>& refs, const std::string& id) {
  const auto it =
      std::find_if(refs.begin(), refs.end(), [&](const EventRef& r) { return r.id == id; });
  REQUIRE_MESSAGE(it != refs.end(), id);
  return *it;
}

TEST_CASE("a release off its calendar's usual local time is laid an hour over, in steps") {
  RegularSeries history = PatternWeeks(3);
  const std::vector<Event> events = PacificReleases();
  std::int64_t step_seconds = 3600;
  std::int64_t hour = 1;
  SUBCASE("hourly") {}
  SUBCASE("every 30 minutes") {
    step_seconds = 1800;
    hour = 2;
  }
  history.step = seconds{step_seconds};
  std::vector<EventRef> refs = forecast_steps::IndexEvents(history, events, step_seconds);
  forecast_steps::AlignReleasesOnLocalNights(refs, Zone("Europe/Berlin"), step_seconds);
  // 18:00 in Berlin, usually 19:00: the curve is laid where 19:00 falls, an hour later.
  CHECK(Shift(RefOf(refs, "microsoft:2024-03-12:release")) == hour);
  CHECK(Shift(RefOf(refs, "microsoft:2024-01-09:release")) == 0);
  CHECK(Shift(RefOf(refs, "microsoft:2024-02-13:release")) == 0);
  CHECK(Shift(RefOf(refs, "microsoft:2024-04-09:release")) == 0);
}

TEST_CASE("in UTC, releases at 10:00 Pacific move the other way: the summer ones are off") {
  // On UTC's clock the winter releases (18:00) outnumber the summer ones (17:00), which are moved
  // an hour later.
  const RegularSeries history = PatternWeeks(3);
  std::vector<Event> events = PacificReleases();
  events.push_back(MakeEvent("microsoft", EventKind::kRelease, Utc("2023-12-12T18:00:00Z")));
  std::vector<EventRef> refs = forecast_steps::IndexEvents(history, events, 3600);
  forecast_steps::AlignReleasesOnLocalNights(refs, Zone("UTC"), 3600);
  CHECK(Shift(RefOf(refs, "microsoft:2024-03-12:release")) == 1);
  CHECK(Shift(RefOf(refs, "microsoft:2024-04-09:release")) == 1);
  CHECK(Shift(RefOf(refs, "microsoft:2024-01-09:release")) == 0);
}

TEST_CASE("a release just after midnight, usually just before, is laid an hour earlier") {
  const RegularSeries history = PatternWeeks(3);
  const std::vector<Event> events = {
      MakeEvent("late", EventKind::kRelease, Utc("2024-01-09T23:30:00Z")),
      MakeEvent("late", EventKind::kRelease, Utc("2024-02-13T23:30:00Z")),
      MakeEvent("late", EventKind::kRelease, Utc("2024-03-13T00:30:00Z")),
  };
  std::vector<EventRef> refs = forecast_steps::IndexEvents(history, events, 3600);
  forecast_steps::AlignReleasesOnLocalNights(refs, Zone("UTC"), 3600);
  CHECK(Shift(RefOf(refs, "late:2024-03-13:release")) == -1);
  CHECK(Shift(RefOf(refs, "late:2024-01-09:release")) == 0);
}

TEST_CASE("notices, custom and out-of-band events act at their own instant and are not moved") {
  const RegularSeries history = PatternWeeks(3);
  std::vector<Event> events = PacificReleases();
  // Each an hour before the usual 19:00 in Berlin, like the March release that is moved.
  events.push_back(MakeEvent("microsoft", EventKind::kAdvanceNotice, Utc("2024-03-07T17:00:00Z")));
  events.push_back(MakeEvent("microsoft", EventKind::kCustom, Utc("2024-03-14T17:00:00Z")));
  events.push_back(MakeEvent("microsoft", EventKind::kOutOfBand, Utc("2024-03-19T17:00:00Z")));
  std::vector<EventRef> refs = forecast_steps::IndexEvents(history, events, 3600);
  forecast_steps::AlignReleasesOnLocalNights(refs, Zone("Europe/Berlin"), 3600);
  CHECK(Shift(RefOf(refs, "microsoft:2024-03-12:release")) == 1);
  CHECK(Shift(RefOf(refs, "microsoft:2024-03-07:advance_notice")) == 0);
  CHECK(Shift(RefOf(refs, "microsoft:2024-03-14:custom")) == 0);
  CHECK(Shift(RefOf(refs, "microsoft:2024-03-19:out_of_band")) == 0);
}

TEST_CASE("a release more than three hours off the usual time is not moved") {
  const RegularSeries history = PatternWeeks(3);
  std::vector<Event> events = PacificReleases();  // usually 19:00 in Berlin
  events.push_back(MakeEvent("microsoft", EventKind::kRelease,
                             Utc("2024-05-14T14:00:00Z")));  // 16:00 CEST: 3 h off, moved
  events.push_back(MakeEvent("microsoft", EventKind::kRelease,
                             Utc("2024-06-11T13:00:00Z")));  // 15:00 CEST: 4 h off
  events.push_back(MakeEvent("microsoft", EventKind::kRelease,
                             Utc("2024-07-09T08:00:00Z")));  // 10:00 CEST: 9 h off
  std::vector<EventRef> refs = forecast_steps::IndexEvents(history, events, 3600);
  forecast_steps::AlignReleasesOnLocalNights(refs, Zone("Europe/Berlin"), 3600);
  CHECK(Shift(RefOf(refs, "microsoft:2024-05-14:release")) == 3);
  CHECK(Shift(RefOf(refs, "microsoft:2024-06-11:release")) == 0);
  CHECK(Shift(RefOf(refs, "microsoft:2024-07-09:release")) == 0);
}

TEST_CASE("the usual release time is each calendar's own") {
  // Adobe releases at 17:00Z: 18:00 in Berlin in winter, its usual time, so none of its releases
  // moves, though Microsoft's release at that local time does.
  const RegularSeries history = PatternWeeks(3);
  std::vector<Event> events = PacificReleases();
  events.push_back(MakeEvent("adobe", EventKind::kRelease, Utc("2024-01-09T17:00:00Z")));
  events.push_back(MakeEvent("adobe", EventKind::kRelease, Utc("2024-02-13T17:00:00Z")));
  events.push_back(MakeEvent("adobe", EventKind::kRelease, Utc("2024-03-12T17:00:00Z")));
  std::vector<EventRef> refs = forecast_steps::IndexEvents(history, events, 3600);
  forecast_steps::AlignReleasesOnLocalNights(refs, Zone("Europe/Berlin"), 3600);
  CHECK(Shift(RefOf(refs, "microsoft:2024-03-12:release")) == 1);
  CHECK(Shift(RefOf(refs, "adobe:2024-01-09:release")) == 0);
  CHECK(Shift(RefOf(refs, "adobe:2024-02-13:release")) == 0);
  CHECK(Shift(RefOf(refs, "adobe:2024-03-12:release")) == 0);
}

// Three weeks (504 steps), as_of at the end, windows of 2 h before and 3 h after.
ForecastOptions QuietOptions() {
  ForecastOptions options;
  options.window_before = hours{2};
  options.window_after = hours{3};
  return options;
}

std::size_t CountQuiet(const std::vector<std::uint8_t>& quiet, std::size_t from, std::size_t to) {
  return static_cast<std::size_t>(std::count(quiet.begin() + static_cast<std::ptrdiff_t>(from),
                                             quiet.begin() + static_cast<std::ptrdiff_t>(to),
                                             std::uint8_t{1}));
}

TEST_CASE("MarkQuietSteps marks the steps of each event's window, clipped to the usable history") {
  const std::vector<Event> events = {
      MakeEvent("a", EventKind::kCustom, SeriesStart() + hours{100}),  // steps 98..103
      MakeEvent("b", EventKind::kCustom, SeriesStart() - hours{1}),    // steps -3..2
      MakeEvent("c", EventKind::kCustom, SeriesStart() + hours{502}),  // steps 500..505
      MakeEvent("d", EventKind::kCustom, SeriesStart() + hours{600}),  // after the history
  };
  StepsFixture f(PatternWeeks(3), events, QuietOptions());
  f.Place();
  forecast_steps::MarkQuietSteps(f.ctx, f.refs);
  const std::vector<std::uint8_t>& quiet = f.ctx.quiet;
  REQUIRE(quiet.size() == 504);
  CHECK(CountQuiet(quiet, 0, 3) == 0);
  CHECK(quiet[3] == 1);
  CHECK(quiet[97] == 1);
  CHECK(CountQuiet(quiet, 98, 104) == 0);
  CHECK(quiet[104] == 1);
  CHECK(quiet[499] == 1);
  CHECK(CountQuiet(quiet, 500, 504) == 0);
  CHECK(CountQuiet(quiet, 0, 504) == 504 - 3 - 6 - 4);
}

TEST_CASE("MarkQuietSteps leaves out an outage's steps, and keeps a level shift") {
  // Hourly: four hours at 5 % on day 9, the first day's 10:00 at 5 % (no day before it), and the
  // level three times higher from day 15 on. The last day's first hours, with a gap the day
  // before and no day after, have nothing to be compared with.
  const auto outage = [](std::size_t i) { return (i >= 226 && i < 230) || i == 10; };
  const auto gap = [](std::size_t i) { return i >= 456 && i < 460; };
  StepsFixture f(PatternWeeks(3,
                              [&](std::size_t i) {
                                if (gap(i)) return kNaN;
                                if (outage(i)) return 0.05;
                                return i >= 15 * 24 ? 3.0 : 1.0;
                              }),
                 {}, QuietOptions());
  f.Place();
  forecast_steps::MarkQuietSteps(f.ctx, f.refs);
  const std::vector<std::uint8_t>& quiet = f.ctx.quiet;
  CHECK(CountQuiet(quiet, 226, 230) == 0);
  CHECK(quiet[225] == 1);
  CHECK(quiet[230] == 1);
  CHECK(quiet[10] == 0);
  CHECK(CountQuiet(quiet, 480, 484) == 4);
  CHECK(CountQuiet(quiet, 0, 504) == 504 - 5);  // the shift's first day is kept
}

TEST_CASE("MarkQuietSteps judges an outage on quarter-hours: one empty minute is noise") {
  // One-minute steps of two days at 100 a minute: a single minute at 0, and twenty at 2.
  RegularSeries series =
      testing::MakeSeries(SeriesStart(), minutes{1}, 2 * 1440, [](sys_seconds) { return 100.0; });
  series.values[600] = 0;
  for (std::size_t i = 1500; i < 1520; ++i) series.values[i] = 2;
  StepsFixture f(std::move(series), {}, QuietOptions());
  f.Place();
  forecast_steps::MarkQuietSteps(f.ctx, f.refs);
  const std::vector<std::uint8_t>& quiet = f.ctx.quiet;
  CHECK(quiet[600] == 1);
  CHECK(CountQuiet(quiet, 1500, 1520) < 20);
  CHECK(CountQuiet(quiet, 1500, 1515) == 0);  // the quarter-hour they fill
  CHECK(quiet[1490] == 1);
}

// A match every day at `hour` from 2024-01-08 to 2024-01-21, windows of 12 h either side: from the
// first window's start on, no step of the three weeks is quiet.
std::vector<Event> DailyMatches(int hour) {
  std::vector<Event> events;
  for (int day = 7; day < 21; ++day) {
    events.push_back(MakeEvent("cup", EventKind::kCustom, SeriesStart() + hours{24 * day + hour}));
  }
  return events;
}

ForecastOptions MatchOptions() {
  ForecastOptions options;
  options.window_before = hours{12};
  options.window_after = hours{12};
  return options;
}

TEST_CASE("when no quiet step with data lies within the last 14 days, every step counts") {
  // The last two weeks are steps 168..503 (336 steps).
  SUBCASE("matches at 12:00: the last quiet step is 167, just before the two weeks") {
    StepsFixture f(PatternWeeks(3), DailyMatches(12), MatchOptions());
    f.Place();
    forecast_steps::MarkQuietSteps(f.ctx, f.refs);
    CHECK(CountQuiet(f.ctx.quiet, 0, 504) == 504);
  }
  SUBCASE("matches at 13:00: step 168 is quiet and inside the two weeks") {
    StepsFixture f(PatternWeeks(3), DailyMatches(13), MatchOptions());
    f.Place();
    forecast_steps::MarkQuietSteps(f.ctx, f.refs);
    CHECK(f.ctx.quiet[168] == 1);
    CHECK(CountQuiet(f.ctx.quiet, 169, 504) == 0);
    CHECK(CountQuiet(f.ctx.quiet, 0, 504) == 169);
  }
  SUBCASE("matches at 13:00, but step 168 is a gap: a quiet step without data does not count") {
    StepsFixture f(PatternWeeks(3, [](std::size_t i) { return i == 168 ? kNaN : 1.0; }),
                   DailyMatches(13), MatchOptions());
    f.Place();
    forecast_steps::MarkQuietSteps(f.ctx, f.refs);
    CHECK(CountQuiet(f.ctx.quiet, 0, 504) == 504);
  }
}

// Three hourly weeks of `value`.
RegularSeries Constant(double value) {
  return testing::MakeSeries(SeriesStart(), hours{1}, 504, [=](sys_seconds) { return value; });
}

TEST_CASE("FitBaseline sets epsilon to a thousandth of the median positive profile value") {
  SUBCASE("a constant series of 500: epsilon 0.5") {
    StepsFixture f(Constant(500), {}, ForecastOptions{});
    f.Fit();
    CHECK(f.ctx.baseline.profile[17] == doctest::Approx(500));
    CHECK(f.ctx.epsilon == doctest::Approx(0.5));
  }
  SUBCASE("Pattern(): the median of its 168 hourly values in a week") {
    StepsFixture f(PatternWeeks(3), {}, ForecastOptions{});
    f.Fit();
    std::vector<double> week(168);
    for (std::size_t h = 0; h < week.size(); ++h) week[h] = Pattern(SeriesStart() + hours{h});
    std::sort(week.begin(), week.end());
    const double median = 0.5 * (week[83] + week[84]);
    CHECK(f.ctx.epsilon == doctest::Approx(1e-3 * median));
  }
  SUBCASE("a series of zeros keeps the floor of 1e-9") {
    StepsFixture f(Constant(0), {}, ForecastOptions{});
    f.Fit();
    CHECK(f.ctx.epsilon == 1e-9);
  }
  SUBCASE("a tiny series: a thousandth of its values is below 1e-9, so 1e-9") {
    StepsFixture f(Constant(1e-8), {}, ForecastOptions{});
    f.Fit();
    CHECK(f.ctx.epsilon == 1e-9);
  }
}

// Issue 11: users in New York (the dominant zone) and Sydney (SydneyMornings).
constexpr double kQuietLevel = 100;
constexpr double kSydneyMorning = 1000;

RegularSeries SydneyMornings(int weeks) {
  return testing::SydneyMornings(weeks, kQuietLevel, kSydneyMorning);
}

ForecastOptions NewYorkAndSydney(sys_seconds as_of) {
  ForecastOptions options = GridOptions(as_of);
  options.zone_mix = {{"America/New_York", 0.6}, {"Australia/Sydney", 0.4}};
  return options;
}

// The step of `utc` in the fixture's history.
std::size_t StepAt(const StepsFixture& f, const char* utc) {
  return static_cast<std::size_t>(testing::StepOf(f.history, Utc(utc)));
}

// Place, MarkQuietSteps and MarkClockSets.
void MarkClocks(StepsFixture& f) {
  f.Place();
  forecast_steps::MarkQuietSteps(f.ctx, f.refs);
  forecast_steps::MarkClockSets(f.ctx, f.zones, f.grid);
}

TEST_CASE("MarkClockSets numbers each set of offsets between the zones, today's first") {
  // New York moved at 2024-03-10T07:00Z, Sydney at 2024-04-06T16:00Z: three sets of offsets.
  StepsFixture f(SydneyMornings(10), {}, NewYorkAndSydney(Utc("2024-04-10T00:00:00Z")));
  MarkClocks(f);
  REQUIRE(f.ctx.clock_set.size() == f.ctx.usable);
  const auto set_at = [&](const char* utc) { return f.ctx.clock_set[StepAt(f, utc)]; };
  CHECK(set_at("2024-02-05T00:00:00Z") == 1);
  CHECK(set_at("2024-03-10T06:00:00Z") == 1);
  CHECK(set_at("2024-03-10T07:00:00Z") == 2);
  CHECK(set_at("2024-04-06T15:00:00Z") == 2);
  CHECK(set_at("2024-04-06T16:00:00Z") == forecast_steps::kTodaysClocks);
  CHECK(f.ctx.clock_set.back() == forecast_steps::kTodaysClocks);
}

TEST_CASE("MarkClockSets leaves no sets for one zone, or zones that change together") {
  ForecastOptions options = GridOptions(Utc("2024-04-10T00:00:00Z"));
  SUBCASE("one zone") { options.zone_mix = {{"America/New_York", 1.0}}; }
  SUBCASE("Paris and Helsinki, both at 01:00Z on 2024-03-31") {
    options.zone_mix = {{"Europe/Paris", 0.6}, {"Europe/Helsinki", 0.4}};
  }
  StepsFixture f(SydneyMornings(10), {}, options);
  MarkClocks(f);
  CHECK(f.ctx.clock_set.empty());
  CHECK(forecast_steps::QuietStepsOnTodaysClocks(f.ctx) == f.ctx.quiet);
}

TEST_CASE("QuietStepsOnTodaysClocks leaves out steps from before a zone of the mix moved") {
  StepsFixture f(SydneyMornings(8), {}, NewYorkAndSydney(Utc("2024-04-01T00:00:00Z")));
  MarkClocks(f);
  const std::vector<std::uint8_t> kept = forecast_steps::QuietStepsOnTodaysClocks(f.ctx);
  REQUIRE(kept.size() == f.ctx.quiet.size());
  const std::size_t moved = StepAt(f, "2024-03-10T07:00:00Z");
  CHECK(kept[moved - 1] == 0);
  CHECK(kept[moved] == 1);
  CHECK(std::count(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(moved), 0) ==
        static_cast<std::ptrdiff_t>(moved));
  CHECK(std::all_of(kept.begin() + static_cast<std::ptrdiff_t>(moved), kept.end(),
                    [](std::uint8_t q) { return q == 1; }));
}

TEST_CASE(
    "QuietStepsOnTodaysClocks keeps every quiet step when under a week shares today's clocks") {
  // Five days after New York's change.
  StepsFixture f(SydneyMornings(8), {}, NewYorkAndSydney(Utc("2024-03-15T00:00:00Z")));
  MarkClocks(f);
  CHECK(forecast_steps::QuietStepsOnTodaysClocks(f.ctx) == f.ctx.quiet);
}

TEST_CASE("ProfileOnTodaysClocks says whether the profile's weeks are all on today's clocks") {
  ForecastOptions options = NewYorkAndSydney(Utc("2024-04-01T00:00:00Z"));
  bool expected = true;
  SUBCASE("three weeks after New York's change") {}
  SUBCASE("five days after it: the profile takes the weeks before too") {
    options.as_of = Utc("2024-03-15T00:00:00Z");
    expected = false;
  }
  SUBCASE("one zone") {
    options.zone_mix = {{"America/New_York", 1.0}};
    options.as_of = Utc("2024-03-15T00:00:00Z");
  }
  StepsFixture f(SydneyMornings(8), {}, options);
  MarkClocks(f);
  CHECK(forecast_steps::ProfileOnTodaysClocks(f.ctx) == expected);
  CHECK((forecast_steps::QuietStepsOnTodaysClocks(f.ctx) != f.ctx.quiet) ==
        (expected && !f.ctx.clock_set.empty()));
}

TEST_CASE("FitOtherClockBaselines fits each other clock set on its own weeks") {
  // Before New York's change, Sydney's 09:00 came at 17:00 New York time; today at 18:00.
  StepsFixture f(SydneyMornings(8), {}, NewYorkAndSydney(Utc("2024-04-01T00:00:00Z")));
  f.Fit();
  REQUIRE(f.ctx.clock_baselines.size() == 2);
  CHECK_FALSE(f.ctx.clock_baselines[forecast_steps::kTodaysClocks].has_value());
  REQUIRE(f.ctx.clock_baselines[1].has_value());
  const std::uint32_t sunday = 6 * 24;
  const WeeklyBaseline& before = *f.ctx.clock_baselines[1];
  CHECK(before.profile[sunday + 17] == doctest::Approx(kQuietLevel + kSydneyMorning).epsilon(0.01));
  CHECK(before.profile[sunday + 18] == doctest::Approx(kQuietLevel).epsilon(0.01));
  // Each step is described by its own set's baseline.
  CHECK(&f.ctx.BaselineOfStep(0) == &before);
  CHECK(&f.ctx.BaselineOfStep(-5) == &before);
  CHECK(&f.ctx.BaselineOfStep(static_cast<std::int64_t>(StepAt(f, "2024-03-10T07:00:00Z"))) ==
        &f.ctx.baseline);
  CHECK(&f.ctx.BaselineOfStep(static_cast<std::int64_t>(f.ctx.usable) + 10) == &f.ctx.baseline);
}

TEST_CASE("FitOtherClockBaselines skips a set with under a week of quiet steps") {
  // Sydney's change on 2024-04-06T16:00Z leaves New York's set of 03-10 .. 04-06 four weeks, and
  // today's set four days: today's baseline takes every quiet step, and the February set has its
  // own baseline. The March set is left out when event windows cover all but a few days of it.
  const std::vector<Event> events = {
      MakeEvent("a", EventKind::kCustom, Utc("2024-03-14T00:00:00Z")),
      MakeEvent("a", EventKind::kCustom, Utc("2024-03-23T00:00:00Z")),
      MakeEvent("a", EventKind::kCustom, Utc("2024-04-01T00:00:00Z")),
  };
  ForecastOptions options = NewYorkAndSydney(Utc("2024-04-10T00:00:00Z"));
  options.window_before = hours{48};
  options.window_after = hours{192};
  StepsFixture f(SydneyMornings(10), events, options);
  f.Fit();
  REQUIRE(f.ctx.clock_baselines.size() == 3);
  CHECK(f.ctx.clock_baselines[1].has_value());
  CHECK_FALSE(f.ctx.clock_baselines[2].has_value());
  CHECK(&f.ctx.BaselineOfStep(static_cast<std::int64_t>(StepAt(f, "2024-03-20T00:00:00Z"))) ==
        &f.ctx.baseline);
}

TEST_CASE("FitBaseline puts a minority zone's hour where today's clocks put it") {
  // Five of the profile's eight weeks had Sydney's 09:00 at 17:00 New York time; since 2024-03-10
  // it comes at 18:00. The baseline must follow today's clocks, not the majority of its weeks.
  StepsFixture f(SydneyMornings(8), {}, NewYorkAndSydney(Utc("2024-04-01T00:00:00Z")));
  f.Fit();
  // Slots follow New York's clock; Sydney's Monday 09:00 is New York's Sunday evening.
  const std::uint32_t sunday = 6 * 24;
  CHECK(f.ctx.baseline.profile[sunday + 18] ==
        doctest::Approx(kQuietLevel + kSydneyMorning).epsilon(0.01));
  CHECK(f.ctx.baseline.profile[sunday + 17] == doctest::Approx(kQuietLevel).epsilon(0.01));
}

// Demand of users on `zone`'s clock: Pattern's day on that clock, 0.6 of it in the waking hours
// (07:00 to 23:00) of a weekend; nights are alike whatever the day.
double LocalDemand(const date::time_zone& zone, sys_seconds t) {
  const sys_seconds wall{calendars::ZoneConverter(zone).ToLocal(t).time_since_epoch()};
  const auto day = date::floor<date::days>(wall);
  const auto hour = std::chrono::floor<hours>(wall - day).count();
  const bool weekend = date::weekday{day}.iso_encoding() >= 6;
  const double weekday = weekend ? Pattern(wall - date::days{2}) : Pattern(wall);
  return weekend && hour >= 7 && hour < 23 ? 0.6 * weekday : weekday;
}

TEST_CASE("FitBaseline fills a mix of zones' hole from the days its waking users share") {
  // Tokyo (60 %) is dominant and London (40 %) awake on Tokyo's Saturday night. The eight days'
  // only Tokyo Saturday is a gap: its first hours, a Friday afternoon in London, must take the
  // working days' hours, not Sunday's (a Saturday afternoon in London).
  const date::time_zone& tokyo = Zone("Asia/Tokyo");
  const date::time_zone& london = Zone("Europe/London");
  const auto demand = [&](sys_seconds t) {
    return 0.6 * LocalDemand(tokyo, t) + 0.4 * LocalDemand(london, t);
  };
  const sys_seconds start = Utc("2024-01-08T00:00:00Z");  // a Monday
  RegularSeries series = testing::MakeSeries(start, hours{1}, 8 * 24, demand);
  const sys_seconds tokyo_saturday = Utc("2024-01-12T15:00:00Z");
  const auto first_hole = static_cast<std::size_t>((tokyo_saturday - start) / hours{1});
  for (std::size_t i = first_hole; i < first_hole + 24; ++i) series.values[i] = kNaN;
  ForecastOptions options = GridOptions(Utc("2024-01-16T00:00:00Z"));
  options.zone_mix = {{"Asia/Tokyo", 0.6}, {"Europe/London", 0.4}};
  StepsFixture f(std::move(series), {}, options);
  f.Fit();
  const std::uint32_t saturday = 5 * 24;
  for (std::uint32_t hour = 0; hour < 7; ++hour) {  // London's 15:00 to 21:00 on Friday
    CAPTURE(hour);
    CHECK(f.ctx.baseline.profile[saturday + hour] ==
          doctest::Approx(demand(tokyo_saturday + hours{hour})));
  }
}

TEST_CASE("FitBaseline learns from the quiet steps only") {
  // Two Tuesdays' 12:00-14:00 are event windows at five times the pattern; the third Tuesday is
  // quiet. Counting all steps, the slot's median would be 5x; counting quiet ones, it is Pattern().
  const std::vector<Event> events = {
      MakeEvent("a", EventKind::kCustom, Utc("2024-01-02T12:00:00Z")),
      MakeEvent("a", EventKind::kCustom, Utc("2024-01-09T12:00:00Z")),
  };
  ForecastOptions options;
  options.window_before = hours{0};
  options.window_after = hours{2};
  const auto in_window = [](std::size_t i) {
    const std::size_t hour_of_week = i % 168;
    return i < 336 && hour_of_week >= 36 && hour_of_week <= 38;
  };
  StepsFixture f(PatternWeeks(3, [&](std::size_t i) { return in_window(i) ? 5.0 : 1.0; }), events,
                 options);
  f.Fit();
  for (std::uint32_t slot = 36; slot <= 38; ++slot) {
    CHECK(f.ctx.baseline.profile[slot] ==
          doctest::Approx(Pattern(SeriesStart() + hours{slot})).epsilon(1e-9));
  }
}

// Six weeks of Pattern, the last 44 % higher: the profile's median and the Theil-Sen trend keep
// the first five weeks' level, and the anchor on the last week moves it by sqrt(1.44) = 1.2.
RegularSeries HigherLastWeek() {
  return PatternWeeks(6, [](std::size_t i) { return i >= 5 * 168 ? 1.44 : 1.0; });
}

// The baseline FitBaseline would fit on f's quiet steps with the level anchor at `anchor`.
WeeklyBaseline RefitWithAnchor(const StepsFixture& f, double anchor) {
  BaselineFitOptions options = f.options.baseline;
  options.level_anchor = anchor;
  const std::span<const double> values(f.history.values.data(), f.ctx.usable);
  Result<WeeklyBaseline> fit = FitWeeklyBaseline(values, f.ctx.slots, f.ctx.quiet, f.history.start,
                                                 f.history.step, f.ctx.usable, options);
  REQUIRE(fit.has_value());
  return std::move(*fit);
}

TEST_CASE("FitBaseline anchors the level on the last week, unless every step counts") {
  constexpr std::uint32_t kNoonMonday = 12;
  SUBCASE("quiet weeks: halfway to the last week's level") {
    StepsFixture f(HigherLastWeek(), {}, MatchOptions());
    f.Fit();
    CHECK_FALSE(f.ctx.every_step_counts);
    CHECK(f.ctx.baseline.profile[kNoonMonday] ==
          doctest::Approx(1.2 * RefitWithAnchor(f, 0).profile[kNoonMonday]));
  }
  SUBCASE("a match every day of the last four weeks: the trend line's level") {
    // The last week is all match windows: anchored on it, the level would hold the matches' draw,
    // which the forecast adds again as their excess.
    std::vector<Event> matches;
    for (int day = 14; day < 42; ++day) {
      matches.push_back(MakeEvent("cup", EventKind::kCustom, SeriesStart() + hours{24 * day + 12}));
    }
    StepsFixture f(HigherLastWeek(), matches, MatchOptions());
    f.Fit();
    CHECK(f.ctx.every_step_counts);
    const double plain = RefitWithAnchor(f, 0).profile[kNoonMonday];
    CHECK(f.ctx.baseline.profile[kNoonMonday] == doctest::Approx(plain));
    CHECK(RefitWithAnchor(f, 0.5).profile[kNoonMonday] == doctest::Approx(1.2 * plain));
  }
}

TEST_CASE("FitBaseline follows a rise within days, unless every step counts") {
  constexpr std::uint32_t kNoonMonday = 12;
  // Six weeks of Pattern, the last two days three times as high.
  const RegularSeries risen =
      PatternWeeks(6, [](std::size_t i) { return i >= 40 * 24 ? 3.0 : 1.0; });
  // The profile FitBaseline's options would fit on f's quiet steps with this shift_ratio.
  const auto refit = [](const StepsFixture& f, double shift_ratio) {
    BaselineFitOptions options = forecast_steps::BaselineFitOptionsOf(f.ctx);
    options.shift_ratio = shift_ratio;
    const std::span<const double> values(f.history.values.data(), f.ctx.usable);
    Result<WeeklyBaseline> fit = FitWeeklyBaseline(
        values, f.ctx.slots, f.ctx.quiet, f.history.start, f.history.step, f.ctx.usable, options);
    REQUIRE(fit.has_value());
    return fit->profile[kNoonMonday];
  };
  SUBCASE("quiet weeks: the last two days' level") {
    StepsFixture f(risen, {}, MatchOptions());
    f.Fit();
    CHECK(f.ctx.baseline.profile[kNoonMonday] == doctest::Approx(3 * refit(f, 0)));
  }
  SUBCASE("a match every day of the last four weeks: not moved") {
    // The last days are all match windows: their level would hold the matches' draw, which the
    // forecast adds again as their excess.
    std::vector<Event> matches;
    for (int day = 14; day < 42; ++day) {
      matches.push_back(MakeEvent("cup", EventKind::kCustom, SeriesStart() + hours{24 * day + 12}));
    }
    StepsFixture f(risen, matches, MatchOptions());
    f.Fit();
    CHECK(f.ctx.every_step_counts);
    const double plain = refit(f, 0);
    CHECK(f.ctx.baseline.profile[kNoonMonday] == doctest::Approx(plain));
    CHECK(refit(f, 1.5) == doctest::Approx(3 * plain));
  }
}

TEST_CASE("FitBaseline passes on FitWeeklyBaseline's refusal of less than a week") {
  StepsFixture f(PatternWeeks(3), {}, GridOptions(Utc("2024-01-04T00:00:00Z")));
  f.Place();
  forecast_steps::MarkQuietSteps(f.ctx, f.refs);
  const Status fitted = forecast_steps::FitBaseline(f.ctx, f.ctx.quiet);
  REQUIRE_FALSE(fitted.has_value());
  CHECK(fitted.error().code == ErrorCode::kUnprocessable);
  CHECK_MESSAGE(Contains(fitted.error().message, "covers 3 days"), fitted.error().message);
}

}  // namespace
}  // namespace patchcast::forecasting
