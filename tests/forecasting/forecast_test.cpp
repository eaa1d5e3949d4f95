#include "forecasting/forecast.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "forecasting/synthetic_telemetry.h"
#include "tests/forecasting/forecast_test_util.h"

namespace patchcast::forecasting {
namespace {

using calendars::Event;
using calendars::EventKind;
using std::chrono::hours;
using std::chrono::seconds;
using std::chrono::sys_seconds;
using testing::InjectedExcess;
using testing::MakeEvent;
using testing::MakeSeries;
using testing::MonthlyReleases;
using testing::Pattern;
using testing::Utc;

// Hourly Pattern() with InjectedExcess() after every event in `events`, from 2024-01-01 to `end`.
RegularSeries WithResponses(const std::vector<Event>& events, sys_seconds end,
                            seconds step = hours{1}) {
  const sys_seconds start = Utc("2024-01-01T00:00:00Z");
  const auto count = static_cast<std::size_t>((end - start) / step);
  return MakeSeries(start, step, count, [&](sys_seconds t) {
    double excess = 0;
    for (const Event& event : events) excess += InjectedExcess(t - event.start);
    return Pattern(t) * (1 + excess);
  });
}

// Seven monthly releases (Jan..Jul 2024) in the history, the August one upcoming.
struct Scenario {
  std::vector<Event> events = MonthlyReleases(date::year{2024} / 1, 8);
  RegularSeries series = WithResponses(events, Utc("2024-08-08T00:00:00Z"));
  ForecastOptions options = [] {
    ForecastOptions o;
    o.horizon = hours{14 * 24};
    o.use_prior = false;
    return o;
  }();
};

const ForecastPoint& PointAt(const Forecast& forecast, sys_seconds ts) {
  const auto it = std::find_if(forecast.points.begin(), forecast.points.end(),
                               [&](const ForecastPoint& p) { return p.ts == ts; });
  REQUIRE(it != forecast.points.end());
  return *it;
}

// The highest value of Pattern() x (1 + InjectedExcess()) within 192 h after `release`, and when.
std::pair<sys_seconds, double> TruePeak(sys_seconds release) {
  std::pair<sys_seconds, double> best{release, 0};
  for (sys_seconds t = release; t <= release + hours{192}; t += hours{1}) {
    const double value = Pattern(t) * (1 + InjectedExcess(t - release));
    if (value > best.second) best = {t, value};
  }
  return best;
}

void CheckIdentical(const Forecast& a, const Forecast& b) {
  REQUIRE(a.points.size() == b.points.size());
  for (std::size_t i = 0; i < a.points.size(); ++i) {
    CHECK(a.points[i].ts == b.points[i].ts);
    CHECK(a.points[i].baseline == b.points[i].baseline);
    CHECK(a.points[i].quantiles == b.points[i].quantiles);
  }
  REQUIRE(a.events.size() == b.events.size());
  for (std::size_t i = 0; i < a.events.size(); ++i) {
    CHECK(a.events[i].id == b.events[i].id);
    CHECK(a.events[i].peak.ts == b.events[i].peak.ts);
    CHECK(a.events[i].peak.quantiles == b.events[i].peak.quantiles);
  }
}

TEST_CASE("a known injected response is forecast with its hour shape, peak time exact") {
  Scenario s;
  const Result<Forecast> forecast = ForecastDemand(s.series, s.events, s.options);
  REQUIRE(forecast.has_value());
  CHECK(forecast->model.kind == ModelKind::kLearned);
  CHECK(forecast->model.events_used == 7);
  CHECK(forecast->model.history_to == Utc("2024-08-08T00:00:00Z"));
  REQUIRE(forecast->points.size() == 14 * 24);
  CHECK(forecast->points.front().ts == Utc("2024-08-08T00:00:00Z"));

  const sys_seconds release = s.events.back().start;  // 2024-08-13T18:00Z
  double worst = 0;
  for (const ForecastPoint& point : forecast->points) {
    const double truth = Pattern(point.ts) * (1 + InjectedExcess(point.ts - release));
    worst = std::max(worst, std::abs(point.quantiles[0] / truth - 1));
  }
  CHECK(worst < 0.02);

  REQUIRE(forecast->events.size() == 1);
  const EventForecast& event = forecast->events[0];
  CHECK(event.id == "microsoft:2024-08-13:release");
  // The highest demand of the window: the morning wave (+39 h, 0.6) meets Thursday's late morning
  // at +41 h, above the sharp +14 h wave (1.5) on a quieter hour.
  const auto [truth_ts, truth_peak] = TruePeak(release);
  CHECK(truth_ts == release + hours{41});
  CHECK(event.peak.ts == truth_ts);
  CHECK(event.peak.window.p10 == event.peak.ts);
  CHECK(event.peak.window.p90 == event.peak.ts);
  CHECK(event.peak.quantiles[0] == doctest::Approx(truth_peak).epsilon(0.02));
  // The largest multiple of the baseline is the sharp wave's 1 + 1.5.
  CHECK(event.lift_p50 == doctest::Approx(2.5).epsilon(0.02));
}

// Releases at 10:00 Pacific, second Tuesdays from January 2023 to January 2024, and a Tokyo user
// base whose machines reboot at 03:00 local: a 20-minute spike (excess 2, standard deviation 10
// minutes) on the first 03:00 in Tokyo at least 20 h after each release. Tokyo keeps no daylight
// saving, so that spike comes 24 h after a winter release (18:00Z) and 25 h after a summer one
// (17:00Z).
struct TokyoNights {
  std::vector<Event> releases = [] {
    calendars::ZoneConverter pacific(testing::Zone("America/Los_Angeles"));
    std::vector<Event> events;
    for (int m = 0; m < 13; ++m) {
      const date::year_month ym = date::year{2023} / 1 + date::months{m};
      const date::local_days day{ym.year() / ym.month() / date::Tuesday[2]};
      events.push_back(MakeEvent("microsoft", EventKind::kRelease, pacific.ToSys(day + hours{10})));
    }
    return events;
  }();

  static sys_seconds SpikeAfter(sys_seconds release) {
    constexpr auto kTokyoOffset = hours{9};
    sys_seconds spike = date::floor<date::days>(release + kTokyoOffset) - kTokyoOffset + hours{3};
    while (spike < release + hours{20}) spike += hours{24};
    return spike;
  }

  double Value(sys_seconds t) const {
    double excess = 0;
    for (const Event& release : releases) {
      const double minutes =
          std::chrono::duration<double>(t - SpikeAfter(release.start)).count() / 60;
      excess += 2 * std::exp(-0.5 * std::pow(minutes / 10, 2));
    }
    return Pattern(t) * (1 + excess);
  }
};

TEST_CASE("a release's reboot spike stays on the users' local night when daylight saving differs") {
  const TokyoNights tokyo;
  const Event& upcoming = tokyo.releases.back();  // 2024-01-09, 18:00Z: a winter release
  const sys_seconds as_of = upcoming.start - hours{5 * 24};
  const sys_seconds start = Utc("2023-01-01T00:00:00Z");
  const seconds step = std::chrono::minutes{5};
  const RegularSeries series =
      MakeSeries(start, step, static_cast<std::size_t>((as_of - start) / step),
                 [&](sys_seconds t) { return tokyo.Value(t); });
  ForecastOptions options;
  options.as_of = as_of;
  options.horizon = hours{7 * 24};
  options.use_prior = false;
  options.zone_mix = {{"Asia/Tokyo", 1.0}};
  const Result<Forecast> forecast = ForecastDemand(series, tokyo.releases, options);
  REQUIRE(forecast.has_value());
  CHECK(forecast->model.events_used == 12);  // 8 summer releases, 4 winter ones

  // The spike comes 24 h after this winter release, although most past ones had it at 25 h.
  const sys_seconds spike = TokyoNights::SpikeAfter(upcoming.start);
  CHECK(spike == upcoming.start + hours{24});
  const ForecastPoint& at_spike = PointAt(*forecast, spike);
  CHECK(at_spike.quantiles[0] == doctest::Approx(tokyo.Value(spike)).epsilon(0.1));
  CHECK(PointAt(*forecast, spike + hours{1}).quantiles[0] ==
        doctest::Approx(tokyo.Value(spike + hours{1})).epsilon(0.1));
  REQUIRE(forecast->events.size() == 1);
  CHECK(forecast->events[0].lift_p50 == doctest::Approx(3.0).epsilon(0.1));
}

TEST_CASE("quantiles are monotone in q and never negative, on noisy telemetry with events") {
  const std::vector<Event> events = MonthlyReleases(date::year{2024} / 1, 7);
  SyntheticOptions synthetic;
  synthetic.start = Utc("2024-01-01T00:00:00Z");
  synthetic.end = Utc("2024-07-04T00:00:00Z");
  synthetic.noise_log_sd_hourly = 0.2;  // very noisy: low quantiles would go negative if allowed
  synthetic.dips = {{Utc("2024-06-20T03:00:00Z"), hours{5}, 0.0}};
  const Result<SyntheticTelemetry> telemetry = GenerateSyntheticTelemetry(synthetic, events);
  REQUIRE(telemetry.has_value());
  ForecastOptions options;
  options.quantiles = {0.99, 0.01, 0.5, 0.9, 0.1};
  options.horizon = hours{21 * 24};
  options.zone_mix = synthetic.regions;
  const Result<Forecast> forecast = ForecastDemand(telemetry->series, events, options);
  REQUIRE(forecast.has_value());
  CHECK(forecast->quantile_levels == std::vector<double>{0.01, 0.1, 0.5, 0.9, 0.99});
  for (const ForecastPoint& point : forecast->points) {
    REQUIRE(point.quantiles.size() == 5);
    CHECK(point.quantiles.front() >= 0);
    CHECK(std::is_sorted(point.quantiles.begin(), point.quantiles.end()));
  }
  for (const EventForecast& event : forecast->events) {
    CHECK(std::is_sorted(event.peak.quantiles.begin(), event.peak.quantiles.end()));
    CHECK(event.peak.window.p10 <= event.peak.window.p90);
  }
}

TEST_CASE("synthetic telemetry annotates its months and sizes their surges by them") {
  const std::vector<Event> events = MonthlyReleases(date::year{2024} / 1, 24);
  SyntheticOptions synthetic;
  synthetic.start = Utc("2024-01-01T00:00:00Z");
  synthetic.end = Utc("2026-01-01T00:00:00Z");
  const Result<SyntheticTelemetry> plain = GenerateSyntheticTelemetry(synthetic, events);
  synthetic.annotate = true;
  const Result<SyntheticTelemetry> annotated = GenerateSyntheticTelemetry(synthetic, events);
  REQUIRE(plain.has_value());
  REQUIRE(annotated.has_value());
  // Off by default: the events come back as given.
  CHECK(plain->events == events);
  REQUIRE(annotated->events.size() == events.size());
  const auto surge_after = [&](const SyntheticTelemetry& t, const Event& event) {
    const auto from = static_cast<std::size_t>((event.start - synthetic.start) / hours{1});
    double sum = 0;
    for (std::size_t i = from; i < from + 9 * 24 && i < t.surge.size(); ++i) sum += t.surge[i];
    return sum;
  };
  std::size_t critical = 0;
  std::size_t no_restart = 0;
  for (std::size_t m = 0; m < events.size(); ++m) {
    const Event& event = annotated->events[m];
    REQUIRE(event.max_severity.has_value());
    REQUIRE(event.restart_required.has_value());
    const double ratio = surge_after(*annotated, event) / surge_after(*plain, events[m]);
    if (!*event.restart_required) {
      ++no_restart;
      CHECK(ratio == 0);  // no restart, no wave
    } else if (*event.max_severity == calendars::Severity::kCritical) {
      ++critical;
      CHECK(ratio == doctest::Approx(1));
    } else {
      CHECK(ratio == doctest::Approx(synthetic.non_critical_size));
    }
  }
  // Shares 0.6 and 0.15 of 24 months, give or take.
  CHECK(critical >= 8);
  CHECK(critical <= 20);
  CHECK(no_restart >= 1);
  CHECK(no_restart <= 9);
}

TEST_CASE("data after as_of changes nothing") {
  Scenario s;
  s.options.as_of = Utc("2024-07-25T00:00:00Z");
  const Result<Forecast> before = ForecastDemand(s.series, s.events, s.options);
  RegularSeries changed = s.series;
  for (std::size_t i = 0; i < changed.size(); ++i) {
    if (changed.TimeAt(i) >= Utc("2024-07-25T00:00:00Z")) {
      changed.values[i] = i % 2 == 0 ? kMissing : changed.values[i] * 3;
    }
  }
  const Result<Forecast> after = ForecastDemand(changed, s.events, s.options);
  REQUIRE(before.has_value());
  REQUIRE(after.has_value());
  CheckIdentical(*before, *after);
  CHECK(after->model.history_to == Utc("2024-07-25T00:00:00Z"));
  // And the check can fail: data before as_of does matter.
  for (std::size_t i = 0; i < changed.size(); ++i) {
    if (changed.TimeAt(i) < Utc("2024-07-25T00:00:00Z")) changed.values[i] *= 2;
  }
  const Result<Forecast> disturbed = ForecastDemand(changed, s.events, s.options);
  REQUIRE(disturbed.has_value());
  CHECK(disturbed->points[0].quantiles != before->points[0].quantiles);
}

TEST_CASE("the same input gives bit-identical output") {
  Scenario s;
  s.options.use_prior = true;
  s.options.explain = true;
  const Result<Forecast> a = ForecastDemand(s.series, s.events, s.options);
  const Result<Forecast> b = ForecastDemand(s.series, s.events, s.options);
  REQUIRE(a.has_value());
  REQUIRE(b.has_value());
  CheckIdentical(*a, *b);
  // Events in another order, and repeated, are the same events.
  std::vector<Event> shuffled = s.events;
  std::reverse(shuffled.begin(), shuffled.end());
  shuffled.push_back(s.events[3]);
  const Result<Forecast> c = ForecastDemand(s.series, shuffled, s.options);
  REQUIRE(c.has_value());
  CheckIdentical(*a, *c);
}

TEST_CASE("overlapping events of one reboot wave are not double counted") {
  Scenario s;
  // A second calendar that mirrors every release at the same instant.
  std::vector<Event> both = s.events;
  for (const Event& event : s.events) {
    Event mirror = event;
    mirror.calendar_id = "mirror";
    both.push_back(mirror);
  }
  const Result<Forecast> single = ForecastDemand(s.series, s.events, s.options);
  const Result<Forecast> merged = ForecastDemand(s.series, both, s.options);
  REQUIRE(single.has_value());
  REQUIRE(merged.has_value());
  const sys_seconds peak = s.events.back().start + hours{14};
  CHECK(PointAt(*merged, peak).quantiles[0] ==
        doctest::Approx(PointAt(*single, peak).quantiles[0]).epsilon(0.01));
  REQUIRE(merged->events.size() == 2);
  CHECK(merged->events[0].lift_p50 == doctest::Approx(single->events[0].lift_p50).epsilon(0.01));
  // Each point's uplift is credited to one of the two, not both.
  s.options.explain = true;
  const Result<Forecast> explained = ForecastDemand(s.series, both, s.options);
  REQUIRE(explained.has_value());
  const auto index = static_cast<std::size_t>((peak - explained->points.front().ts) / hours{1});
  CHECK(explained->explanations[index].uplifts.size() == 1);
}

TEST_CASE("an out-of-band release days after a release is learned apart from it") {
  // Three months also had an out-of-band release 3 days after Patch Tuesday, with the same
  // response; the release's learned curve must not carry the out-of-band surge as an echo.
  Scenario s;
  std::vector<Event> events = s.events;
  for (int m : {1, 3, 5}) {
    events.push_back(MakeEvent("microsoft", EventKind::kOutOfBand,
                               s.events[static_cast<std::size_t>(m)].start + hours{72}));
  }
  const RegularSeries series = WithResponses(events, Utc("2024-08-08T00:00:00Z"));
  const Result<Forecast> forecast = ForecastDemand(series, events, s.options);
  REQUIRE(forecast.has_value());
  const sys_seconds release = s.events.back().start;
  // Where the out-of-band surges peaked (+72 h + 14 h), the release alone adds ~nothing.
  const ForecastPoint& point = PointAt(*forecast, release + hours{86});
  CHECK(point.quantiles[0] / point.baseline ==
        doctest::Approx(1 + InjectedExcess(hours{86})).epsilon(0.05));
}

TEST_CASE("back-to-back match days are forecast through their overlap, counted once") {
  // A match at midnight every day from day 28 on, windows of 30 h after (each reaching six hours
  // into the next match day), and demand twice Pattern() from 06:00 on the first match day on.
  const sys_seconds start = Utc("2024-01-01T00:00:00Z");
  std::vector<Event> matches;
  for (int day = 28; day <= 38; ++day) {
    matches.push_back(MakeEvent("cup", EventKind::kCustom, start + hours{24 * day}));
  }
  const RegularSeries series = MakeSeries(start, hours{1}, 24 * 42, [&](sys_seconds t) {
    return (t >= start + hours{24 * 28 + 6} ? 2.0 : 1.0) * Pattern(t);
  });
  ForecastOptions options;
  options.window_before = hours{0};
  options.window_after = hours{30};
  options.merge_window = hours{1};  // each match a wave of its own, as the World Cup bench has it
  options.as_of = start + hours{24 * 35 + 12};
  options.horizon = hours{72};
  options.quantiles = {0.5};
  const Result<Forecast> forecast = ForecastDemand(series, matches, options);
  REQUIRE(forecast.has_value());
  // 02:00 on day 37: the second hour of its match and the 26th of day 36's, both learned whole.
  // Neither learned, it would be the bare Pattern(); added, three times it.
  const sys_seconds overlap = start + hours{24 * 37 + 2};
  CHECK(PointAt(*forecast, overlap).quantiles[0] ==
        doctest::Approx(2 * Pattern(overlap)).epsilon(0.05));
  // 12:00 on day 37: day 37's match alone.
  const sys_seconds noon = start + hours{24 * 37 + 12};
  CHECK(PointAt(*forecast, noon).quantiles[0] == doctest::Approx(2 * Pattern(noon)).epsilon(0.05));
}

TEST_CASE("cold start uses the prior alone, then shrinks it from the first past release") {
  const auto run = [](int past_months) {
    const date::year_month first = date::year{2024} / 8 - date::months{past_months};
    std::vector<Event> events = MonthlyReleases(first, past_months + 1);
    const sys_seconds as_of = events.back().start - hours{5 * 24 + 18};
    const sys_seconds start =
        std::min(Utc("2024-07-01T00:00:00Z"), events.front().start - hours{24 * 24});
    const auto count = static_cast<std::size_t>((as_of - start) / hours{1});
    RegularSeries series = MakeSeries(start, hours{1}, count, [&](sys_seconds t) {
      double excess = 0;
      for (const Event& event : events) excess += InjectedExcess(t - event.start);
      return Pattern(t) * (1 + excess);
    });
    ForecastOptions options;
    options.horizon = hours{10 * 24};
    options.zone_mix = {{"Europe/Berlin", 1.0}};
    Result<Forecast> forecast = ForecastDemand(series, events, options);
    REQUIRE(forecast.has_value());
    return std::move(*forecast);
  };
  const Forecast cold = run(0);
  CHECK(cold.model.kind == ModelKind::kPrior);
  CHECK(cold.model.prior_weight == 1);
  CHECK(cold.model.events_used == 0);
  REQUIRE(cold.events.size() == 1);
  // The prior's reboot wave: its median over the prior's timing and size, 12 % here.
  CHECK(cold.events[0].lift_p50 > 1.1);
  CHECK(cold.events[0].events_used == 0);

  // From the first past release on, its own curve carries 1 / (1 + strength) of the weight.
  const Forecast one = run(1);
  CHECK(one.model.kind == ModelKind::kBlended);
  CHECK(one.model.prior_weight == doctest::Approx(0.5 / 1.5));
  CHECK(one.model.events_used == 1);
  const Forecast three = run(3);
  CHECK(three.model.kind == ModelKind::kBlended);
  CHECK(three.model.prior_weight == doctest::Approx(0.5 / 3.5));
  CHECK(three.model.events_used == 3);
  const Forecast six = run(6);
  CHECK(six.model.prior_weight == doctest::Approx(0.5 / 6.5));
  // The learned peak (+14 h, lift 2.5) takes over.
  CHECK(six.events[0].lift_p50 == doctest::Approx(2.5).epsilon(0.1));
}

TEST_CASE("with the prior alone, a wave two hours off the prior's time stays inside p99") {
  // No past release: the prior alone forecasts the August one for users in Berlin.
  const std::vector<Event> events = MonthlyReleases(date::year{2024} / 8, 1);
  const sys_seconds release = events.back().start;
  const sys_seconds start = Utc("2024-07-01T00:00:00Z");
  const sys_seconds as_of = release - hours{5 * 24 + 18};
  // Flat demand, so that the window's highest demand is the wave's top.
  const RegularSeries series =
      MakeSeries(start, hours{1}, static_cast<std::size_t>((as_of - start) / hours{1}),
                 [](sys_seconds) { return 1000.0; });
  ForecastOptions options;
  options.horizon = hours{10 * 24};
  options.zone_mix = {{"Europe/Berlin", 1.0}};
  options.quantiles = {0.5, 0.99};
  const Result<Forecast> forecast = ForecastDemand(series, events, options);
  REQUIRE(forecast.has_value());
  REQUIRE(forecast->model.kind == ModelKind::kPrior);

  // The step where the median stands highest above its baseline: the prior's 03:00 reboot wave,
  // as its median over the prior's timing (5 h either way from p10 to p90) and size uncertainty.
  const auto excess = [](const ForecastPoint& point, std::size_t level) {
    return point.quantiles[level] / point.baseline - 1;
  };
  std::size_t wave = 0;
  for (std::size_t j = 0; j < forecast->points.size(); ++j) {
    if (forecast->points[j].ts < release || forecast->points[j].ts > release + hours{48}) continue;
    if (excess(forecast->points[j], 0) > excess(forecast->points[wave], 0)) wave = j;
  }
  const double wave_excess = excess(forecast->points[wave], 0);
  REQUIRE(wave_excess > 0.05);
  // The event's peak is the wave's top at the prior's install hour, 03:00 in Berlin (01:00Z in
  // summer), higher than the median line's top, which has lost the night's narrow spike.
  REQUIRE(forecast->events.size() == 1);
  const EventPeak& peak = forecast->events[0].peak;
  CHECK(peak.ts - date::floor<date::days>(peak.ts) == hours{1});
  const auto peak_step = static_cast<std::size_t>((peak.ts - forecast->points[0].ts) / hours{1});
  const double top_excess = peak.quantiles[0] / forecast->points[peak_step].baseline - 1;
  CHECK(top_excess > 1.5 * wave_excess);
  // Two hours either side the p99 holds all of the wave's top: a wave that comes two hours off
  // the prior's time stays inside.
  for (const std::size_t j : {wave - 2, wave + 2}) {
    CAPTURE(date::format("%FT%TZ", forecast->points[j].ts));
    CHECK(excess(forecast->points[j], 1) >= top_excess);
  }
}

TEST_CASE("a what-if multiplier scales the event's uplift") {
  Scenario s;
  s.options.explain = true;
  const Result<Forecast> plain = ForecastDemand(s.series, s.events, s.options);
  s.options.what_if = {{"microsoft:2024-08-13:release", 2.0}};
  const Result<Forecast> doubled = ForecastDemand(s.series, s.events, s.options);
  REQUIRE(plain.has_value());
  REQUIRE(doubled.has_value());
  const sys_seconds peak = s.events.back().start + hours{14};
  const auto index = static_cast<std::size_t>((peak - plain->points.front().ts) / hours{1});
  const PointExplanation& a = plain->explanations[index];
  const PointExplanation& b = doubled->explanations[index];
  REQUIRE(a.uplifts.size() == 1);
  REQUIRE(b.uplifts.size() == 1);
  CHECK(a.uplifts[0].event_id == "microsoft:2024-08-13:release");
  CHECK(b.uplifts[0].uplift == doctest::Approx(2 * a.uplifts[0].uplift));
  CHECK(b.baseline == a.baseline);
  CHECK(doubled->events[0].magnitude == doctest::Approx(2 * plain->events[0].magnitude));
  CHECK(doubled->events[0].lift_p50 == doctest::Approx(1 + 2 * 1.5).epsilon(0.03));
}

TEST_CASE("explanations add up to the median forecast's centre") {
  Scenario s;
  s.options.explain = true;
  const Result<Forecast> forecast = ForecastDemand(s.series, s.events, s.options);
  REQUIRE(forecast.has_value());
  REQUIRE(forecast->explanations.size() == forecast->points.size());
  for (std::size_t i = 0; i < forecast->points.size(); ++i) {
    const PointExplanation& e = forecast->explanations[i];
    CHECK(e.baseline == forecast->points[i].baseline);
    double total = e.baseline;
    for (const EventUplift& uplift : e.uplifts) total += uplift.uplift;
    const sys_seconds ts = forecast->points[i].ts;
    CHECK(total == doctest::Approx(Pattern(ts) * (1 + InjectedExcess(ts - s.events.back().start)))
                       .epsilon(0.02));
    CHECK(e.severity_term == 0);  // no size relation without annotations
  }
  s.options.explain = false;
  const Result<Forecast> quiet = ForecastDemand(s.series, s.events, s.options);
  REQUIRE(quiet.has_value());
  CHECK(quiet->explanations.empty());
}

// Twelve monthly releases from September 2023 with annotations and sizes to match: every third
// month not critical and half the size, months 4 and 9 needing no restart and without a wave; the
// thirteenth (2024-09-10) upcoming, annotated by the caller.
struct AnnotatedScenario {
  std::vector<Event> events = [] {
    std::vector<Event> out = MonthlyReleases(date::year{2023} / 9, 13);
    for (std::size_t m = 0; m + 1 < out.size(); ++m) {
      out[m].max_severity =
          m % 3 == 1 ? calendars::Severity::kImportant : calendars::Severity::kCritical;
      out[m].restart_required = m != 4 && m != 9;
    }
    return out;
  }();
  RegularSeries series = [this] {
    const sys_seconds start = Utc("2023-07-03T00:00:00Z");
    const auto count = static_cast<std::size_t>((Utc("2024-09-05T00:00:00Z") - start) / hours{1});
    return MakeSeries(start, hours{1}, count, [&](sys_seconds t) {
      double excess = 0;
      for (const Event& event : events) {
        double size = event.max_severity == calendars::Severity::kImportant ? 0.5 : 1.0;
        if (event.restart_required == false) size = 0;
        excess += size * InjectedExcess(t - event.start);
      }
      return Pattern(t) * (1 + excess);
    });
  }();
  ForecastOptions options = [] {
    ForecastOptions o;
    o.horizon = hours{14 * 24};
    o.explain = true;
    return o;
  }();
};

TEST_CASE("the announced severity and restart scale the event through the size relation") {
  AnnotatedScenario s;
  const auto lift = [&](std::optional<calendars::Severity> severity, std::optional<bool> restart) {
    s.events.back().max_severity = severity;
    s.events.back().restart_required = restart;
    const Result<Forecast> forecast = ForecastDemand(s.series, s.events, s.options);
    REQUIRE(forecast.has_value());
    REQUIRE(forecast->events.size() == 1);
    return forecast->events[0].lift_p50;
  };
  // The sharp wave (+14 h) multiplies demand by 1 + 1.5 * size.
  CHECK(lift(calendars::Severity::kCritical, true) == doctest::Approx(2.5).epsilon(0.05));
  CHECK(lift(calendars::Severity::kImportant, true) == doctest::Approx(1.75).epsilon(0.05));
  CHECK(lift(calendars::Severity::kCritical, false) == doctest::Approx(1).epsilon(0.03));
}

TEST_CASE("the severity term is the whole effect of the annotations on the uplift") {
  AnnotatedScenario s;
  const Result<Forecast> unknown = ForecastDemand(s.series, s.events, s.options);
  s.events.back().max_severity = calendars::Severity::kImportant;
  s.events.back().restart_required = true;
  const Result<Forecast> important = ForecastDemand(s.series, s.events, s.options);
  REQUIRE(unknown.has_value());
  REQUIRE(important.has_value());
  const sys_seconds peak = s.events.back().start + hours{14};
  const auto index = static_cast<std::size_t>((peak - important->points.front().ts) / hours{1});
  const PointExplanation& a = important->explanations[index];
  const PointExplanation& b = unknown->explanations[index];
  REQUIRE(a.uplifts.size() == 1);
  REQUIRE(b.uplifts.size() == 1);
  // A smaller month: the severity term is negative, about half the median event's uplift.
  CHECK(a.severity_term < 0);
  CHECK(a.severity_term ==
        doctest::Approx(-0.5 * (a.uplifts[0].uplift - a.severity_term)).epsilon(0.1));
  // Without the severity term both forecasts are the median event's.
  CHECK(a.uplifts[0].uplift - a.severity_term ==
        doctest::Approx(b.uplifts[0].uplift - b.severity_term).epsilon(1e-6));
}

TEST_CASE("a release known to need no restart has no reboot wave, even from the prior alone") {
  // Cold start: no past release, the prior's wave in Berlin.
  std::vector<Event> events = MonthlyReleases(date::year{2024} / 8, 1);
  const RegularSeries series = MakeSeries(Utc("2024-07-01T00:00:00Z"), hours{1}, 38 * 24, Pattern);
  ForecastOptions options;
  options.horizon = hours{10 * 24};
  options.zone_mix = {{"Europe/Berlin", 1.0}};
  options.explain = true;
  const Result<Forecast> restart = ForecastDemand(series, events, options);
  events[0].restart_required = false;
  const Result<Forecast> none = ForecastDemand(series, events, options);
  REQUIRE(restart.has_value());
  REQUIRE(none.has_value());
  CHECK(restart->events[0].lift_p50 > 1.1);
  CHECK(none->events[0].lift_p50 == doctest::Approx(1));
  CHECK(none->events[0].magnitude == 0);
  // The explanation says why: the severity term takes back the whole wave the prior expects of a
  // release that restarts machines.
  REQUIRE(none->explanations.size() == restart->explanations.size());
  double wave = 0;
  for (std::size_t i = 0; i < none->explanations.size(); ++i) {
    const PointExplanation& e = none->explanations[i];
    const double expected = restart->points[i].quantiles[0] - restart->points[i].baseline;
    wave += expected;
    double uplift = 0;
    for (const EventUplift& u : e.uplifts) uplift += u.uplift;
    CHECK(uplift == 0);
    CHECK(e.severity_term == doctest::Approx(-expected).epsilon(1e-6));
  }
  CHECK(wave > 100);  // the median wave's extra logins: a wave there was to take back
}

// A response with an early wave (+4 h, 2.5 x the baseline's excess), the main one at the next
// midday (+18 h, 0.8) and an echo (+72 h, 0.3): by +8 h about 40 % of its extra demand is in.
double EarlyWaveExcess(std::chrono::seconds offset) {
  const double h = std::chrono::duration<double>(offset).count() / 3600;
  if (h < 0 || h > 192) return 0;
  const auto bump = [&](double centre, double width, double height) {
    return height * std::exp(-0.5 * std::pow((h - centre) / width, 2));
  };
  return bump(4, 1.5, 2.5) + bump(18, 1.5, 0.8) + bump(72, 1.5, 0.3);
}

// Ten monthly releases of sizes 0.8 .. 1.2 (median 1) and an eleventh (2024-11-12, 18:00 UTC)
// of size `last_size`, the history ending `after` its start.
struct UnderWay {
  std::vector<Event> events = MonthlyReleases(date::year{2024} / 1, 11);
  RegularSeries series;
  UnderWay(double last_size, std::chrono::hours after) {
    const sys_seconds start = Utc("2023-12-04T00:00:00Z");
    const auto count = static_cast<std::size_t>((events.back().start + after - start) / hours{1});
    series = MakeSeries(start, hours{1}, count, [&](sys_seconds t) {
      constexpr double kSizes[] = {0.8, 1.2, 0.9, 1.1, 1.0, 0.85, 1.15, 0.95, 1.05, 1.0};
      double excess = 0;
      for (std::size_t m = 0; m < events.size(); ++m) {
        const double size = m + 1 == events.size() ? last_size : kSizes[m];
        excess += size * EarlyWaveExcess(t - events[m].start);
      }
      return Pattern(t) * (1 + excess);
    });
  }
  Forecast Run() const {
    ForecastOptions options;
    options.horizon = hours{10 * 24};
    options.use_prior = false;
    Result<Forecast> forecast = ForecastDemand(series, events, options);
    REQUIRE(forecast.has_value());
    REQUIRE(forecast->events.size() == 1);
    return std::move(*forecast);
  }
};

TEST_CASE("an event under way at as_of is sized by what has been observed of it") {
  const Forecast usual = UnderWay(1.0, hours{8}).Run();
  const Forecast doubled = UnderWay(2.0, hours{8}).Run();
  const EventForecast& a = usual.events[0];
  const EventForecast& b = doubled.events[0];
  // The remaining peak is the next midday's wave: 400 x (1 + 0.8 x size).
  const sys_seconds midday = Utc("2024-11-13T12:00:00Z");
  CHECK(a.peak.ts == midday);
  CHECK(b.peak.ts == midday);
  CHECK(a.peak.quantiles[0] == doctest::Approx(400 * 1.8).epsilon(0.03));
  // About 40 % of the event's expected extra demand is observed, twice as large as expected: the
  // size is shrunk from 2 toward 1 by that share, to about 1.4.
  CHECK(a.observed_share == doctest::Approx(0.4).epsilon(0.15));
  CHECK(b.observed_share == doctest::Approx(a.observed_share));
  CHECK(a.magnitude == doctest::Approx(1).epsilon(0.03));
  CHECK(b.magnitude == doctest::Approx(1 + b.observed_share).epsilon(0.05));
  // So the remaining peak comes out clearly higher, and below what a full doubling would give.
  CHECK(b.peak.quantiles[0] > 1.12 * a.peak.quantiles[0]);
  CHECK(b.peak.quantiles[0] < 400 * (1 + 0.8 * 2));
  CHECK(PointAt(doubled, midday).quantiles[0] > 1.12 * PointAt(usual, midday).quantiles[0]);
}

TEST_CASE("what has been observed of an event under way narrows its quantiles") {
  // The same normal-size event, forecast from before its start and from 8 h into it.
  UnderWay before(1.0, hours{8});
  const Forecast under_way = before.Run();
  before.series.values.resize(before.series.size() - 8 - 5 * 24);  // as of 5 days before it
  const Forecast ahead = before.Run();
  const sys_seconds midday = Utc("2024-11-13T12:00:00Z");
  const ForecastPoint& a = PointAt(ahead, midday);
  const ForecastPoint& b = PointAt(under_way, midday);
  CHECK(b.quantiles[0] == doctest::Approx(a.quantiles[0]).epsilon(0.03));
  const double spread_ahead = a.quantiles[2] - a.quantiles[0];
  const double spread_under_way = b.quantiles[2] - b.quantiles[0];
  CHECK(spread_under_way < 0.9 * spread_ahead);
  CHECK(ahead.events[0].observed_share == 0);
}

TEST_CASE("when events every day leave no recent quiet step, the recent days set the bands") {
  // Six quiet weeks with 2 % noise, then three weeks of a match every day, up to the evening
  // before as_of, and 25 % noise; the matches themselves add nothing. The quiet weeks say nothing
  // of today's uncertainty on the rest days that follow.
  const sys_seconds start = Utc("2024-01-01T00:00:00Z");
  const sys_seconds matches_from = start + hours{6 * 168};
  std::vector<Event> events;
  for (int day = 0; day < 21; ++day) {
    events.push_back(
        MakeEvent("cup", EventKind::kCustom, matches_from + hours{24 * day} + hours{18}));
  }
  const auto noise = [](sys_seconds t) {  // deterministic, roughly standard normal
    const auto h = static_cast<std::uint64_t>(t.time_since_epoch().count() / 3600);
    std::uint64_t z = (h + 1) * 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 31)) * 0xbf58476d1ce4e5b9ULL;
    z ^= z >> 29;
    double sum = 0;
    for (int k = 0; k < 4; ++k) sum += static_cast<double>((z >> (16 * k)) & 0xffff) / 65535.0;
    return (sum - 2) * std::sqrt(3.0);
  };
  const RegularSeries series = MakeSeries(start, hours{1}, 9 * 168, [&](sys_seconds t) {
    return Pattern(t) * std::exp((t < matches_from ? 0.02 : 0.25) * noise(t));
  });
  ForecastOptions options;
  options.use_prior = false;
  options.window_before = hours{0};
  options.window_after = hours{30};
  options.merge_window = hours{1};
  const Result<Forecast> forecast = ForecastDemand(series, events, options);
  REQUIRE(forecast.has_value());
  REQUIRE_FALSE(forecast->events.empty());  // the last matches reach into the forecast
  std::vector<double> widths;
  for (const ForecastPoint& point : forecast->points) {
    if (point.ts < events.back().start + options.window_after) continue;  // rest days only
    widths.push_back(std::log(point.quantiles[2] / point.quantiles[0]));
  }
  std::sort(widths.begin(), widths.end());
  // A 25 % log-normal noise puts p99 about exp(2.33 x 0.25) = 1.8 times p50 (2 %: 1.05 times).
  CHECK(widths[widths.size() / 2] > 0.4);
}

TEST_CASE("gaps and a one-off spike in the history do not move the forecast") {
  Scenario s;
  const Result<Forecast> clean = ForecastDemand(s.series, s.events, s.options);
  RegularSeries dirty = s.series;
  const auto hour_of = [&](std::string_view text) {
    return static_cast<std::size_t>((Utc(text) - dirty.start) / hours{1});
  };
  for (std::size_t i = hour_of("2024-07-20T00:00:00Z"); i < hour_of("2024-07-21T12:00:00Z"); ++i) {
    dirty.values[i] = kMissing;  // a gap in a quiet week
  }
  for (std::size_t i = hour_of("2024-06-12T00:00:00Z"); i < hour_of("2024-06-12T12:00:00Z"); ++i) {
    dirty.values[i] = kMissing;  // a gap inside an event window
  }
  dirty.values[hour_of("2024-07-02T12:00:00Z")] *= 20;  // a spike
  for (std::size_t i = hour_of("2024-07-30T06:00:00Z"); i < hour_of("2024-07-30T10:00:00Z"); ++i) {
    dirty.values[i] *= 0.2;  // an incident's dip
  }
  const Result<Forecast> forecast = ForecastDemand(dirty, s.events, s.options);
  REQUIRE(clean.has_value());
  REQUIRE(forecast.has_value());
  for (std::size_t i = 0; i < clean->points.size(); ++i) {
    CHECK(forecast->points[i].quantiles[0] ==
          doctest::Approx(clean->points[i].quantiles[0]).epsilon(0.03));
  }
  CHECK(forecast->events[0].peak.ts == clean->events[0].peak.ts);
}

TEST_CASE("with a short, growing history, a quiet hour's median is its baseline") {
  // Six weeks growing 8 % a week: the rolling fits from the first weeks miss low by more than the
  // final fit, and a median of their misses used to lift every quiet hour's p50 off the baseline.
  const sys_seconds start = Utc("2024-03-04T00:00:00Z");
  const RegularSeries series = MakeSeries(start, hours{1}, 6 * 168, [&](sys_seconds t) {
    const double weeks = std::chrono::duration<double>(t - start).count() / (7 * 86'400.0);
    return Pattern(t) * (1 + 0.08 * weeks) * (1 + 0.05 * std::sin(std::sqrt(2.0) * weeks * 97));
  });
  ForecastOptions options;
  options.quantiles = {0.1, 0.5, 0.9};
  const Result<Forecast> forecast = ForecastDemand(series, {}, options);
  REQUIRE(forecast.has_value());
  for (const ForecastPoint& point : forecast->points) {
    CHECK(point.quantiles[1] == doctest::Approx(point.baseline).epsilon(1e-9));
    CHECK(point.quantiles[0] < point.baseline);
    CHECK(point.quantiles[2] > point.baseline);
  }
}

TEST_CASE("a constant series gives a constant forecast") {
  const RegularSeries series =
      MakeSeries(Utc("2024-01-01T00:00:00Z"), hours{1}, 3 * 168, [](sys_seconds) { return 50.0; });
  const Result<Forecast> forecast = ForecastDemand(series, {}, {});
  REQUIRE(forecast.has_value());
  CHECK(forecast->points.size() == 168);
  for (const ForecastPoint& point : forecast->points) {
    CHECK(point.baseline == doctest::Approx(50));
    for (double q : point.quantiles) CHECK(q == doctest::Approx(50));
  }
  CHECK(forecast->events.empty());
  CHECK(forecast->model.kind == ModelKind::kLearned);
  // All zeros too.
  const RegularSeries zeros =
      MakeSeries(Utc("2024-01-01T00:00:00Z"), hours{1}, 3 * 168, [](sys_seconds) { return 0.0; });
  const Result<Forecast> zero = ForecastDemand(zeros, {}, {});
  REQUIRE(zero.has_value());
  for (double q : zero->points[0].quantiles) CHECK(q == doctest::Approx(0));
}

TEST_CASE("a series shorter than a week is refused, saying what is missing") {
  const RegularSeries series = MakeSeries(Utc("2024-01-01T00:00:00Z"), hours{1}, 100, Pattern);
  const Result<Forecast> forecast = ForecastDemand(series, {}, {});
  REQUIRE_FALSE(forecast.has_value());
  CHECK(forecast.error().code == ErrorCode::kUnprocessable);
  CHECK(forecast.error().message ==
        "history before as_of covers 4.2 days; at least 7 days are needed for the weekly profile");

  ForecastOptions early;
  early.as_of = Utc("2023-12-01T00:00:00Z");
  const Result<Forecast> none = ForecastDemand(series, {}, early);
  REQUIRE_FALSE(none.has_value());
  CHECK(none.error().code == ErrorCode::kUnprocessable);
  CHECK(none.error().message == "the history has no data before as_of 2023-12-01T00:00:00Z");
}

TEST_CASE("invalid options are refused, naming the offending input") {
  Scenario s;
  SUBCASE("a quantile outside (0, 1)") {
    s.options.quantiles = {0.5, 1.0};
    const Result<Forecast> f = ForecastDemand(s.series, s.events, s.options);
    REQUIRE_FALSE(f.has_value());
    CHECK(f.error().code == ErrorCode::kInvalidArgument);
    CHECK(f.error().message == "quantile 1.000000 is not between 0 and 1");
  }
  SUBCASE("an unknown zone") {
    s.options.zone_mix = {{"UTC", 0.5}, {"Mars/Olympus", 0.5}};
    const Result<Forecast> f = ForecastDemand(s.series, s.events, s.options);
    REQUIRE_FALSE(f.has_value());
    CHECK(f.error().code == ErrorCode::kInvalidArgument);
    CHECK(f.error().message == "zone_mix[1]: time zone 'Mars/Olympus' is not in the tz database");
  }
  SUBCASE("a what-if for an event outside the horizon") {
    s.options.what_if = {{"microsoft:2024-01-09:release", 2}};
    const Result<Forecast> f = ForecastDemand(s.series, s.events, s.options);
    REQUIRE_FALSE(f.has_value());
    CHECK(f.error().code == ErrorCode::kInvalidArgument);
    CHECK(f.error().message ==
          "what_if: event 'microsoft:2024-01-09:release' does not act within the forecast "
          "horizon");
  }
  SUBCASE("a negative multiplier") {
    s.options.what_if = {{"microsoft:2024-08-13:release", -1}};
    const Result<Forecast> f = ForecastDemand(s.series, s.events, s.options);
    REQUIRE_FALSE(f.has_value());
    CHECK(f.error().code == ErrorCode::kInvalidArgument);
  }
  SUBCASE("a horizon of zero") {
    s.options.horizon = seconds{0};
    const Result<Forecast> f = ForecastDemand(s.series, s.events, s.options);
    REQUIRE_FALSE(f.has_value());
    CHECK(f.error().code == ErrorCode::kInvalidArgument);
  }
  SUBCASE("a step that does not divide a day") {
    s.series.step = seconds{7};
    const Result<Forecast> f = ForecastDemand(s.series, s.events, s.options);
    REQUIRE_FALSE(f.has_value());
    CHECK(f.error().message == "the series' step of 7 s does not divide a day (86400 s) evenly");
  }
}

}  // namespace
}  // namespace patchcast::forecasting
