#include "forecasting/backtest.h"

#include <algorithm>
#include <cmath>

#include "calendars/zone.h"
#include "forecasting/robust_stats.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr std::int64_t kSecondsPerWeek = 7 * 86'400;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The forecast of one method over the event window: p50, p90, p99 per window step.
struct MethodSeries {
  std::vector<double> p50;
  std::vector<double> p90;
  std::vector<double> p99;
};

MethodScore Score(const MethodSeries& method, std::span<const double> actual, std::size_t peak_from,
                  std::int64_t step_seconds, const EventForecast* event_peak,
                  sys_seconds window_start, std::size_t actual_peak_at) {
  MethodScore score;
  double ape_sum = 0;
  std::size_t ape_count = 0;
  std::size_t known = 0;
  std::size_t in90 = 0;
  std::size_t in99 = 0;
  for (std::size_t k = 0; k < actual.size(); ++k) {
    if (std::isnan(actual[k])) continue;
    ++known;
    if (actual[k] > 0) {
      ape_sum += std::abs(method.p50[k] - actual[k]) / actual[k];
      ++ape_count;
    }
    if (actual[k] <= method.p90[k]) ++in90;
    if (actual[k] <= method.p99[k]) ++in99;
  }
  if (known == 0) return score;
  score.mape_pct = ape_count > 0 ? 100 * ape_sum / static_cast<double>(ape_count) : kNaN;
  score.coverage_p90 = static_cast<double>(in90) / static_cast<double>(known);
  score.coverage_p99 = static_cast<double>(in99) / static_cast<double>(known);
  const double actual_peak = actual[actual_peak_at];
  double peak = -1;
  sys_seconds peak_ts{};
  if (event_peak != nullptr && !event_peak->peak.quantiles.empty() &&
      !std::isnan(event_peak->peak.quantiles[0])) {
    peak = event_peak->peak.quantiles[0];  // levels are 0.5, 0.9, 0.99
    peak_ts = event_peak->peak.ts;
  } else {
    for (std::size_t k = peak_from; k < actual.size(); ++k) {
      if (method.p50[k] > peak) {
        peak = method.p50[k];
        peak_ts = window_start + seconds{static_cast<std::int64_t>(k) * step_seconds};
      }
    }
  }
  const sys_seconds actual_ts =
      window_start + seconds{static_cast<std::int64_t>(actual_peak_at) * step_seconds};
  if (actual_peak > 0) score.peak_error_pct = 100 * (peak - actual_peak) / actual_peak;
  score.peak_timing_error_minutes = static_cast<double>((peak_ts - actual_ts).count()) / 60.0;
  return score;
}

BacktestSummary::Method Summarize(const std::vector<EventScorecard>& cards,
                                  MethodScore EventScorecard::*member) {
  BacktestSummary::Method out;
  std::vector<double> peak;
  std::vector<double> timing;
  std::vector<double> mape;
  double weighted90 = 0;
  double weighted99 = 0;
  double weight = 0;
  for (const EventScorecard& card : cards) {
    const MethodScore& score = card.*member;
    if (!std::isnan(score.peak_error_pct)) peak.push_back(std::abs(score.peak_error_pct));
    if (!std::isnan(score.peak_timing_error_minutes)) {
      timing.push_back(std::abs(score.peak_timing_error_minutes));
    }
    if (!std::isnan(score.mape_pct)) mape.push_back(score.mape_pct);
    if (!std::isnan(score.coverage_p90)) {
      const auto w = static_cast<double>(card.window_steps);
      weighted90 += w * score.coverage_p90;
      weighted99 += w * score.coverage_p99;
      weight += w;
    }
  }
  out.median_abs_peak_error_pct = peak.empty() ? kNaN : MedianInPlace(peak);
  out.median_abs_timing_error_minutes = timing.empty() ? kNaN : MedianInPlace(timing);
  out.median_mape_pct = mape.empty() ? kNaN : MedianInPlace(mape);
  out.coverage_p90 = weight > 0 ? weighted90 / weight : kNaN;
  out.coverage_p99 = weight > 0 ? weighted99 / weight : kNaN;
  return out;
}

// Seasonal naive: the value the same number of whole weeks earlier as needed to land before as_of
// (the last known week repeated), skipping back over gaps up to four more weeks. Its quantiles
// come from the log ratios of each step to the step a week earlier over the 8 weeks before as_of.
MethodSeries SeasonalNaive(const RegularSeries& history, std::size_t usable, std::int64_t first,
                           std::size_t count) {
  const std::int64_t step = history.step.count();
  const std::int64_t week = kSecondsPerWeek / step;
  MethodSeries out;
  std::vector<double> ratios;
  const auto usable_i = static_cast<std::int64_t>(usable);
  for (std::int64_t i = std::max<std::int64_t>(week, usable_i - 8 * week); i < usable_i; ++i) {
    const double now = history.values[static_cast<std::size_t>(i)];
    const double then = history.values[static_cast<std::size_t>(i - week)];
    if (now > 0 && then > 0) ratios.push_back(std::log(now / then));
  }
  std::sort(ratios.begin(), ratios.end());
  const double q90 = ratios.empty() ? 0 : QuantileSorted(ratios, 0.9);
  const double q99 = ratios.empty() ? 0 : QuantileSorted(ratios, 0.99);
  for (std::size_t k = 0; k < count; ++k) {
    const std::int64_t i = first + static_cast<std::int64_t>(k);
    std::int64_t lag = week * std::max<std::int64_t>(1, (i - usable_i) / week + 1);
    double value = kNaN;
    for (int extra = 0; extra < 5 && std::isnan(value); ++extra, lag += week) {
      const std::int64_t source = i - lag;
      if (source >= 0 && source < usable_i)
        value = history.values[static_cast<std::size_t>(source)];
    }
    if (std::isnan(value)) value = 0;
    out.p50.push_back(value);
    out.p90.push_back(value * std::exp(std::max(q90, 0.0)));
    out.p99.push_back(value * std::exp(std::max(q99, 0.0)));
  }
  return out;
}

}  // namespace

sys_seconds AdvanceNoticeThursday(const calendars::Event& event) {
  const date::local_days day = date::floor<date::days>(event.local_start);
  const unsigned weekday = date::weekday{day}.c_encoding();  // Sunday = 0, Thursday = 4
  int back = (static_cast<int>(weekday) - 4 + 7) % 7;
  if (back == 0) back = 7;
  if (event.zone == nullptr) return event.start - date::days{back};
  calendars::ZoneConverter converter(*event.zone);
  return converter.ToSys(event.local_start - date::days{back});
}

Result<std::vector<const calendars::Event*>> BacktestReleases(
    const RegularSeries& history, std::span<const calendars::Event> events,
    const ForecastOptions& options, std::size_t n_events) {
  if (n_events == 0) return InvalidArgument("n_events must be at least 1");
  const std::int64_t step = history.step.count();
  if (step <= 0 || 86'400 % step != 0) {
    return InvalidArgument("the series' step of " + std::to_string(step) +
                           " s does not divide a day (86400 s) evenly");
  }
  // Candidates: releases whose window ends within the data and whose as_of has a week before it.
  std::vector<const calendars::Event*> releases;
  for (const calendars::Event& event : events) {
    if (event.kind != calendars::EventKind::kRelease) continue;
    if (event.start + options.window_after + history.step > history.end()) continue;
    if (AdvanceNoticeThursday(event) - history.start < seconds{kSecondsPerWeek}) continue;
    releases.push_back(&event);
  }
  std::sort(releases.begin(), releases.end(), [](const auto* a, const auto* b) {
    return a->start != b->start ? a->start < b->start : a->Id() < b->Id();
  });
  // An id names one event (several matches on one day are one event).
  releases.erase(std::unique(releases.begin(), releases.end(),
                             [](const auto* a, const auto* b) { return a->Id() == b->Id(); }),
                 releases.end());
  if (releases.empty()) {
    return Unprocessable(
        "no release in the history has a complete event window and a week of history before "
        "its advance-notice Thursday");
  }
  if (releases.size() > n_events) {
    releases.erase(releases.begin(), releases.end() - static_cast<std::ptrdiff_t>(n_events));
  }
  return releases;
}

Result<BacktestResult> Backtest(const RegularSeries& history,
                                std::span<const calendars::Event> events,
                                const ForecastOptions& options, std::size_t n_events,
                                seconds horizon) {
  auto releases = BacktestReleases(history, events, options, n_events);
  if (!releases) return releases.error();
  const std::int64_t step = history.step.count();

  ForecastOptions run = options;
  run.quantiles = {0.5, 0.9, 0.99};
  run.what_if.clear();
  run.explain = false;
  run.horizon = horizon;
  ForecastOptions baseline_run = run;
  baseline_run.baseline_only = true;

  BacktestResult result;
  for (const calendars::Event* event : *releases) {
    EventScorecard card;
    card.event_id = event->Id();
    card.start = event->start;
    card.as_of = AdvanceNoticeThursday(*event);
    run.as_of = card.as_of;
    baseline_run.as_of = card.as_of;
    Result<Forecast> forecast = ForecastDemand(history, events, run);
    if (!forecast) {
      Error error = std::move(forecast).error();
      error.message = card.event_id + ": " + error.message;
      return error;
    }
    Result<Forecast> baseline = ForecastDemand(history, events, baseline_run);
    if (!baseline) {
      Error error = std::move(baseline).error();
      error.message = card.event_id + ": " + error.message;
      return error;
    }
    card.model_kind = forecast->model.kind;
    card.events_used = forecast->model.events_used;

    // The scored window: [start - before, start + after] within the forecast.
    const std::vector<ForecastPoint>& points = forecast->points;
    if (points.empty()) continue;
    const sys_seconds first_ts = points.front().ts;
    const auto index_of = [&](sys_seconds t) {
      return static_cast<std::int64_t>(
          std::floor(static_cast<double>((t - first_ts).count()) / static_cast<double>(step)));
    };
    const std::int64_t from =
        std::max<std::int64_t>(index_of(event->start - options.window_before), 0);
    const std::int64_t to =
        std::min<std::int64_t>(index_of(event->start + options.window_after) + 1,
                               static_cast<std::int64_t>(points.size()));
    if (from >= to) continue;
    const auto count = static_cast<std::size_t>(to - from);
    const sys_seconds window_start = points[static_cast<std::size_t>(from)].ts;
    const std::int64_t history_first = (window_start - history.start).count() / step;
    std::vector<double> actual(count, kNaN);
    for (std::size_t k = 0; k < count; ++k) {
      const std::int64_t i = history_first + static_cast<std::int64_t>(k);
      if (i >= 0 && i < static_cast<std::int64_t>(history.size())) {
        actual[k] = history.values[static_cast<std::size_t>(i)];
      }
    }
    const std::size_t peak_from = static_cast<std::size_t>(std::clamp<std::int64_t>(
        index_of(event->start) - from, 0, static_cast<std::int64_t>(count)));
    std::size_t actual_at = peak_from;
    double actual_peak = -1;
    for (std::size_t k = peak_from; k < count; ++k) {
      if (!std::isnan(actual[k]) && actual[k] > actual_peak) {
        actual_peak = actual[k];
        actual_at = k;
      }
    }
    card.window_steps = static_cast<std::size_t>(
        std::count_if(actual.begin(), actual.end(), [](double v) { return !std::isnan(v); }));
    if (actual_peak < 0 || card.window_steps == 0) continue;
    card.actual_peak = actual_peak;
    card.actual_peak_ts = window_start + seconds{static_cast<std::int64_t>(actual_at) * step};

    const auto slice = [&](const Forecast& f) {
      MethodSeries out;
      for (std::size_t k = 0; k < count; ++k) {
        const ForecastPoint& p = f.points[static_cast<std::size_t>(from) + k];
        out.p50.push_back(p.quantiles[0]);
        out.p90.push_back(p.quantiles[1]);
        out.p99.push_back(p.quantiles[2]);
      }
      return out;
    };
    const EventForecast* own = nullptr;
    for (const EventForecast& e : forecast->events) {
      if (e.id == card.event_id) own = &e;
    }
    card.model = Score(slice(*forecast), actual, peak_from, step, own, window_start, actual_at);
    card.baseline_only =
        Score(slice(*baseline), actual, peak_from, step, nullptr, window_start, actual_at);
    const std::size_t usable = static_cast<std::size_t>(std::clamp<std::int64_t>(
        (card.as_of - history.start).count() / step, 0, static_cast<std::int64_t>(history.size())));
    card.seasonal_naive = Score(SeasonalNaive(history, usable, history_first, count), actual,
                                peak_from, step, nullptr, window_start, actual_at);
    result.events.push_back(std::move(card));
  }
  result.summary.events = result.events.size();
  result.summary.model = Summarize(result.events, &EventScorecard::model);
  result.summary.baseline_only = Summarize(result.events, &EventScorecard::baseline_only);
  result.summary.seasonal_naive = Summarize(result.events, &EventScorecard::seasonal_naive);
  return result;
}

}  // namespace patchcast::forecasting
