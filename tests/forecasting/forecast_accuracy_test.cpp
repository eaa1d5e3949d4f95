// Scoring a kept forecast against what happened (issue 15) on hand-made forecasts and series whose
// scores are worked out by hand in the comments, and the summaries of scorecards.
#include "forecasting/forecast_accuracy.h"

#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting {
namespace {

using doctest::Approx;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::sys_seconds;
using std::chrono::weeks;
using testing::MakeSeries;

// Monday 2026-03-09, the eve of March's Patch Tuesday.
constexpr sys_seconds kAsOf{std::chrono::sys_days{std::chrono::year{2026} / 3 / 9}};
constexpr sys_seconds kTuesday = kAsOf + days{1};

ForecastPoint Point(sys_seconds ts, double p50, double p90, double p99) {
  return {ts, p50, {p50, p90, p99}};
}

ForecastRecord Record(std::vector<ForecastPoint> points, std::vector<EventForecast> events = {},
                      std::chrono::seconds step = hours{1}) {
  ForecastRecord record;
  record.id = "fc-1";
  record.series_id = "logins";
  record.as_of = kAsOf;
  record.generated_at = kAsOf + minutes{5};
  record.step = step;
  record.forecast.quantile_levels = {0.5, 0.9, 0.99};
  record.forecast.points = std::move(points);
  record.forecast.events = std::move(events);
  return record;
}

EventForecast Upcoming(std::string id, sys_seconds start, sys_seconds peak_ts = {},
                       std::vector<double> peak = {}) {
  EventForecast event;
  event.id = std::move(id);
  event.start = start;
  event.peak.ts = peak_ts;
  event.peak.quantiles = std::move(peak);
  return event;
}

// The forecast over Monday and Tuesday, hourly: p50 110 with a 360 spike at Tuesday 03:00, p90
// 150, p99 200 but 450 at Tuesday 02:00. Its last point is Tuesday 23:00.
std::vector<ForecastPoint> TwoDayPoints() {
  std::vector<ForecastPoint> points;
  for (int h = 0; h < 48; ++h) {
    const sys_seconds t = kAsOf + hours{h};
    points.push_back(
        Point(t, t == kTuesday + hours{3} ? 360 : 110, 150, t == kTuesday + hours{2} ? 450 : 200));
  }
  return points;
}

// Two weeks of history then the horizon. History: 100 * ISO weekday last week (Monday 100,
// Tuesday 200) and 7 more the week before, so seasonal naive shows which week it took. Horizon:
// Monday 100, Tuesday 120 with the reboot wave's 400 at 02:00.
RegularSeries TwoDayActual() {
  return MakeSeries(kAsOf - weeks{2}, hours{1}, 2 * 168 + 48, [](sys_seconds t) -> double {
    const auto day = std::chrono::floor<days>(t);
    if (t < kAsOf) {
      const double weekday = std::chrono::weekday{day}.iso_encoding();
      return 100 * weekday + (t < kAsOf - weeks{1} ? 7 : 0);
    }
    if (t == kTuesday + hours{2}) return 400;
    return day == kTuesday ? 120 : 100;
  });
}

ForecastScorecard ScoreOk(const ForecastRecord& record, const RegularSeries& actual) {
  const Result<ForecastScorecard> card = ScoreForecast(record, actual, kAsOf + days{3});
  REQUIRE_MESSAGE(card.has_value(), (card.has_value() ? "" : card.error().message));
  return *card;
}

TEST_CASE("a scorecard names its forecast and when it was made and scored") {
  const ForecastScorecard card = ScoreOk(Record(TwoDayPoints()), TwoDayActual());
  CHECK(card.forecast_id == "fc-1");
  CHECK(card.series_id == "logins");
  CHECK(card.as_of == kAsOf);
  CHECK(card.generated_at == kAsOf + minutes{5});
  CHECK(card.scored_at == kAsOf + days{3});
  CHECK(card.horizon_end == kTuesday + hours{23});
}

TEST_CASE("the whole horizon is scored on the p50 line and each level's coverage") {
  const WindowScore score = ScoreOk(Record(TwoDayPoints()), TwoDayActual()).forecast;
  CHECK(score.steps == 48);
  // p50 peak 360 at 03:00 against the actual 400 at 02:00: 10 % under, an hour late.
  CHECK(score.peak_error == Approx(-0.1));
  CHECK(score.peak_timing_error_minutes == 60);
  // Monday 24 * 10/100; Tuesday 22 * 10/120; 02:00 290/400; 03:00 240/120.
  CHECK(score.mape == Approx((24 * 0.1 + 22 * 10.0 / 120 + 0.725 + 2) / 48));
  // p50 110 covers Monday (24) and Tuesday 03:00 (120 <= 360); p90 150 misses only the 400;
  // p99 450 at 02:00 covers everything.
  CHECK(score.coverage_p50 == Approx(25.0 / 48));
  CHECK(score.coverage_p90 == Approx(47.0 / 48));
  CHECK(score.coverage_p99 == 1);
}

TEST_CASE("seasonal naive repeats last week's values on the same steps") {
  const WindowScore naive = ScoreOk(Record(TwoDayPoints()), TwoDayActual()).seasonal_naive;
  CHECK(naive.steps == 48);
  // Monday 100 (exact), Tuesday 200: 23 steps at 80/120 and the wave at 200/400.
  CHECK(naive.mape == Approx((23 * 80.0 / 120 + 0.5) / 48));
  // Its peak, 200 from Tuesday 00:00, is half the wave and two hours early.
  CHECK(naive.peak_error == Approx(-0.5));
  CHECK(naive.peak_timing_error_minutes == -120);
  // A point forecast: every level covers the steps at or below it, all but the wave.
  CHECK(naive.coverage_p50 == Approx(47.0 / 48));
  CHECK(naive.coverage_p90 == Approx(47.0 / 48));
  CHECK(naive.coverage_p99 == Approx(47.0 / 48));
}

TEST_CASE("an event is scored from its start to the horizon's end, on its own p50 peak") {
  const sys_seconds start = kAsOf + hours{18};
  const ForecastScorecard card = ScoreOk(
      Record(TwoDayPoints(), {Upcoming("release", start, kTuesday + hours{3}, {380, 500, 650})}),
      TwoDayActual());
  REQUIRE(card.events.size() == 1);
  const EventAccuracy& event = card.events[0];
  CHECK(event.event_id == "release");
  CHECK(event.start == start);
  CHECK(event.actual_peak == 400);
  CHECK(event.actual_peak_ts == kTuesday + hours{2});
  // [Monday 18:00, Wednesday 00:00): 72 hours clipped to 30 steps.
  CHECK(event.forecast.steps == 30);
  CHECK(event.forecast.peak_error == Approx(-0.05));  // 380 against 400
  CHECK(event.forecast.peak_timing_error_minutes == 60);
  // Monday's 6 steps at 10/100, then Tuesday as on the whole horizon.
  CHECK(event.forecast.mape == Approx((6 * 0.1 + 22 * 10.0 / 120 + 0.725 + 2) / 30));
  CHECK(event.forecast.coverage_p50 == Approx(7.0 / 30));
  CHECK(event.forecast.coverage_p90 == Approx(29.0 / 30));
  CHECK(event.forecast.coverage_p99 == 1);
  CHECK(event.seasonal_naive.steps == 30);
  CHECK(event.seasonal_naive.mape == Approx((23 * 80.0 / 120 + 0.5) / 30));
  CHECK(event.seasonal_naive.peak_error == Approx(-0.5));
  CHECK(event.seasonal_naive.coverage_p90 == Approx(29.0 / 30));
}

TEST_CASE("an event without a p50 peak is judged on the top of the p50 line in its window") {
  const ForecastScorecard card =
      ScoreOk(Record(TwoDayPoints(), {Upcoming("release", kAsOf + hours{18})}), TwoDayActual());
  REQUIRE(card.events.size() == 1);
  CHECK(card.events[0].forecast.peak_error == Approx(-0.1));  // 360 at 03:00
  CHECK(card.events[0].forecast.peak_timing_error_minutes == 60);
}

TEST_CASE("only events starting from the first point to the last are scored") {
  const ForecastScorecard card = ScoreOk(
      Record(TwoDayPoints(),
             {Upcoming("under-way", kAsOf - hours{1}), Upcoming("first", kAsOf),
              Upcoming("last", kTuesday + hours{23}), Upcoming("after", kTuesday + hours{24})}),
      TwoDayActual());
  REQUIRE(card.events.size() == 2);
  CHECK(card.events[0].event_id == "first");
  CHECK(card.events[0].forecast.steps == 48);  // 72 hours clipped to the horizon
  CHECK(card.events[1].event_id == "last");
  // One step, 23:00: p50 110 against 120.
  CHECK(card.events[1].forecast.steps == 1);
  CHECK(card.events[1].forecast.peak_error == Approx(-10.0 / 120));
  CHECK(card.events[1].forecast.peak_timing_error_minutes == 0);
}

TEST_CASE("an event's window lasts 72 hours when the horizon allows") {
  std::vector<ForecastPoint> points;
  for (int h = 0; h < 96; ++h) points.push_back(Point(kAsOf + hours{h}, 100, 100, 100));
  const RegularSeries flat =
      MakeSeries(kAsOf - weeks{1}, hours{1}, 168 + 96, [](sys_seconds) { return 100.0; });
  SUBCASE("on the grid") {
    const ForecastScorecard card = ScoreOk(Record(points, {Upcoming("e", kAsOf + hours{1})}), flat);
    REQUIRE(card.events.size() == 1);
    CHECK(card.events[0].forecast.steps == 72);
    CHECK(card.events[0].seasonal_naive.steps == 72);
    CHECK(card.events[0].forecast.mape == 0);
  }
  SUBCASE("between steps, the step containing the start counts too") {
    const ForecastScorecard card =
        ScoreOk(Record(points, {Upcoming("e", kAsOf + minutes{90})}), flat);
    REQUIRE(card.events.size() == 1);
    CHECK(card.events[0].forecast.steps == 73);  // 01:00 .. Thursday 01:00, both partly in
  }
}

TEST_CASE("steps without a point are not scored") {
  RegularSeries actual = TwoDayActual();
  for (int h = 0; h < 12; ++h) actual.values[2 * 168 + h] = kMissing;  // Monday 00:00 .. 11:00
  const ForecastScorecard card = ScoreOk(Record(TwoDayPoints()), actual);
  CHECK(card.forecast.steps == 36);
  CHECK(card.forecast.mape == Approx((12 * 0.1 + 22 * 10.0 / 120 + 0.725 + 2) / 36));
  CHECK(card.forecast.coverage_p50 == Approx(13.0 / 36));
  CHECK(card.seasonal_naive.steps == 36);
  CHECK(card.seasonal_naive.mape == Approx((23 * 80.0 / 120 + 0.5) / 36));
}

TEST_CASE("a forecast without 0.5 is scored on its next level up and lacks the levels it lacks") {
  ForecastRecord record = Record(TwoDayPoints());
  SUBCASE("0.75 stands in for the median") {
    record.forecast.quantile_levels = {0.25, 0.75, 0.9};
    for (ForecastPoint& point : record.forecast.points) point.quantiles = {70, 120, 150};
    const WindowScore score = ScoreOk(record, TwoDayActual()).forecast;
    // Line 120: Monday 24 * 20/100, Tuesday exact but the wave's 280/400.
    CHECK(score.mape == Approx((24 * 0.2 + 0.7) / 48));
    CHECK(score.peak_error == Approx(-0.7));  // 120, first at Monday 00:00, against 400
    CHECK(score.peak_timing_error_minutes == -26 * 60);
    CHECK(std::isnan(score.coverage_p50));
    CHECK(score.coverage_p90 == Approx(47.0 / 48));
    CHECK(std::isnan(score.coverage_p99));
  }
  SUBCASE("a level within 1e-9 of 0.5 is 0.5") {
    record.forecast.quantile_levels = {0.5 + 1e-12, 0.9, 0.99};
    CHECK(ScoreOk(record, TwoDayActual()).forecast.coverage_p50 == Approx(25.0 / 48));
  }
}

// A daily series: 100 * ISO weekday + the number of weeks before kAsOf (Monday of week -1 is 101,
// of week -2 is 102), 1000 from kAsOf on; week -1's Tuesday is missing.
RegularSeries DailyActual() {
  RegularSeries actual =
      MakeSeries(kAsOf - weeks{3}, days{1}, 21 + 10, [](sys_seconds t) -> double {
        if (t >= kAsOf) return 1000;
        const auto weeks_before = std::chrono::ceil<weeks>(kAsOf - t).count();
        return 100.0 * std::chrono::weekday{std::chrono::floor<days>(t)}.iso_encoding() +
               static_cast<double>(weeks_before);
      });
  actual.values[21 - 6] = kMissing;
  return actual;
}

TEST_CASE("seasonal naive takes the fewest whole weeks back that the forecast could know") {
  struct Case {
    const char* name;
    sys_seconds as_of;
    sys_seconds point;
    double naive;
  };
  const Case cases[] = {
      {"the first point: last week", kAsOf, kAsOf, 101},
      {"Sunday: last week", kAsOf, kAsOf + days{6}, 701},
      {"a week ahead: two weeks back", kAsOf, kAsOf + days{7}, 101},
      {"Wednesday a week ahead", kAsOf, kAsOf + days{9}, 301},
      {"a gap: the week before", kAsOf, kAsOf + days{1}, 202},
      // Monday's step ends after as_of: the forecast did not learn from it.
      {"as_of within a step", kAsOf + hours{12}, kAsOf + days{7}, 101},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    ForecastRecord record = Record({Point(c.point, 1000, 1000, 1000)}, {}, days{1});
    record.as_of = c.as_of;
    const WindowScore naive = ScoreOk(record, DailyActual()).seasonal_naive;
    CHECK(naive.steps == 1);
    // One step at actual 1000: the peak error reads the naive value back.
    CHECK(1000 * (1 + naive.peak_error) == Approx(c.naive));
  }
}

TEST_CASE("points at another step are refused, naming both steps") {
  RegularSeries half_hourly = TwoDayActual();
  half_hourly.step = minutes{30};
  const Result<ForecastScorecard> card = ScoreForecast(Record(TwoDayPoints()), half_hourly, kAsOf);
  REQUIRE_FALSE(card.has_value());
  CHECK(card.error().code == ErrorCode::kInvalidArgument);
  CHECK(card.error().message ==
        "the points' step of 1800 s is not forecast 'fc-1''s step of 3600 s");
}

TEST_CASE("points that stop short of the first window to score cannot be scored yet") {
  RegularSeries actual = TwoDayActual();
  SUBCASE("a step short of the horizon, with no event") {
    actual.values.pop_back();
    const Result<ForecastScorecard> card = ScoreForecast(Record(TwoDayPoints()), actual, kAsOf);
    REQUIRE_FALSE(card.has_value());
    CHECK(card.error().code == ErrorCode::kUnprocessable);
    CHECK(card.error().message ==
          "the points do not reach the end of forecast 'fc-1''s first window to score yet (they "
          "end at 2026-03-10T22:00:00Z; the window ends at 2026-03-10T23:00:00Z)");
  }
  SUBCASE("none at all") {
    actual.values.clear();
    const Result<ForecastScorecard> card = ScoreForecast(Record(TwoDayPoints()), actual, kAsOf);
    REQUIRE_FALSE(card.has_value());
    CHECK(card.error().message ==
          "the points do not reach the end of forecast 'fc-1''s first window to score yet (there "
          "are none; the window ends at 2026-03-10T23:00:00Z)");
  }
  SUBCASE("the last step there but empty is a gap, not scored") {
    actual.values.back() = kMissing;
    const ForecastScorecard card = ScoreOk(Record(TwoDayPoints()), actual);
    CHECK(card.complete());
    CHECK(card.forecast.steps == 47);
  }
}

// Four days hourly, flat at 100, with an event 1 h in (window to Thursday 00:00) and another at
// Wednesday 12:00 (clipped to the horizon, Thursday 23:00).
ForecastRecord FourDayRecord() {
  std::vector<ForecastPoint> points;
  for (int h = 0; h < 96; ++h) points.push_back(Point(kAsOf + hours{h}, 100, 120, 150));
  return Record(
      points, {Upcoming("late", kAsOf + days{2} + hours{12}), Upcoming("early", kAsOf + hours{1})});
}

RegularSeries FlatUntil(sys_seconds end) {
  const auto steps = static_cast<std::size_t>((end - (kAsOf - weeks{1})) / hours{1});
  return MakeSeries(kAsOf - weeks{1}, hours{1}, steps, [](sys_seconds) { return 100.0; });
}

TEST_CASE("the milestones are each event window's last step, then the last point") {
  const std::vector<sys_seconds> milestones = ScoringMilestones(FourDayRecord());
  REQUIRE(milestones.size() == 2);
  CHECK(milestones[0] == kAsOf + hours{72});  // early: 01:00 + 72 h, its last step 00:00 Thursday
  CHECK(milestones[1] == kAsOf + hours{95});  // late is clipped to the horizon: one milestone
  CHECK(ScoringMilestones(Record({})) == std::vector<sys_seconds>{kAsOf});
}

TEST_CASE("an event is scored once its window is covered, before the horizon is") {
  const ForecastRecord record = FourDayRecord();
  SUBCASE("the early event's window covered: a partial card") {
    const ForecastScorecard card = ScoreOk(record, FlatUntil(kAsOf + hours{73}));
    CHECK_FALSE(card.complete());
    CHECK(card.next_score_at == kAsOf + hours{95});
    REQUIRE(card.events.size() == 1);
    CHECK(card.events[0].event_id == "early");
    CHECK(card.events[0].forecast.steps == 72);
    CHECK(card.events[0].forecast.mape == 0);
    CHECK(card.forecast.steps == 0);  // the horizon waits for its end
    CHECK(std::isnan(card.forecast.mape));
    CHECK(card.seasonal_naive.steps == 0);
  }
  SUBCASE("a step short of that window: nothing yet") {
    const Result<ForecastScorecard> card =
        ScoreForecast(record, FlatUntil(kAsOf + hours{72}), kAsOf);
    REQUIRE_FALSE(card.has_value());
    CHECK(card.error().code == ErrorCode::kUnprocessable);
  }
  SUBCASE("the horizon covered: complete, with both events") {
    const ForecastScorecard card = ScoreOk(record, FlatUntil(kAsOf + hours{96}));
    CHECK(card.complete());
    REQUIRE(card.events.size() == 2);
    CHECK(card.events[0].event_id == "early");
    CHECK(card.events[1].event_id == "late");
    CHECK(card.events[1].forecast.steps == 36);  // Wednesday 12:00 to the horizon's end
    CHECK(card.forecast.steps == 96);
  }
}

ForecastScorecard Card(std::string id, sys_seconds generated_at, sys_seconds horizon_end,
                       WindowScore forecast, WindowScore naive = {},
                       std::vector<EventAccuracy> events = {}) {
  ForecastScorecard card;
  card.forecast_id = std::move(id);
  card.generated_at = generated_at;
  card.horizon_end = horizon_end;
  card.forecast = forecast;
  card.seasonal_naive = naive;
  card.events = std::move(events);
  return card;
}

void CheckAllNaN(const AccuracySummary& summary) {
  CHECK(summary.scored == 0);
  CHECK(std::isnan(summary.median_abs_peak_error));
  CHECK(std::isnan(summary.median_abs_peak_timing_error_minutes));
  CHECK(std::isnan(summary.median_mape));
  CHECK(std::isnan(summary.coverage_p50));
  CHECK(std::isnan(summary.coverage_p90));
  CHECK(std::isnan(summary.coverage_p99));
  CHECK(std::isnan(summary.seasonal_naive_median_mape));
  CHECK(std::isnan(summary.beats_seasonal_naive));
}

TEST_CASE("the recent summary takes the horizons that ended within the span, now included") {
  const sys_seconds now = kAsOf + weeks{4};
  const auto span = weeks{4};
  const WindowScore wild{.peak_error = 9, .mape = 9, .coverage_p50 = 0, .steps = 1000};
  const std::vector<ForecastScorecard> cards = {
      Card("a", kAsOf, now, {-0.1, 60, 0.2, 0.5, 0.9, 1.0, 10}, {.mape = 0.3}),
      Card("b", kAsOf, now - span + std::chrono::seconds{1},
           {0.3, -120, 0.1, 0.6, 0.8, kMissing, 30}, {.mape = 0.05}),
      Card("c", kAsOf, now - hours{1}, {kMissing, kMissing, 0.4, 0.2, 0.7, 0.9, 20}),
      Card("too old", kAsOf, now - span, wild),
      Card("not yet", kAsOf, now + std::chrono::seconds{1}, wild),
  };
  const AccuracySummary summary = SummarizeRecent(cards, now, span);
  CHECK(summary.scored == 3);
  CHECK(summary.median_abs_peak_error == Approx(0.2));                // of 0.1 and 0.3
  CHECK(summary.median_abs_peak_timing_error_minutes == Approx(90));  // of 60 and 120
  CHECK(summary.median_mape == Approx(0.2));                          // of 0.2, 0.1, 0.4
  // Weighted by steps: (0.5 * 10 + 0.6 * 30 + 0.2 * 20) / 60, and p99 without b.
  CHECK(summary.coverage_p50 == Approx(27.0 / 60));
  CHECK(summary.coverage_p90 == Approx(47.0 / 60));
  CHECK(summary.coverage_p99 == Approx(28.0 / 30));
  CHECK(summary.seasonal_naive_median_mape == Approx(0.175));  // of 0.3 and 0.05
  // a beats naive; b does not; c has no naive MAPE to beat.
  CHECK(summary.beats_seasonal_naive == Approx(1.0 / 3));
  CheckAllNaN(SummarizeRecent(cards, now - weeks{5}, span));
}

TEST_CASE("summaries leave out what scored no step") {
  const sys_seconds now = kAsOf + weeks{1};
  const std::vector<ForecastScorecard> cards = {
      Card("scored", kAsOf, now - hours{1}, {.mape = 0.1, .steps = 10}),
      Card("partial or unscorable", kAsOf, now - hours{2}, {}),
  };
  const AccuracySummary summary = SummarizeRecent(cards, now, weeks{4});
  CHECK(summary.scored == 1);
  CHECK(summary.median_mape == Approx(0.1));
  CHECK(summary.beats_seasonal_naive == 0);
}

EventAccuracy Scored(std::string id, sys_seconds start, WindowScore forecast,
                     WindowScore naive = {}) {
  EventAccuracy event;
  event.event_id = std::move(id);
  event.start = start;
  event.forecast = forecast;
  event.seasonal_naive = naive;
  return event;
}

// e1 starts Tuesday 18:00 and is scored by forecasts made the day before, at its start and an hour
// after; e2 (Saturday before) only by the two made after it; e3 (Thursday) only by the last.
std::vector<ForecastScorecard> EventCards() {
  const sys_seconds e1 = kTuesday + hours{18};
  const sys_seconds e2 = kAsOf - days{2};
  const sys_seconds e3 = kAsOf + days{3};
  return {
      Card("after", e1 + hours{1}, e3, {}, {},
           {Scored("e2", e2, {.mape = 0.23}), Scored("e1", e1, {.mape = 0.3}),
            Scored("e3", e3, {.mape = 0.33, .coverage_p50 = 0.9, .steps = 30}, {.mape = 0.5})}),
      Card("day before", e1 - days{1}, e3, {}, {}, {Scored("e1", e1, {.mape = 0.1})}),
      Card("at start", e1, e3, {}, {},
           {Scored("e1", e1, {.mape = 0.2, .coverage_p50 = 0.5, .steps = 10}, {.mape = 0.1}),
            Scored("e2", e2, {.mape = 0.22, .coverage_p50 = 0, .steps = 100}, {.mape = 0.3})}),
  };
}

TEST_CASE("each event is scored by the forecast in force when it began") {
  const std::vector<EventAccuracy> events = EventsInForce(EventCards());
  REQUIRE(events.size() == 3);
  CHECK(events[0].event_id == "e2");
  CHECK(events[0].forecast.mape == 0.22);  // none before it: the earliest after
  CHECK(events[1].event_id == "e1");
  CHECK(events[1].forecast.mape == 0.2);  // made at its start, the last at or before
  CHECK(events[2].event_id == "e3");
  CHECK(events[2].forecast.mape == 0.33);
  CHECK(EventsInForce({}).empty());
}

TEST_CASE("the last events' summary takes the latest events in force") {
  const std::vector<ForecastScorecard> cards = EventCards();
  const AccuracySummary last_two = SummarizeLastEvents(cards, 2);  // e1 and e3
  CHECK(last_two.scored == 2);
  CHECK(last_two.median_mape == Approx(0.265));  // of 0.2 and 0.33
  CHECK(last_two.coverage_p50 == Approx((0.5 * 10 + 0.9 * 30) / 40));
  CHECK(last_two.seasonal_naive_median_mape == Approx(0.3));  // of 0.1 and 0.5
  CHECK(last_two.beats_seasonal_naive == Approx(0.5));        // e3 only
  CHECK(std::isnan(last_two.median_abs_peak_error));
  CHECK(SummarizeLastEvents(cards, 99).scored == 3);
  CheckAllNaN(SummarizeLastEvents(cards, 0));
}

}  // namespace
}  // namespace patchcast::forecasting
