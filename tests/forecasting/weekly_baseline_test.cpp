#include "forecasting/weekly_baseline.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::hours;
using std::chrono::seconds;
using testing::MakeSeries;
using testing::Pattern;
using testing::Utc;
using testing::Zone;

struct Fitted {
  RegularSeries series;
  std::vector<std::uint32_t> slots;
  std::vector<std::uint8_t> quiet;
  Result<WeeklyBaseline> fit = Unprocessable("not fitted");
};

Fitted Fit(RegularSeries series, std::string_view zone, BaselineFitOptions options = {}) {
  Fitted out;
  out.series = std::move(series);
  ComputeWeekSlots(out.series.start, out.series.step, out.series.size(), Zone(zone), out.slots);
  out.quiet.assign(out.series.size(), 1);
  out.fit = FitWeeklyBaseline(out.series.values, out.slots, out.quiet, out.series.start,
                              out.series.step, out.series.size(), options);
  return out;
}

TEST_CASE("slots of week count from Monday 00:00 local") {
  std::vector<std::uint32_t> slots;
  // 2024-01-01 was a Monday.
  ComputeWeekSlots(Utc("2024-01-01T00:00:00Z"), hours{1}, 3, Zone("UTC"), slots);
  CHECK(slots == std::vector<std::uint32_t>{0, 1, 2});
  // Tokyo is UTC+9: Sunday 2023-12-31T15:00Z is Monday 00:00 there.
  ComputeWeekSlots(Utc("2023-12-31T15:00:00Z"), hours{1}, 1, Zone("Asia/Tokyo"), slots);
  CHECK(slots[0] == 0);
  ComputeWeekSlots(Utc("2023-12-31T14:00:00Z"), hours{1}, 1, Zone("Asia/Tokyo"), slots);
  CHECK(slots[0] == 167);
  CHECK(SlotsPerWeek(seconds{300}) == 2016);
}

TEST_CASE("a pure weekly pattern is reproduced exactly") {
  for (const seconds step : {seconds{3600}, seconds{900}}) {
    CAPTURE(step.count());
    const auto weeks = 6;
    const std::size_t count = static_cast<std::size_t>(weeks * 7 * 86400 / step.count());
    Fitted f = Fit(MakeSeries(Utc("2024-01-01T00:00:00Z"), step, count, Pattern), "UTC");
    REQUIRE(f.fit.has_value());
    CHECK(f.fit->weekly_trend == 0);
    CHECK(f.fit->missing_slots == 0);
    for (std::size_t i = 0; i < SlotsPerWeek(step); ++i) {
      const auto t = f.series.TimeAt(count + i);
      std::vector<std::uint32_t> slot;
      ComputeWeekSlots(t, step, 1, Zone("UTC"), slot);
      // Pooling neighbouring 5-minute slots is a median of a smooth curve: within 0.5 %.
      CHECK(f.fit->At(slot[0], t) == doctest::Approx(Pattern(t)).epsilon(0.005));
    }
  }
}

TEST_CASE("a profile in Europe/Berlin time stays aligned across the March DST change") {
  // Users follow Berlin's wall clock: the pattern is in local hours. The history ends just after
  // the 2024-03-31 change; the forecast week is entirely in summer time.
  const date::time_zone& berlin = Zone("Europe/Berlin");
  const auto local_pattern = [&](std::chrono::sys_seconds t) {
    calendars::ZoneConverter converter(berlin);
    return Pattern(std::chrono::sys_seconds{converter.ToLocal(t).time_since_epoch()});
  };
  const std::size_t count = 8 * 7 * 24;  // 2024-02-05 .. 2024-04-01
  const RegularSeries series =
      MakeSeries(Utc("2024-02-05T00:00:00Z"), hours{1}, count, local_pattern);
  Fitted local = Fit(series, "Europe/Berlin");
  Fitted utc = Fit(series, "UTC");
  REQUIRE(local.fit.has_value());
  REQUIRE(utc.fit.has_value());
  double local_error = 0;
  double utc_error = 0;
  for (std::size_t i = 0; i < 7 * 24; ++i) {
    const auto t = series.TimeAt(count + i);
    std::vector<std::uint32_t> slot;
    ComputeWeekSlots(t, hours{1}, 1, berlin, slot);
    local_error = std::max(local_error, std::abs(local.fit->At(slot[0], t) - local_pattern(t)));
    ComputeWeekSlots(t, hours{1}, 1, Zone("UTC"), slot);
    utc_error = std::max(utc_error, std::abs(utc.fit->At(slot[0], t) - local_pattern(t)));
  }
  CHECK(local_error < 1e-9);
  CHECK(utc_error > 20);  // a UTC profile fitted mostly on winter time is an hour off
}

TEST_CASE("gaps, an incident's dip and a one-off spike do not distort the profile") {
  const std::size_t count = 8 * 7 * 24;
  RegularSeries series = MakeSeries(Utc("2024-01-01T00:00:00Z"), hours{1}, count, Pattern);
  for (std::size_t i = 100; i < 160; ++i) series.values[i] = kMissing;  // a gap of 60 h
  for (std::size_t i = 500; i < 504; ++i) series.values[i] *= 0.1;      // an outage
  series.values[900] *= 25;                                             // a spike
  for (std::size_t i = 1200; i < 1300; ++i) series.values[i] = kMissing;
  Fitted f = Fit(series, "UTC");
  REQUIRE(f.fit.has_value());
  CHECK(f.fit->missing_slots == 0);
  for (std::size_t i = 0; i < 168; ++i) {
    const auto t = f.series.TimeAt(count + i);
    CHECK(f.fit->At(f.slots[count - 168 + i], t) == doctest::Approx(Pattern(t)));
  }
}

TEST_CASE("a day with no data takes the shape of the other days of its kind") {
  // Eight days from Monday 2024-01-01: the only Friday and the only Sunday are missing. Bridging
  // each hole from its neighbours would draw a flat line across a whole day.
  const std::size_t count = 8 * 24;
  RegularSeries series = MakeSeries(Utc("2024-01-01T00:00:00Z"), hours{1}, count, Pattern);
  const std::size_t friday = 4 * 24;
  const std::size_t sunday = 6 * 24;
  for (std::size_t i = friday; i < friday + 24; ++i) series.values[i] = kMissing;
  for (std::size_t i = sunday; i < sunday + 24; ++i) series.values[i] = kMissing;
  Fitted f = Fit(series, "UTC");
  REQUIRE(f.fit.has_value());
  CHECK(f.fit->missing_slots == 48);
  for (const std::size_t day : {friday, sunday}) {
    for (std::size_t i = day; i < day + 24; ++i) {
      const auto t = f.series.TimeAt(i);
      CAPTURE(date::format("%a %H:%M", t));
      // Friday as the other weekdays (noon 400, night 100), Sunday as Saturday (0.6 of them).
      CHECK(f.fit->At(f.slots[i], t) == doctest::Approx(Pattern(t)));
    }
  }
}

TEST_CASE("a hole is filled from the days weekend_slots calls its kind") {
  // Eight days from Monday 2024-01-01 with the only Saturday missing. In a mix of zones the first
  // nine hours of the profile's Saturday can be a working Friday for the users awake then: those
  // take the weekdays' hours, the rest of Saturday takes Sunday's.
  const std::size_t count = 8 * 24;
  RegularSeries series = MakeSeries(Utc("2024-01-01T00:00:00Z"), hours{1}, count, Pattern);
  const std::size_t saturday = 5 * 24;
  for (std::size_t i = saturday; i < saturday + 24; ++i) series.values[i] = kMissing;
  BaselineFitOptions options;
  options.weekend_slots.assign(SlotsPerWeek(hours{1}), 0);
  for (std::size_t s = saturday + 9; s < 7 * 24; ++s) options.weekend_slots[s] = 1;
  Fitted f = Fit(series, "UTC", options);
  REQUIRE(f.fit.has_value());
  CHECK(f.fit->missing_slots == 24);
  for (std::size_t i = saturday; i < saturday + 24; ++i) {
    const auto t = f.series.TimeAt(i);
    CAPTURE(date::format("%a %H:%M", t));
    const bool weekend = i >= saturday + 9;
    const double friday = Pattern(t - date::days{1});
    CHECK(f.fit->At(f.slots[i], t) == doctest::Approx(weekend ? Pattern(t) : friday));
  }
}

TEST_CASE("the level moves halfway toward the last week's") {
  // Seven weeks of Pattern, then a week 21 % higher. The median over eight weeks and the
  // Theil-Sen trend keep the level of the seven; the last week moves it by sqrt(1.21) = 1.1.
  const std::size_t count = 8 * 7 * 24;
  const auto start = Utc("2024-01-01T00:00:00Z");
  const auto stepped = [&](std::chrono::sys_seconds t) {
    return Pattern(t) * (t >= start + hours{7 * 7 * 24} ? 1.21 : 1.0);
  };
  const RegularSeries series = MakeSeries(start, hours{1}, count, stepped);
  const auto next_week_ratio = [&](const Fitted& f) {
    double low = 1e9;
    double high = 0;
    for (std::size_t i = 0; i < 168; ++i) {
      const auto t = f.series.TimeAt(count + i);
      const double ratio = f.fit->At(f.slots[count - 168 + i], t) / Pattern(t);
      low = std::min(low, ratio);
      high = std::max(high, ratio);
    }
    return std::pair{low, high};
  };
  CHECK(BaselineFitOptions{}.level_anchor == 0.5);
  // The anchor, and the next week's level it gives over Pattern: the trend line's alone at 0,
  // halfway by default, all the way at 1.
  struct Row {
    double anchor;
    double level;
  };
  for (const Row row : {Row{0.0, 1.0}, Row{0.5, 1.1}, Row{1.0, 1.21}}) {
    CAPTURE(row.anchor);
    BaselineFitOptions options;
    options.level_anchor = row.anchor;
    Fitted f = Fit(series, "UTC", options);
    REQUIRE(f.fit.has_value());
    CHECK(f.fit->weekly_trend == 0);
    const std::pair<double, double> range = next_week_ratio(f);
    CHECK(range.first == doctest::Approx(row.level));
    CHECK(range.second == doctest::Approx(row.level));
  }
}

// Eight weeks of Pattern, each of the last days times its factor in `last_days` (the last day
// last), fitted with `options` on `quiet` (every step when empty); returns the fitted level over
// Pattern across the next day, or NaN when it is not one level.
double NextDayLevel(const std::vector<double>& last_days, BaselineFitOptions options = {},
                    std::vector<std::uint8_t> quiet = {}) {
  const std::size_t count = 8 * 7 * 24;
  const auto start = Utc("2024-01-01T00:00:00Z");
  RegularSeries series = MakeSeries(start, hours{1}, count, Pattern);
  for (std::size_t d = 0; d < last_days.size(); ++d) {
    const std::size_t from = count - 24 * (last_days.size() - d);
    for (std::size_t i = from; i < from + 24; ++i) series.values[i] *= last_days[d];
  }
  std::vector<std::uint32_t> slots;
  ComputeWeekSlots(start, hours{1}, count + 24, Zone("UTC"), slots);
  if (quiet.empty()) quiet.assign(count, 1);
  const Result<WeeklyBaseline> fit =
      FitWeeklyBaseline(series.values, slots, quiet, start, hours{1}, count, options);
  REQUIRE(fit.has_value());
  double low = 1e9;
  double high = 0;
  for (std::size_t i = count; i < count + 24; ++i) {
    const auto t = series.TimeAt(i);
    const double ratio = fit->At(slots[i], t) / Pattern(t);
    low = std::min(low, ratio);
    high = std::max(high, ratio);
  }
  return high - low < 1e-9 ? low : std::nan("");
}

TEST_CASE("a level that rose far within the last two days is followed") {
  CHECK(BaselineFitOptions{}.shift_ratio == 1.5);
  // Five days of the last week at the old level keep the anchor's median at it: only the shift
  // moves the level, to the lower of the two days'.
  CHECK(NextDayLevel({2.5, 3.0}) == doctest::Approx(2.5));
  CHECK(NextDayLevel({3.0, 2.5}) == doctest::Approx(2.5));
  CHECK(NextDayLevel({1.5, 1.6}) == doctest::Approx(1.5));
}

TEST_CASE("a rise within days is not followed when it is one day, small, a fall or off") {
  SUBCASE("one day") { CHECK(NextDayLevel({1.0, 3.0}) == doctest::Approx(1.0)); }
  SUBCASE("under shift_ratio") { CHECK(NextDayLevel({1.4, 3.0}) == doctest::Approx(1.0)); }
  SUBCASE("a fall") { CHECK(NextDayLevel({0.4, 0.4}) == doctest::Approx(1.0)); }
  SUBCASE("disabled") {
    BaselineFitOptions options;
    options.shift_ratio = 0;
    CHECK(NextDayLevel({3.0, 3.0}, options) == doctest::Approx(1.0));
  }
}

TEST_CASE("a rise in an event's wake, or over days with few quiet steps, is not followed") {
  const std::size_t count = 8 * 7 * 24;
  SUBCASE("an event window two days long in the last week") {
    // Its response, learned against the level it was measured on, already carries the rise.
    std::vector<std::uint8_t> quiet(count, 1);
    std::fill(quiet.end() - 5 * 24, quiet.end() - 3 * 24, std::uint8_t{0});
    CHECK(NextDayLevel({3.0, 3.0}, {}, quiet) == doctest::Approx(1.0));
  }
  SUBCASE("the day before mostly in an event window") {
    std::vector<std::uint8_t> quiet(count, 1);
    std::fill(quiet.end() - 48, quiet.end() - 35, std::uint8_t{0});
    CHECK(NextDayLevel({3.0, 3.0}, {}, quiet) == doctest::Approx(1.0));
  }
  SUBCASE("half of the day before quiet is enough") {
    std::vector<std::uint8_t> quiet(count, 1);
    std::fill(quiet.end() - 48, quiet.end() - 36, std::uint8_t{0});
    CHECK(NextDayLevel({3.0, 3.0}, {}, quiet) == doctest::Approx(3.0));
  }
}

TEST_CASE("LevelAfterRiseWithinDays moves a past event's level as a fit's would move") {
  // Three hourly weeks of Pattern times 2, the two days before step 504 times `last_two` instead;
  // the event's level over the weeks before it is 2.
  const auto level_at_504 = [](double last_two, double min_ratio,
                               std::vector<std::uint8_t> quiet = {}) {
    const auto start = Utc("2024-01-01T00:00:00Z");
    RegularSeries series =
        MakeSeries(start, hours{1}, 504, [](std::chrono::sys_seconds t) { return 2 * Pattern(t); });
    for (std::size_t i = 456; i < 504; ++i) series.values[i] *= last_two / 2;
    std::vector<std::uint32_t> slots;
    ComputeWeekSlots(start, hours{1}, 504, Zone("UTC"), slots);
    if (quiet.empty()) quiet.assign(504, 1);
    WeeklyBaseline baseline;
    baseline.step = hours{1};
    baseline.profile.resize(168);
    for (std::size_t slot = 0; slot < 168; ++slot) {
      baseline.profile[slot] = Pattern(start + hours{slot});
    }
    return LevelAfterRiseWithinDays(series.values, slots, quiet, baseline, 504, 2.0, min_ratio);
  };
  CHECK(level_at_504(6, 1.5) == doctest::Approx(6));
  CHECK(level_at_504(3.2, 1.5) == doctest::Approx(3.2));  // 1.6 times: followed
  CHECK(level_at_504(2.8, 1.5) == doctest::Approx(2));    // 1.4 times: not
  CHECK(level_at_504(0.5, 1.5) == doctest::Approx(2));    // a fall: not
  CHECK(level_at_504(6, 0) == doctest::Approx(2));        // disabled
  SUBCASE("two of the seven days before in event windows: not") {
    std::vector<std::uint8_t> quiet(504, 1);
    std::fill(quiet.begin() + 360, quiet.begin() + 408, std::uint8_t{0});
    CHECK(level_at_504(6, 1.5, quiet) == doctest::Approx(2));
  }
}

TEST_CASE("a linear trend is extrapolated") {
  const std::size_t count = 13 * 7 * 24;
  const auto start = Utc("2024-01-01T00:00:00Z");
  const auto growing = [&](std::chrono::sys_seconds t) {
    const double weeks = std::chrono::duration<double>(t - start).count() / (7 * 86400.0);
    return Pattern(t) * (1 + 0.01 * weeks);
  };
  Fitted f = Fit(MakeSeries(start, hours{1}, count, growing), "UTC");
  REQUIRE(f.fit.has_value());
  CHECK(f.fit->weekly_trend == doctest::Approx(0.01 / 1.13).epsilon(0.05));
  const auto t = f.series.TimeAt(count + 84);  // half a week ahead
  CHECK(f.fit->At(f.slots[count - 168 + 84], t) == doctest::Approx(growing(t)).epsilon(0.005));
}

TEST_CASE("less than a week of history is refused, saying what is missing") {
  Fitted f = Fit(MakeSeries(Utc("2024-01-01T00:00:00Z"), hours{1}, 60, Pattern), "UTC");
  REQUIRE_FALSE(f.fit.has_value());
  CHECK(f.fit.error().code == ErrorCode::kUnprocessable);
  CHECK(f.fit.error().message ==
        "history before as_of covers 2.5 days; at least 7 days are needed for the weekly profile");
}

TEST_CASE("a week that is mostly gaps is refused, naming the slots") {
  RegularSeries series = MakeSeries(Utc("2024-01-01T00:00:00Z"), hours{1}, 200, Pattern);
  for (std::size_t i = 0; i < 150; ++i) series.values[i] = kMissing;
  Fitted f = Fit(series, "UTC");
  REQUIRE_FALSE(f.fit.has_value());
  CHECK(f.fit.error().code == ErrorCode::kUnprocessable);
  CHECK(f.fit.error().message.starts_with("the weekly profile has data for 50 of 168 slots"));
}

}  // namespace
}  // namespace patchcast::forecasting
