// forecast_family_bench: the forecaster (forecasting/forecast.h) judged on telemetry it was not
// written alongside (issue 11): a family of scenarios from bench/family/independent_telemetry.h,
// whose physics was specified apart from forecasting/synthetic_telemetry, around the real
// Microsoft release calendar (calendars/).
//
// For each step in {60, 5, 1} minutes and each history of {0, 1, 2, 3, 12} past Patch Tuesday
// releases, the same scenario draws (fixed seeds; one scenario and one target release per draw):
//  - as_of: the advance notice announcing the target release (Thursday, 10:00 Pacific);
//  - history: from just after the effects of the (N+1)-th previous release (Scenario::EffectSpan)
//    to as_of, exclusive; with no past release, the last 8 days before as_of, and no release of
//    any kind inside (a draw whose target fails that is redrawn);
//  - ForecastDemand for 168 h with the scenario's zones and shares as zone_mix and the calendar's
//    releases and out-of-band releases as events (as the service passes them), in two conditions:
//    "annotated" (bulletins, max_severity, restart_required as the generator drew them) and "no
//    annotations" (all three unset);
//  - the seasonal-naive peer: the value one week earlier (two when that is missing).
// Scores against the generated truth of that week:
//  - peak error % = (forecast p50 peak - actual peak) / actual peak over the target's window
//    [start, start + 72 h) within the horizon; |.| median and p90, and the signed median (bias).
//    Patchcast's forecast peak is the one it reports for the target (events[].peak: the p50
//    height and the time), as an operator reads it; seasonal naive's is its highest step in the
//    window. (The highest step of Patchcast's p50 curve sits below a noisy 1-minute spike's top
//    by the noise itself: the reported peak's height is calibrated on past peaks for that.)
//  - |peak timing error| in minutes, median and p90; under each cell, the annotated forecast's
//    peak time against the window's noise-free peak (the generator's expected demand): a day late,
//    a day early, or 30 minutes to a day off, and the draws where the noise alone moved the top a
//    day;
//  - MAPE % of p50 over the whole horizon (steps with a missing or zero actual are skipped);
//  - p99 coverage: share of the window's actual steps at or below p99 (target 95..99.5 %), median
//    and p10 over draws and pooled over every window step;
//  - the share of draws where Patchcast's MAPE beats seasonal naive's ("all"), and the same with
//    the steps an outage touched left out of both MAPEs ("no out"): during an outage logins fall
//    to a few per cent, no forecast can know it, and the lower forecast wins the draw by
//    thousands of per cent there.
// The horizon ends 48 h after the release (as_of is 5 days before it), so the window is scored
// over its first 48 h.
//
// Usage (from the repository root):
//   build/forecast_family_bench [--draws N] [--quick] [--holdout] [--export DIR]
//                               [--trace STEP_MINUTES:PAST:DRAW] [--step MINUTES]
//     --draws N     scenario draws per (step, history) cell; default 30
//     --quick       3 draws: a smoke run
//     --step M      only the M-minute step (60, 5 or 1); default all three
//     --holdout     the holdout seed set, disjoint from the default one; look at it only at the end
//     --export DIR  also write the draws for bench/peers (format at WriteExport); with --step,
//                   that step's alone (30 draws at 1 minute: about 700 MB)
//     --trace S:P:D on stderr, the zones of draw D and its scored week at step S with P past
//                   releases, step by step: actual, Patchcast's p50 and p99 (annotated), seasonal
//                   naive; for finding out why one draw loses
// Exit status 0 when the run completes, 1 on a usage error or a failure to generate or write.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "bench/bench_support.h"
#include "bench/family/independent_telemetry.h"
#include "calendars/calendar_registry.h"
#include "calendars/time_text.h"
#include "calendars/zone.h"
#include "forecasting/forecast.h"

namespace {

namespace cal = patchcast::calendars;
namespace fc = patchcast::forecasting;
namespace pb = patchcast::bench;
using patchcast::Result;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_seconds;
using WallClock = std::chrono::steady_clock;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::array<int, 3> kStepMinutes = {60, 5, 1};
constexpr std::array<int, 5> kPastReleases = {0, 1, 2, 3, 12};
constexpr int kMostPastReleases = 12;
constexpr int kDefaultDraws = 30;
constexpr int kQuickDraws = 3;
// Draw d of a set has seed base + d; the sets stay disjoint below a million draws.
constexpr std::uint64_t kDefaultSeedBase = 11'000'000;
constexpr std::uint64_t kHoldoutSeedBase = 12'000'000;
constexpr hours kHorizon{168};
constexpr hours kReleaseWindow{72};
constexpr date::days kQuietHistory{8};
// As the service queries events (forecast_service.cpp): past ones act up to 8 days after their
// start, upcoming ones from 2 days before.
constexpr date::days kEventReach{8};
// Target releases: enough monthly releases before them (the monthly cycle began 2003-10) and the
// history file's last month after them.
const sys_seconds kFirstTarget = date::sys_days{date::year{2005} / 1 / 1};
const sys_seconds kLastTarget = date::sys_days{date::year{2026} / 8 / 1};
const sys_seconds kCalendarFrom = date::sys_days{date::year{2003} / 1 / 1};
const sys_seconds kCalendarTo = date::sys_days{date::year{2026} / 10 / 1};

struct Flags {
  int draws = kDefaultDraws;
  bool holdout = false;
  std::string export_dir;  // empty: no export
  std::string trace;       // "STEP_MINUTES:PAST:DRAW", or empty
  int only_step = 0;       // minutes; 0: every step of kStepMinutes
};

Result<Flags> ParseFlags(int argc, char** argv) {
  Flags flags;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--quick") {
      flags.draws = kQuickDraws;
    } else if (arg == "--holdout") {
      flags.holdout = true;
    } else if (arg == "--draws" && i + 1 < argc) {
      flags.draws = std::atoi(argv[++i]);
      if (flags.draws < 1) return patchcast::InvalidArgument("--draws needs a count >= 1");
    } else if (arg == "--export" && i + 1 < argc) {
      flags.export_dir = argv[++i];
    } else if (arg == "--trace" && i + 1 < argc) {
      flags.trace = argv[++i];
    } else if (arg == "--step" && i + 1 < argc) {
      flags.only_step = std::atoi(argv[++i]);
      if (std::find(kStepMinutes.begin(), kStepMinutes.end(), flags.only_step) ==
          kStepMinutes.end()) {
        return patchcast::InvalidArgument("--step takes 60, 5 or 1");
      }
    } else {
      return patchcast::InvalidArgument("unknown argument '" + std::string(arg) +
                                        "'; usage: forecast_family_bench [--draws N] [--quick] "
                                        "[--holdout] [--export DIR] [--trace S:P:D] [--step M]");
    }
  }
  return flags;
}

// ---- The calendar ----

struct MicrosoftEvents {
  std::vector<cal::Event> releases;        // releases and out-of-band releases, by start
  std::vector<cal::Event> notices;         // advance notices
  std::vector<const cal::Event*> monthly;  // the kRelease events of `releases`, by start
};

Result<MicrosoftEvents> LoadMicrosoftEvents() {
  auto registry = cal::CalendarRegistry::Create({});
  if (!registry) return registry.error();
  const std::vector<std::string> ids = {"microsoft"};
  auto events = registry->Events(ids, cal::TimeRange{kCalendarFrom, kCalendarTo});
  if (!events) return events.error();
  MicrosoftEvents out;
  for (cal::Event& event : *events) {
    if (event.kind == cal::EventKind::kAdvanceNotice) {
      out.notices.push_back(std::move(event));
    } else if (event.kind == cal::EventKind::kRelease || event.kind == cal::EventKind::kOutOfBand) {
      out.releases.push_back(std::move(event));
    }
  }
  for (const cal::Event& event : out.releases) {
    if (event.kind == cal::EventKind::kRelease) out.monthly.push_back(&event);
  }
  return out;
}

// The releases starting in [from, to).
std::vector<cal::Event> ReleasesIn(const MicrosoftEvents& calendar, sys_seconds from,
                                   sys_seconds to) {
  std::vector<cal::Event> out;
  for (const cal::Event& event : calendar.releases) {
    if (event.start >= from && event.start < to) out.push_back(event);
  }
  return out;
}

// The advance notice announcing `release` (the earliest, when it was re-issued); without one, the
// Thursday before it at 10:00 Pacific, Microsoft's time.
sys_seconds AsOf(const cal::Event& release, const MicrosoftEvents& calendar) {
  for (const cal::Event& notice : calendar.notices) {
    if (notice.announces == release.scheduled_date && notice.start < release.start) {
      return notice.start;
    }
  }
  const date::local_days day = date::floor<date::days>(release.local_start);
  int back = (static_cast<int>(date::weekday{day}.c_encoding()) - 4 + 7) % 7;
  if (back == 0) back = 7;
  cal::ZoneConverter pacific(**cal::LocateZone("America/Los_Angeles"));
  return pacific.ToSys(day - date::days{back} + hours{10});
}

// ---- One draw: a scenario, a target release and its histories ----

sys_seconds FloorDay(sys_seconds t) { return date::floor<date::days>(t); }
sys_seconds CeilDay(sys_seconds t) { return date::ceil<date::days>(t); }

struct DrawPlan {
  int index = 0;
  pb::Scenario scenario;
  const cal::Event* target = nullptr;
  sys_seconds as_of{};
  std::array<sys_seconds, kPastReleases.size()> history_from{};  // by kPastReleases
};

// Where the history for `past` releases starts: just after the effects of the (past + 1)-th
// previous release; with none, that or 8 days before as_of, whichever is earlier.
sys_seconds HistoryFrom(const DrawPlan& plan, std::size_t target_index, int past,
                        const MicrosoftEvents& calendar) {
  const cal::Event& previous = *calendar.monthly[target_index - 1 - static_cast<std::size_t>(past)];
  const sys_seconds after_effects = CeilDay(previous.start + plan.scenario.EffectSpan());
  if (past > 0) return after_effects;
  return std::min(after_effects, FloorDay(plan.as_of - kQuietHistory));
}

// True when [from, as_of) holds exactly `past` monthly releases and, with none, no release at all.
bool HistoryHolds(sys_seconds from, sys_seconds as_of, int past, const MicrosoftEvents& calendar) {
  int monthly = 0;
  int any = 0;
  for (const cal::Event& event : calendar.releases) {
    if (event.start < from || event.start >= as_of) continue;
    ++any;
    monthly += event.kind == cal::EventKind::kRelease ? 1 : 0;
  }
  return monthly == past && (past > 0 || any == 0);
}

// The draw's scenario, and a target release picked at random among those whose histories hold
// what they should (up to 100 tries).
Result<DrawPlan> PlanDraw(int index, std::uint64_t seed, const MicrosoftEvents& calendar) {
  DrawPlan plan;
  plan.index = index;
  auto scenario = pb::DrawScenario(seed);
  if (!scenario) return scenario.error();
  plan.scenario = std::move(*scenario);
  std::vector<std::size_t> eligible;
  for (std::size_t i = kMostPastReleases + 1; i < calendar.monthly.size(); ++i) {
    const sys_seconds start = calendar.monthly[i]->start;
    if (start >= kFirstTarget && start < kLastTarget) eligible.push_back(i);
  }
  if (eligible.empty()) return patchcast::Internal("no eligible target release in the calendar");
  std::mt19937_64 rng(seed * 0x9e3779b97f4a7c15ULL + 0x7a26e7);
  std::uniform_int_distribution<std::size_t> pick(0, eligible.size() - 1);
  for (int attempt = 0; attempt < 100; ++attempt) {
    const std::size_t target_index = eligible[pick(rng)];
    plan.target = calendar.monthly[target_index];
    plan.as_of = AsOf(*plan.target, calendar);
    bool holds = true;
    for (std::size_t h = 0; h < kPastReleases.size(); ++h) {
      plan.history_from[h] = HistoryFrom(plan, target_index, kPastReleases[h], calendar);
      holds = holds && HistoryHolds(plan.history_from[h], plan.as_of, kPastReleases[h], calendar);
    }
    if (holds) return plan;
  }
  return patchcast::Internal("draw " + std::to_string(index) + ": no target release fits");
}

// ---- Scoring ----

struct Score {
  double peak_error_pct = kNaN;        // signed
  double timing_error_minutes = kNaN;  // signed: forecast peak minus actual peak
  // Signed, forecast peak minus the window's noise-free peak (the generator's expected demand):
  // what the model got wrong, without what the noise moved.
  double timing_vs_expected_minutes = kNaN;
  // Signed, the actual peak minus the noise-free one: where the noise moved the window's top.
  double noise_move_minutes = kNaN;
  double mape_pct = kNaN;                  // over the horizon
  double mape_outside_outages_pct = kNaN;  // over the horizon's steps no outage touched
  double window_mape_pct = kNaN;           // over the window (what bench/peers scores)
  double coverage_p90 = kNaN;              // of the window's actual steps
  double coverage_p99 = kNaN;
  std::size_t window_steps = 0;  // window steps with an actual
  std::size_t covered_p99 = 0;
  double fit_predict_seconds = kNaN;
};

// A forecast on the horizon's steps; p90 and p99 are NaN for a method without them.
struct Quantiles {
  std::vector<double> p50;
  std::vector<double> p90;
  std::vector<double> p99;
  // The peak the method reports for the target event, when it reports one (Patchcast's
  // events[].peak): its p50 height and its time. Else the p50's highest step is the peak.
  double reported_peak = kNaN;
  sys_seconds reported_peak_ts{};
};

// The truth and the window on the horizon's steps.
struct Week {
  sys_seconds start{};
  seconds step{};
  std::vector<double> actual;
  std::vector<std::uint8_t> outage;  // 1 where an outage took logins away
  std::size_t window_begin = 0;      // the step holding the release's start
  std::size_t expected_peak = 0;     // the window's highest step of the noise-free demand
  std::size_t window_end = 0;  // exclusive: steps starting before start + 72 h, in the horizon
};

bool Known(double v) { return !std::isnan(v); }

// The first step of the largest known value in [from, to), or `to` when none.
std::size_t ArgMax(std::span<const double> values, std::size_t from, std::size_t to) {
  std::size_t at = to;
  for (std::size_t k = from; k < to; ++k) {
    if (Known(values[k]) && (at == to || values[k] > values[at])) at = k;
  }
  return at;
}

Week WeekOf(const pb::IndependentTelemetry& telemetry, const DrawPlan& plan) {
  const fc::RegularSeries& truth = telemetry.series;
  Week week;
  week.start = plan.as_of;
  week.step = truth.step;
  const auto first = static_cast<std::size_t>((plan.as_of - truth.start) / truth.step);
  const auto steps = static_cast<std::size_t>(kHorizon / truth.step);
  week.actual.assign(truth.values.begin() + static_cast<std::ptrdiff_t>(first),
                     truth.values.begin() + static_cast<std::ptrdiff_t>(first + steps));
  for (std::size_t k = 0; k < steps; ++k) {
    week.outage.push_back(telemetry.outage_kept[first + k] < 1 ? 1 : 0);
  }
  week.window_begin = static_cast<std::size_t>((plan.target->start - week.start) / truth.step);
  const seconds window_reach = plan.target->start + kReleaseWindow - week.start;
  week.window_end = std::min(
      steps, static_cast<std::size_t>((window_reach + truth.step - seconds{1}) / truth.step));
  const std::span<const double> expected(telemetry.expected.data() + first, steps);
  week.expected_peak = ArgMax(expected, week.window_begin, week.window_end);
  return week;
}

enum class Outages { kScored, kLeftOut };

double MeanAbsolutePercentError(const Week& week, const std::vector<double>& p50, std::size_t from,
                                std::size_t to, Outages outages = Outages::kScored) {
  double sum = 0;
  std::size_t count = 0;
  for (std::size_t k = from; k < to; ++k) {
    if (!Known(week.actual[k]) || week.actual[k] <= 0 || !Known(p50[k])) continue;
    if (outages == Outages::kLeftOut && week.outage[k] != 0) continue;
    sum += std::abs(p50[k] - week.actual[k]) / week.actual[k];
    ++count;
  }
  return count > 0 ? 100 * sum / static_cast<double>(count) : kNaN;
}

// Window steps with an actual, and the shares of them at or below p90 and p99 (left NaN for a
// method without quantiles).
void ScoreCoverage(const Week& week, const Quantiles& forecast, Score& score) {
  std::size_t covered_p90 = 0;
  for (std::size_t k = week.window_begin; k < week.window_end; ++k) {
    if (!Known(week.actual[k])) continue;
    ++score.window_steps;
    covered_p90 += week.actual[k] <= forecast.p90[k] ? 1 : 0;
    score.covered_p99 += week.actual[k] <= forecast.p99[k] ? 1 : 0;
  }
  if (score.window_steps == 0 || !Known(forecast.p99[week.window_begin])) return;
  const auto steps = static_cast<double>(score.window_steps);
  score.coverage_p90 = static_cast<double>(covered_p90) / steps;
  score.coverage_p99 = static_cast<double>(score.covered_p99) / steps;
}

// The p50's peak in the window against the actual peak there: height and time.
void ScorePeak(const Week& week, const Quantiles& forecast, Score& score) {
  const std::size_t actual_at = ArgMax(week.actual, week.window_begin, week.window_end);
  std::size_t forecast_at = ArgMax(forecast.p50, week.window_begin, week.window_end);
  if (actual_at == week.window_end || forecast_at == week.window_end) return;
  double forecast_peak = forecast.p50[forecast_at];
  if (Known(forecast.reported_peak)) {
    forecast_peak = forecast.reported_peak;
    forecast_at = static_cast<std::size_t>((forecast.reported_peak_ts - week.start) / week.step);
  }
  const double actual_peak = week.actual[actual_at];
  if (actual_peak > 0) {
    score.peak_error_pct = 100 * (forecast_peak - actual_peak) / actual_peak;
  }
  const auto step_minutes = static_cast<double>(week.step.count()) / 60.0;
  score.timing_error_minutes =
      (static_cast<double>(forecast_at) - static_cast<double>(actual_at)) * step_minutes;
  score.timing_vs_expected_minutes =
      (static_cast<double>(forecast_at) - static_cast<double>(week.expected_peak)) * step_minutes;
  score.noise_move_minutes =
      (static_cast<double>(actual_at) - static_cast<double>(week.expected_peak)) * step_minutes;
}

Score ScoreForecast(const Week& week, const Quantiles& forecast) {
  Score score;
  score.mape_pct = MeanAbsolutePercentError(week, forecast.p50, 0, week.actual.size());
  score.mape_outside_outages_pct =
      MeanAbsolutePercentError(week, forecast.p50, 0, week.actual.size(), Outages::kLeftOut);
  score.window_mape_pct =
      MeanAbsolutePercentError(week, forecast.p50, week.window_begin, week.window_end);
  ScoreCoverage(week, forecast, score);
  ScorePeak(week, forecast, score);
  return score;
}

// ---- The forecasts ----

fc::RegularSeries HistorySlice(const fc::RegularSeries& truth, sys_seconds from,
                               sys_seconds as_of) {
  fc::RegularSeries history;
  history.start = from;
  history.step = truth.step;
  const auto first = (from - truth.start) / truth.step;
  const auto last = (as_of - truth.start) / truth.step;
  history.values.assign(truth.values.begin() + first, truth.values.begin() + last);
  return history;
}

// The value one week earlier, two when that is missing, from the history alone.
Quantiles SeasonalNaive(const fc::RegularSeries& history, const Week& week) {
  Quantiles out;
  const std::size_t steps = week.actual.size();
  out.p50.assign(steps, kNaN);
  out.p90.assign(steps, kNaN);
  out.p99.assign(steps, kNaN);
  for (std::size_t k = 0; k < steps; ++k) {
    const sys_seconds t = week.start + week.step * static_cast<std::int64_t>(k);
    for (int weeks_back = 1; weeks_back <= 2 && !Known(out.p50[k]); ++weeks_back) {
      const auto i = (t - date::days{7 * weeks_back} - history.start) / history.step;
      if (i >= 0 && i < static_cast<std::int64_t>(history.size())) {
        out.p50[k] = history.values[static_cast<std::size_t>(i)];
      }
    }
  }
  return out;
}

// ForecastDemand's p50, p90 and p99 on the week's steps (NaN where it has no point).
Result<Quantiles> PatchcastForecast(const fc::RegularSeries& history,
                                    const std::vector<cal::Event>& events, const DrawPlan& plan,
                                    const Week& week, double& fit_predict_seconds) {
  fc::ForecastOptions options;
  options.as_of = plan.as_of;
  options.horizon = kHorizon;
  options.quantiles = {0.5, 0.9, 0.99};
  options.zone_mix = plan.scenario.ZoneMix();
  const auto started = WallClock::now();
  auto forecast = fc::ForecastDemand(history, events, options);
  fit_predict_seconds = std::chrono::duration<double>(WallClock::now() - started).count();
  if (!forecast) return forecast.error();
  Quantiles out;
  const std::size_t steps = week.actual.size();
  out.p50.assign(steps, kNaN);
  out.p90.assign(steps, kNaN);
  out.p99.assign(steps, kNaN);
  for (const fc::ForecastPoint& point : forecast->points) {
    const auto k = (point.ts - week.start) / week.step;
    if (k < 0 || k >= static_cast<std::int64_t>(steps)) continue;
    out.p50[static_cast<std::size_t>(k)] = point.quantiles[0];
    out.p90[static_cast<std::size_t>(k)] = point.quantiles[1];
    out.p99[static_cast<std::size_t>(k)] = point.quantiles[2];
  }
  for (const fc::EventForecast& event : forecast->events) {
    if (event.id != plan.target->Id() || event.peak.quantiles.empty()) continue;
    out.reported_peak = event.peak.quantiles[0];
    out.reported_peak_ts = event.peak.ts;
  }
  return out;
}

// ---- Results of a (step, history) cell ----

enum Method : std::size_t { kAnnotated, kNoAnnotations, kSeasonalNaive, kMethods };
constexpr std::array<const char*, kMethods> kMethodNames = {
    "patchcast annotated", "patchcast no annot.", "seasonal naive"};
// Method names in the exported ours.csv (bench/peers/summarize.awk's labels).
constexpr std::array<const char*, kMethods> kExportNames = {"patchcast-annotated", "patchcast",
                                                            "seasonal-naive"};

struct Cell {
  int step_minutes = 0;
  int past = 0;
  std::array<std::vector<Score>, kMethods> scores;  // one per draw, NaN scores on failure
  int failures = 0;
  std::string first_failure;
};

// The q-quantile of the known values (linear between order statistics); NaN when none.
double Quantile(std::vector<double> values, double q) {
  std::erase_if(values, [](double v) { return !Known(v); });
  if (values.empty()) return kNaN;
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(position);
  const std::size_t above = std::min(below + 1, values.size() - 1);
  const double w = position - static_cast<double>(below);
  return values[below] * (1 - w) + values[above] * w;
}

template <typename Field>
std::vector<double> Collect(const std::vector<Score>& scores, Field field) {
  std::vector<double> out;
  for (const Score& score : scores) out.push_back(field(score));
  return out;
}

// Share of draws (both scored) where `method`'s MAPE is below seasonal naive's, the MAPE being
// Score::*mape.
double BeatsNaiveShare(const Cell& cell, Method method, double Score::*mape) {
  std::size_t wins = 0;
  std::size_t pairs = 0;
  const std::vector<Score>& naive = cell.scores[kSeasonalNaive];
  for (std::size_t d = 0; d < naive.size(); ++d) {
    const double ours = cell.scores[method][d].*mape;
    if (!Known(ours) || !Known(naive[d].*mape)) continue;
    ++pairs;
    wins += ours < naive[d].*mape ? 1 : 0;
  }
  return pairs > 0 ? 100.0 * static_cast<double>(wins) / static_cast<double>(pairs) : kNaN;
}

void PrintHeader() {
  std::printf("\n%4s %4s  %-19s %3s  %15s %7s  %13s  %13s  %20s  %13s\n", "step", "past", "method",
              "n", "|peak err| %", "bias %", "|timing| min", "MAPE %", "p99 cov window %",
              "beats naive%");
  std::printf("%4s %4s  %-19s %3s  %7s %7s %7s  %6s %6s  %6s %6s  %6s %6s %6s  %6s %6s\n", "min",
              "rel.", "", "", "med", "p90", "med", "med", "p90", "med", "p90", "med", "p10",
              "pooled", "all", "no out");
}

void PrintRow(const Cell& cell, Method method) {
  const std::vector<Score>& scores = cell.scores[method];
  const auto abs_peak = Collect(scores, [](const Score& s) { return std::abs(s.peak_error_pct); });
  const auto peak = Collect(scores, [](const Score& s) { return s.peak_error_pct; });
  const auto timing =
      Collect(scores, [](const Score& s) { return std::abs(s.timing_error_minutes); });
  const auto mape = Collect(scores, [](const Score& s) { return s.mape_pct; });
  const auto coverage = Collect(scores, [](const Score& s) { return s.coverage_p99; });
  std::size_t scored = 0;
  std::size_t window_steps = 0;
  std::size_t covered = 0;
  for (const Score& s : scores) {
    scored += Known(s.mape_pct) ? 1 : 0;
    if (!Known(s.coverage_p99)) continue;
    window_steps += s.window_steps;
    covered += s.covered_p99;
  }
  char coverage_text[32] = "     -      -      -";
  char beats_text[32] = "     -      -";
  if (method != kSeasonalNaive) {
    const double pooled =
        window_steps > 0 ? 100.0 * static_cast<double>(covered) / static_cast<double>(window_steps)
                         : kNaN;
    std::snprintf(coverage_text, sizeof coverage_text, "%6.1f %6.1f %6.1f",
                  100 * Quantile(coverage, 0.5), 100 * Quantile(coverage, 0.1), pooled);
    std::snprintf(beats_text, sizeof beats_text, "%6.0f %6.0f",
                  BeatsNaiveShare(cell, method, &Score::mape_pct),
                  BeatsNaiveShare(cell, method, &Score::mape_outside_outages_pct));
  }
  std::printf("%4d %4d  %-19s %3zu  %7.1f %7.1f %7.1f  %6.0f %6.0f  %6.1f %6.1f  %s  %s\n",
              cell.step_minutes, cell.past, kMethodNames[method], scored, Quantile(abs_peak, 0.5),
              Quantile(abs_peak, 0.9), Quantile(peak, 0.5), Quantile(timing, 0.5),
              Quantile(timing, 0.9), Quantile(mape, 0.5), Quantile(mape, 0.9), coverage_text,
              beats_text);
}

// Where the annotated forecast's peak time goes wrong against the window's noise-free peak: a day
// or more late or early (another day's wave), or 30 minutes to a day off; and in how many draws
// the noise alone moved the actual top a day from the noise-free one.
void PrintTimingSplit(const Cell& cell) {
  constexpr double kDayOff = 20 * 60;  // minutes
  int late = 0;
  int early = 0;
  int hours_off = 0;
  int noise = 0;
  for (const Score& score : cell.scores[kAnnotated]) {
    const double off = score.timing_vs_expected_minutes;
    if (Known(off)) {
      late += off >= kDayOff ? 1 : 0;
      early += off <= -kDayOff ? 1 : 0;
      hours_off += std::abs(off) > 30 && std::abs(off) < kDayOff ? 1 : 0;
    }
    noise += Known(score.noise_move_minutes) && std::abs(score.noise_move_minutes) >= kDayOff;
  }
  std::printf(
      "     annotated peak vs the noise-free one: a day late in %d draws, a day early in %d, "
      "30 min to a day off in %d; the noise alone moved the top a day in %d\n",
      late, early, hours_off, noise);
}

void PrintCell(const Cell& cell) {
  for (std::size_t m = 0; m < kMethods; ++m) PrintRow(cell, static_cast<Method>(m));
  PrintTimingSplit(cell);
  if (cell.failures > 0) {
    std::printf("     %d forecast(s) failed; first: %s\n", cell.failures,
                cell.first_failure.c_str());
  }
}

// ---- Export for bench/peers ----

std::string Utc(sys_seconds t) { return cal::FormatUtcDateTime(t); }

std::string Number(double v) {
  if (!Known(v)) return "";
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

// series.csv: ds,y over the history and the scored week, y empty for a gap.
void WriteSeries(std::ofstream& out, const fc::RegularSeries& truth, sys_seconds from,
                 sys_seconds to) {
  out << "ds,y\n";
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const sys_seconds t = truth.TimeAt(i);
    if (t >= from && t < to) out << Utc(t) << ',' << Number(truth.values[i]) << '\n';
  }
}

// events.csv: event_id,start,kind of the events the forecasts were given.
void WriteEvents(std::ofstream& out, const std::vector<cal::Event>& events) {
  out << "event_id,start,kind\n";
  for (const cal::Event& event : events) {
    out << event.Id() << ',' << Utc(event.start) << ',' << cal::ToString(event.kind) << '\n';
  }
}

// splits.csv: the one split; the window and the peak search are both the scored window.
void WriteSplit(std::ofstream& out, const DrawPlan& plan, const Week& week) {
  const auto at = [&](std::size_t k) {
    return week.start + week.step * static_cast<std::int64_t>(k);
  };
  const std::size_t peak_at = ArgMax(week.actual, week.window_begin, week.window_end);
  const std::size_t window_steps = static_cast<std::size_t>(
      std::count_if(week.actual.begin() + static_cast<std::ptrdiff_t>(week.window_begin),
                    week.actual.begin() + static_cast<std::ptrdiff_t>(week.window_end), Known));
  out << "event_id,start,as_of,history_end,forecast_start,horizon_end,window_start,window_end,"
         "peak_from,window_steps,actual_peak,actual_peak_ts\n";
  out << plan.target->Id() << ',' << Utc(plan.target->start) << ',' << Utc(plan.as_of) << ','
      << Utc(plan.as_of) << ',' << Utc(plan.as_of) << ',' << Utc(plan.as_of + kHorizon) << ','
      << Utc(at(week.window_begin)) << ',' << Utc(at(week.window_end - 1)) << ','
      << Utc(at(week.window_begin)) << ',' << window_steps << ','
      << Number(peak_at < week.window_end ? week.actual[peak_at] : kNaN) << ','
      << Utc(at(std::min(peak_at, week.window_end - 1))) << '\n';
}

// ours.csv: one row per method, scored as peers.R scores (MAPE and coverage over the window).
void WriteScores(std::ofstream& out, const DrawPlan& plan,
                 const std::array<Score, kMethods>& scores) {
  out << "method,event_id,peak_error_pct,timing_error_minutes,mape_pct,coverage_p90,"
         "coverage_p99,window_steps,fit_predict_seconds\n";
  for (std::size_t m = 0; m < kMethods; ++m) {
    const Score& s = scores[m];
    out << kExportNames[m] << ',' << plan.target->Id() << ',' << Number(s.peak_error_pct) << ','
        << Number(s.timing_error_minutes) << ',' << Number(s.window_mape_pct) << ','
        << Number(s.coverage_p90) << ',' << Number(s.coverage_p99) << ',' << s.window_steps << ','
        << Number(s.fit_predict_seconds) << '\n';
  }
}

// Writes one draw's history and week in forecast_export's format (bench/forecast_export.cpp), so
// that bench/peers/peers.R and summarize.awk read it unchanged (peers.R accepts any step that
// divides a day): series.csv, events.csv, splits.csv (history_end = forecast_start = as_of,
// horizon_end = as_of + 168 h, window and peak search = [step holding the release's start, +72 h)
// within the horizon, window_end its last step) and ours.csv (patchcast-annotated, patchcast = no
// annotations, seasonal-naive). Returns false when a file cannot be written.
bool WriteExport(const std::filesystem::path& dir, const fc::RegularSeries& truth,
                 sys_seconds history_from, const std::vector<cal::Event>& events,
                 const DrawPlan& plan, const Week& week,
                 const std::array<Score, kMethods>& scores) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return false;
  std::ofstream series_csv(dir / "series.csv");
  WriteSeries(series_csv, truth, history_from, plan.as_of + kHorizon);
  std::ofstream events_csv(dir / "events.csv");
  WriteEvents(events_csv, events);
  std::ofstream splits_csv(dir / "splits.csv");
  WriteSplit(splits_csv, plan, week);
  std::ofstream ours_csv(dir / "ours.csv");
  WriteScores(ours_csv, plan, scores);
  for (std::ofstream* out : {&series_csv, &events_csv, &splits_csv, &ours_csv}) {
    out->flush();
    if (!*out) return false;
  }
  return true;
}

std::filesystem::path ExportDir(const Flags& flags, int step_minutes, int past, int draw) {
  char name[64];
  std::snprintf(name, sizeof name, "step_%ds/past_%02d/draw_%03d", step_minutes * 60, past, draw);
  return std::filesystem::path(flags.export_dir) / name;
}

// ---- The run ----

// What the truth of the scored week holds, from the generator: how much the restarts raise the
// window (its expected peak over its peak without restarts, and the largest ratio of one step),
// and whether an outage touched the week.
struct WeekTruth {
  double peak_lift = kNaN;
  double step_lift = kNaN;
  bool outage = false;
};

WeekTruth TruthOf(const pb::IndependentTelemetry& telemetry, const Week& week) {
  const auto first = static_cast<std::size_t>((week.start - telemetry.series.start) / week.step);
  double peak = 0;
  double peak_without = 0;
  double step = 0;
  for (std::size_t k = first + week.window_begin; k < first + week.window_end; ++k) {
    peak = std::max(peak, telemetry.expected[k]);
    peak_without = std::max(peak_without, telemetry.baseline[k]);
    if (telemetry.baseline[k] > 0)
      step = std::max(step, telemetry.expected[k] / telemetry.baseline[k]);
  }
  const bool outage = std::any_of(week.outage.begin(), week.outage.end(),
                                  [](std::uint8_t marked) { return marked != 0; });
  return {peak_without > 0 ? peak / peak_without : kNaN, step, outage};
}

// --trace: the draw's zones, then its week step by step (W marks the scored window).
void TraceWeek(const DrawPlan& plan, const Week& week, const Quantiles& ours,
               const Quantiles& naive) {
  for (const pb::Region& region : plan.scenario.regions) {
    std::fprintf(stderr, "zone %s, share %.2f\n", region.zone_name.c_str(), region.user_share);
  }
  std::fprintf(stderr, "step (UTC)                  actual   p50 ours   p99 ours      naive\n");
  for (std::size_t k = 0; k < week.actual.size(); ++k) {
    const sys_seconds t = week.start + week.step * static_cast<std::int64_t>(k);
    const bool in_window = k >= week.window_begin && k < week.window_end;
    std::fprintf(stderr, "%s %s %10.0f %10.0f %10.0f %10.0f\n",
                 date::format("%a %FT%H:%M", t).c_str(), in_window ? "W" : " ", week.actual[k],
                 ours.p50[k], ours.p99[k], naive.p50[k]);
  }
  const std::size_t actual_peak = ArgMax(week.actual, week.window_begin, week.window_end);
  if (actual_peak < week.window_end && Known(ours.reported_peak)) {
    std::fprintf(
        stderr, "peak: actual %.0f at %s, reported %.0f at %s\n", week.actual[actual_peak],
        date::format("%a %FT%H:%M", week.start + week.step * static_cast<std::int64_t>(actual_peak))
            .c_str(),
        ours.reported_peak, date::format("%a %FT%H:%M", ours.reported_peak_ts).c_str());
  }
}

// Generates the draw's truth at `step` over its longest history and week, then scores every
// history length on it; results go to cells[h] (by kPastReleases).
bool RunDraw(const Flags& flags, const DrawPlan& plan, const MicrosoftEvents& calendar,
             int step_minutes, std::vector<Cell>& cells, std::vector<WeekTruth>& truths) {
  const seconds step = minutes{step_minutes};
  const sys_seconds from = plan.history_from.back();
  const sys_seconds week_end = plan.as_of + kHorizon;
  const std::vector<cal::Event> generator_events =
      ReleasesIn(calendar, from - date::days{40}, week_end + kEventReach + date::days{1});
  auto telemetry =
      pb::GenerateIndependentTelemetry(plan.scenario, generator_events, from, week_end, step);
  if (!telemetry) {
    std::fprintf(stderr, "draw %d: %s\n", plan.index, telemetry.error().message.c_str());
    return false;
  }
  const fc::RegularSeries& truth = telemetry->series;
  const Week week = WeekOf(*telemetry, plan);
  truths.push_back(TruthOf(*telemetry, week));
  const bool exported = !flags.export_dir.empty();
  for (std::size_t h = 0; h < kPastReleases.size(); ++h) {
    const fc::RegularSeries history = HistorySlice(truth, plan.history_from[h], plan.as_of);
    const std::vector<cal::Event> events =
        ReleasesIn(calendar, plan.history_from[h] - kEventReach, week_end + kEventReach);
    std::array<Score, kMethods> scores;
    for (const Method method : {kAnnotated, kNoAnnotations}) {
      const std::vector<cal::Event> told =
          pb::EventsAsTold(events, telemetry->annotations,
                           method == kAnnotated ? pb::AnnotationCondition::kAnnotated
                                                : pb::AnnotationCondition::kNoAnnotations);
      double fit_predict_seconds = kNaN;
      auto forecast = PatchcastForecast(history, told, plan, week, fit_predict_seconds);
      if (!forecast) {
        if (cells[h].failures++ == 0) cells[h].first_failure = forecast.error().message;
        continue;
      }
      scores[method] = ScoreForecast(week, *forecast);
      scores[method].fit_predict_seconds = fit_predict_seconds;
      const std::string cell = std::to_string(step_minutes) + ':' +
                               std::to_string(kPastReleases[h]) + ':' + std::to_string(plan.index);
      if (method == kAnnotated && flags.trace == cell) {
        TraceWeek(plan, week, *forecast, SeasonalNaive(history, week));
      }
    }
    scores[kSeasonalNaive] = ScoreForecast(week, SeasonalNaive(history, week));
    for (std::size_t m = 0; m < kMethods; ++m) cells[h].scores[m].push_back(scores[m]);
    if (exported &&
        !WriteExport(ExportDir(flags, step_minutes, kPastReleases[h], plan.index), truth,
                     plan.history_from[h],
                     pb::EventsAsTold(events, {}, pb::AnnotationCondition::kNoAnnotations), plan,
                     week, scores)) {
      std::fprintf(stderr, "draw %d: could not write the export\n", plan.index);
      return false;
    }
  }
  return true;
}

// True when one of the scenario's zones changes its UTC offset within the scored week.
bool DstChangeInWeek(const DrawPlan& plan) {
  for (const pb::Region& region : plan.scenario.regions) {
    cal::ZoneConverter converter(*region.zone);
    const auto offset = [&](sys_seconds t) {
      return converter.ToLocal(t).time_since_epoch() - t.time_since_epoch();
    };
    if (offset(plan.as_of) != offset(plan.as_of + kHorizon)) return true;
  }
  return false;
}

void PrintDraws(const std::vector<DrawPlan>& plans) {
  std::size_t dst = 0;
  std::size_t regions = 0;
  std::size_t critical = 0;
  std::size_t no_restart = 0;
  sys_seconds first = plans.front().target->start;
  sys_seconds last = first;
  for (const DrawPlan& plan : plans) {
    dst += DstChangeInWeek(plan) ? 1 : 0;
    regions += plan.scenario.regions.size();
    const pb::ReleaseAnnotation target = pb::AnnotateRelease(plan.scenario, *plan.target);
    critical += target.max_severity == cal::Severity::kCritical ? 1 : 0;
    no_restart += target.restart_required ? 0 : 1;
    first = std::min(first, plan.target->start);
    last = std::max(last, plan.target->start);
  }
  std::printf(
      "%zu draws: target releases %s .. %s (%zu critical, %zu needing no restart); %.1f regions "
      "on average; scored week crosses a DST change in %zu\n",
      plans.size(), cal::FormatDate(date::year_month_day{date::floor<date::days>(first)}).c_str(),
      cal::FormatDate(date::year_month_day{date::floor<date::days>(last)}).c_str(), critical,
      no_restart, static_cast<double>(regions) / static_cast<double>(plans.size()), dst);
}

int Fail(const std::string& what, const std::string& message) {
  std::fprintf(stderr, "forecast_family_bench: %s: %s\n", what.c_str(), message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const auto started = WallClock::now();
  std::printf("forecast_family_bench on %s (single-threaded)\n", pb::MachineDescription().c_str());
  auto flags = ParseFlags(argc, argv);
  if (!flags) return Fail("usage", flags.error().message);
  auto calendar = LoadMicrosoftEvents();
  if (!calendar) return Fail("calendar", calendar.error().message);

  const std::uint64_t seed_base = flags->holdout ? kHoldoutSeedBase : kDefaultSeedBase;
  std::printf(
      "seed set: %s (seeds %llu..%llu)%s\n", flags->holdout ? "HOLDOUT" : "default",
      static_cast<unsigned long long>(seed_base),
      static_cast<unsigned long long>(seed_base + static_cast<std::uint64_t>(flags->draws) - 1),
      flags->holdout ? "" : "; --holdout scores the disjoint holdout set");
  std::vector<DrawPlan> plans;
  for (int d = 0; d < flags->draws; ++d) {
    auto plan = PlanDraw(d, seed_base + static_cast<std::uint64_t>(d), *calendar);
    if (!plan) return Fail("draw " + std::to_string(d), plan.error().message);
    plans.push_back(std::move(*plan));
  }
  PrintDraws(plans);
  std::printf(
      "horizon 168 h from the advance-notice Thursday; window = release start .. +72 h, within the "
      "horizon (its first 48 h)\n");
  PrintHeader();
  for (const int step_minutes : kStepMinutes) {
    if (flags->only_step != 0 && step_minutes != flags->only_step) continue;
    const auto step_started = WallClock::now();
    std::vector<Cell> cells(kPastReleases.size());
    for (std::size_t h = 0; h < kPastReleases.size(); ++h) {
      cells[h].step_minutes = step_minutes;
      cells[h].past = kPastReleases[h];
    }
    std::vector<WeekTruth> truths;
    for (const DrawPlan& plan : plans) {
      if (!RunDraw(*flags, plan, *calendar, step_minutes, cells, truths)) return 1;
    }
    for (const Cell& cell : cells) PrintCell(cell);
    const auto peak_lift = [&](double q) {
      std::vector<double> v;
      for (const WeekTruth& truth : truths) v.push_back(100 * (truth.peak_lift - 1));
      return Quantile(v, q);
    };
    const auto step_lift = [&](double q) {
      std::vector<double> v;
      for (const WeekTruth& truth : truths) v.push_back(truth.step_lift);
      return Quantile(v, q);
    };
    const auto outage_weeks = std::count_if(truths.begin(), truths.end(),
                                            [](const WeekTruth& truth) { return truth.outage; });
    std::printf(
        "     (%d-min step: %.1f s; restarts raise the window's expected peak by %.1f %% median, "
        "%.1f %% p90; largest step x%.2f median, x%.2f p90; an outage in %td of the %zu scored "
        "weeks)\n",
        step_minutes, std::chrono::duration<double>(WallClock::now() - step_started).count(),
        peak_lift(0.5), peak_lift(0.9), step_lift(0.5), step_lift(0.9), outage_weeks,
        truths.size());
  }
  if (!flags->export_dir.empty()) {
    std::printf("\nexported the draws to %s (step_*/past_*/draw_*)\n", flags->export_dir.c_str());
  }
  std::printf("\nwhole run: %.1f s\n",
              std::chrono::duration<double>(WallClock::now() - started).count());
  return 0;
}
