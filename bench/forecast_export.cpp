// forecast_export: writes the hourly synthetic telemetry of forecast_bench, its events and the
// splits of its 12-event backtest as CSV, with our model's per-event scores and fit+predict times,
// so that other forecasters can be run on exactly the same data and splits (issue 5, "peers in the
// same run": bench/peers/run_peers.sh fits Prophet and forecast::mstl on them).
//
// Usage: build/forecast_export OUT_DIR
//
// Writes into OUT_DIR (created if absent; existing files are replaced):
//  series.csv  ds,y — one row per hourly step, ds its start "YYYY-MM-DDTHH:MM:SSZ" (UTC), y empty
//              for a gap.
//  events.csv  event_id,start,kind — every event the backtest's forecasts see (releases and
//              out-of-band releases of the Microsoft calendar), start in UTC.
//  splits.csv  one row per backtested release, exactly Backtest's split (backtest.cpp):
//                event_id, start     the release and its instant
//                as_of               the advance-notice Thursday at the release's local time
//                history_end         end of the last step usable at as_of (its steps' ds <
//                                    history_end; equal to as_of on the hour)
//                forecast_start      first forecast step (first step starting at or after as_of)
//                horizon_end         end of the 14-day horizon: forecast steps have ds < it
//                window_start, window_end   first and last step (inclusive) of the scored event
//                                    window [start - 48 h, start + 192 h] within the horizon
//                peak_from           first step of the peak search (the step containing start):
//                                    peaks are taken over [peak_from, window_end]
//                window_steps        steps of the window with data (the coverage denominators)
//                actual_peak, actual_peak_ts   the actual maximum over [peak_from, window_end]
//  ours.csv    method,event_id,peak_error_pct,timing_error_minutes,mape_pct,coverage_p90,
//              coverage_p99,window_steps,fit_predict_seconds — rows for "patchcast" (the model as
//              Backtest scores it; fit+predict = one ForecastDemand call with the split's options,
//              wall clock, single-threaded) and "seasonal-naive" (Backtest's reference; not timed:
//              its column is empty).
// Prints Backtest's own summary, against which summarize.awk's medians can be checked.
// Exit status 0 on success, 1 on any error (message on stderr).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench/synthetic_setup.h"
#include "calendars/calendar_registry.h"
#include "calendars/time_text.h"
#include "forecasting/backtest.h"
#include "forecasting/forecast.h"
#include "forecasting/synthetic_telemetry.h"

namespace {

namespace cal = patchcast::calendars;
namespace fc = patchcast::forecasting;
using std::chrono::hours;
using std::chrono::seconds;
using std::chrono::sys_seconds;

sys_seconds Day(int y, unsigned m, unsigned d) { return date::sys_days{date::year{y} / m / d}; }

// The hourly data set of forecast_bench's synthetic accuracy run (bench/synthetic_setup.h), and
// its backtest's size.
constexpr seconds kStep{3600};
constexpr std::size_t kBacktestEvents = 12;
constexpr hours kHorizon{14 * 24};

struct Synthetic {
  fc::SyntheticTelemetry telemetry;
  std::vector<cal::Event> events;
  fc::ForecastOptions options;  // what forecast_bench passes to Backtest
};

patchcast::Result<Synthetic> MakeSynthetic(const cal::CalendarRegistry& registry) {
  auto made = patchcast::bench::MakeBenchTelemetry(
      registry, {.step = kStep, .start = Day(2012, 5, 7), .end = Day(2014, 1, 6)});
  if (!made) return std::move(made).error();
  Synthetic out;
  out.telemetry = std::move(made->telemetry);
  out.events = std::move(made->events);
  out.options.zone_mix = std::move(made->zones);
  return out;
}

// One backtested release's split, derived from the forecast Backtest makes for it.
struct Split {
  sys_seconds history_end{};
  sys_seconds forecast_start{};
  sys_seconds horizon_end{};
  sys_seconds window_start{};
  sys_seconds window_end{};
  sys_seconds peak_from{};
  std::size_t window_steps = 0;
  double actual_peak = -1;
  sys_seconds actual_peak_ts{};
};

// The window arithmetic of Backtest (backtest.cpp) on `forecast`'s grid, so that the peers score
// exactly the steps our model is scored on.
Split SplitOf(const fc::RegularSeries& series, const fc::EventScorecard& card,
              const fc::ForecastOptions& options, const fc::Forecast& forecast) {
  Split split;
  const std::int64_t step = series.step.count();
  const sys_seconds first_ts = forecast.points.front().ts;
  const auto index_of = [&](sys_seconds t) {
    return static_cast<std::int64_t>(
        std::floor(static_cast<double>((t - first_ts).count()) / static_cast<double>(step)));
  };
  const auto points = static_cast<std::int64_t>(forecast.points.size());
  const std::int64_t from = std::max<std::int64_t>(index_of(card.start - options.window_before), 0);
  const std::int64_t to =
      std::min<std::int64_t>(index_of(card.start + options.window_after) + 1, points);
  const std::int64_t peak_from = std::clamp<std::int64_t>(index_of(card.start), from, to);
  const auto at = [&](std::int64_t k) { return first_ts + seconds{k * step}; };
  // ForecastDemand's usable history: the steps that end at or before as_of.
  const std::int64_t usable = std::clamp<std::int64_t>((card.as_of - series.start).count() / step,
                                                       0, static_cast<std::int64_t>(series.size()));
  split.history_end = series.TimeAt(static_cast<std::size_t>(usable));
  split.forecast_start = first_ts;
  split.horizon_end = at(points);
  split.window_start = at(from);
  split.window_end = at(to - 1);
  split.peak_from = at(peak_from);
  for (std::int64_t k = from; k < to; ++k) {
    const std::int64_t i = (at(k) - series.start).count() / step;
    if (i < 0 || i >= static_cast<std::int64_t>(series.size())) continue;
    const double v = series.values[static_cast<std::size_t>(i)];
    if (std::isnan(v)) continue;
    ++split.window_steps;
    if (k >= peak_from && v > split.actual_peak) {
      split.actual_peak = v;
      split.actual_peak_ts = at(k);
    }
  }
  return split;
}

std::string Utc(sys_seconds t) { return cal::FormatUtcDateTime(t); }

// A score for CSV: empty when NaN.
std::string Number(double v) {
  if (std::isnan(v)) return "";
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", v);
  return text;
}

void WriteScore(std::ofstream& out, const char* method, const fc::EventScorecard& card,
                const fc::MethodScore& score, double fit_predict_seconds) {
  out << method << ',' << card.event_id << ',' << Number(score.peak_error_pct) << ','
      << Number(score.peak_timing_error_minutes) << ',' << Number(score.mape_pct) << ','
      << Number(score.coverage_p90) << ',' << Number(score.coverage_p99) << ',' << card.window_steps
      << ',' << Number(fit_predict_seconds) << '\n';
}

int Fail(const std::string& what, const std::string& message) {
  std::fprintf(stderr, "forecast_export: %s: %s\n", what.c_str(), message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 1;
  }
  const std::filesystem::path dir = argv[1];
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Fail(dir.string(), ec.message());

  auto registry = cal::CalendarRegistry::Create({});
  if (!registry) return Fail("registry", registry.error().message);
  auto synthetic = MakeSynthetic(*registry);
  if (!synthetic) return Fail("synthetic telemetry", synthetic.error().message);
  const fc::RegularSeries& series = synthetic->telemetry.series;
  const fc::ForecastOptions& options = synthetic->options;

  auto result = fc::Backtest(series, synthetic->events, options, kBacktestEvents, kHorizon);
  if (!result) return Fail("backtest", result.error().message);

  std::ofstream series_csv(dir / "series.csv");
  series_csv << "ds,y\n";
  for (std::size_t i = 0; i < series.size(); ++i) {
    series_csv << Utc(series.TimeAt(i)) << ',' << Number(series.values[i]) << '\n';
  }
  std::ofstream events_csv(dir / "events.csv");
  events_csv << "event_id,start,kind\n";
  for (const cal::Event& event : synthetic->events) {
    events_csv << event.Id() << ',' << Utc(event.start) << ',' << cal::ToString(event.kind) << '\n';
  }

  std::ofstream splits_csv(dir / "splits.csv");
  splits_csv << "event_id,start,as_of,history_end,forecast_start,horizon_end,window_start,"
                "window_end,peak_from,window_steps,actual_peak,actual_peak_ts\n";
  std::ofstream ours_csv(dir / "ours.csv");
  ours_csv << "method,event_id,peak_error_pct,timing_error_minutes,mape_pct,coverage_p90,"
              "coverage_p99,window_steps,fit_predict_seconds\n";
  // Backtest's per-event forecast options (backtest.cpp), timed one call per split.
  fc::ForecastOptions run = options;
  run.quantiles = {0.5, 0.9, 0.99};
  run.what_if.clear();
  run.explain = false;
  run.horizon = kHorizon;
  for (const fc::EventScorecard& card : result->events) {
    run.as_of = card.as_of;
    const auto t0 = std::chrono::steady_clock::now();
    auto forecast = fc::ForecastDemand(series, synthetic->events, run);
    const double fit_predict_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!forecast) return Fail(card.event_id, forecast.error().message);
    if (forecast->points.empty()) return Fail(card.event_id, "the forecast has no points");
    const Split split = SplitOf(series, card, options, *forecast);
    // The split must be Backtest's: same scored steps, same actual peak.
    if (split.window_steps != card.window_steps || split.actual_peak != card.actual_peak ||
        split.actual_peak_ts != card.actual_peak_ts) {
      return Fail(card.event_id, "the exported window differs from Backtest's (" +
                                     std::to_string(split.window_steps) + " vs " +
                                     std::to_string(card.window_steps) + " steps)");
    }
    splits_csv << card.event_id << ',' << Utc(card.start) << ',' << Utc(card.as_of) << ','
               << Utc(split.history_end) << ',' << Utc(split.forecast_start) << ','
               << Utc(split.horizon_end) << ',' << Utc(split.window_start) << ','
               << Utc(split.window_end) << ',' << Utc(split.peak_from) << ',' << split.window_steps
               << ',' << Number(split.actual_peak) << ',' << Utc(split.actual_peak_ts) << '\n';
    WriteScore(ours_csv, "patchcast", card, card.model, fit_predict_seconds);
    WriteScore(ours_csv, "seasonal-naive", card, card.seasonal_naive, NAN);
  }
  for (std::ofstream* out : {&series_csv, &events_csv, &splits_csv, &ours_csv}) {
    out->flush();
    if (!*out) return Fail(dir.string(), "could not write the CSV files");
  }

  const auto& m = result->summary.model;
  const auto& n = result->summary.seasonal_naive;
  std::printf(
      "forecast_export: %zu hourly steps, %zu events, %zu splits -> %s\n"
      "  Backtest's summary: patchcast %.1f %% / %.0f min / MAPE %.1f %% / cov %.3f %.3f; "
      "seasonal-naive %.1f %% / %.0f min / MAPE %.1f %% / cov %.3f %.3f\n",
      series.size(), synthetic->events.size(), result->events.size(), dir.string().c_str(),
      m.median_abs_peak_error_pct, m.median_abs_timing_error_minutes, m.median_mape_pct,
      m.coverage_p90, m.coverage_p99, n.median_abs_peak_error_pct,
      n.median_abs_timing_error_minutes, n.median_mape_pct, n.coverage_p90, n.coverage_p99);
  return 0;
}
