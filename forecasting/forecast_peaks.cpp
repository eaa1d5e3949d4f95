#include "forecasting/forecast_peaks.h"

#include <algorithm>
#include <cmath>

#include "forecasting/robust_stats.h"

namespace patchcast::forecasting::forecast_steps {

using std::chrono::seconds;
using std::chrono::sys_seconds;

std::vector<double> QuietDailyPeakLogRatios(const Context& ctx) {
  const RegularSeries& history = *ctx.history;
  const auto day = static_cast<std::size_t>(kSecondsPerDay / ctx.step_seconds);
  const std::size_t days = std::min<std::size_t>(
      ctx.usable / day,
      7 * static_cast<std::size_t>(std::max(ctx.options->baseline.profile_weeks, 1)));
  std::vector<double> ratios;
  for (std::size_t d = 1; d <= days; ++d) {
    const std::size_t from = ctx.usable - d * day;
    double actual_peak = 0;
    double baseline_peak = 0;
    std::size_t counted = 0;
    for (std::size_t i = from; i < from + day; ++i) {
      const double v = history.values[i];
      if (ctx.quiet[i] == 0 || std::isnan(v)) continue;
      ++counted;
      actual_peak = std::max(actual_peak, v);
      baseline_peak = std::max(baseline_peak, ctx.baseline.At(ctx.slots[i], history.TimeAt(i)));
    }
    // A day mostly inside event windows or gaps would compare a part of it.
    if (5 * counted < 4 * day || actual_peak <= 0 || baseline_peak <= ctx.epsilon) continue;
    ratios.push_back(std::log(actual_peak / baseline_peak));
  }
  std::sort(ratios.begin(), ratios.end());
  return ratios;
}

EventForecast ForecastEventPeak(const Context& ctx, const Grid& grid, const EventRef& ref,
                                const Group& group, const Upcoming& up,
                                const std::vector<StepState>& states,
                                const StepQuantiles& quantiles, const Forecast& forecast,
                                std::span<const double> quiet_peak_log_ratios) {
  const ForecastOptions& options = *ctx.options;
  EventForecast out;
  out.id = ref.id;
  out.calendar_id = ref.event->calendar_id;
  out.kind = ref.event->kind;
  out.start = ref.event->start;
  out.magnitude =
      (group.prior_weight * up.prior_magnitude + (1 - group.prior_weight) * up.magnitude) *
      up.observed_scale * up.what_if;
  out.observed_share = up.observed_share;
  out.observed_scale = up.observed_scale;
  out.prior_weight = group.prior_weight;
  out.events_used = group.curve ? group.past.size() : 0;
  const std::int64_t from = std::max(ref.index, grid.first_step) - grid.first_step;
  const std::int64_t to = std::min(ref.index + ctx.post + 1, grid.end()) - grid.first_step;
  if (from >= to) {
    // Its peak window lies before as_of: report the start, no height.
    out.peak.ts = ref.event->start;
    out.peak.quantiles.assign(forecast.quantile_levels.size(), kNaN);
    out.peak.window = {ref.event->start, ref.event->start};
    out.lift_p50 = kNaN;
    return out;
  }
  // The peak is the wave's top: where the prior drives it, at the prior's hours. The median line
  // spreads that wave over the prior's timing uncertainty, and its top is lower and wider.
  std::size_t best = static_cast<std::size_t>(from);
  double best_center = -1;
  for (auto j = static_cast<std::size_t>(from); j < static_cast<std::size_t>(to); ++j) {
    const double center = states[j].baseline * (1 + states[j].excess_at_prior_hours);
    if (center > best_center) {
      best_center = center;
      best = j;
    }
  }
  const ResponseCurve* curve = group.curve ? &*group.curve : nullptr;
  const bool calibrated =
      curve != nullptr && group.prior_weight < 0.5 && curve->peak_log_ratios.size() >= 3;
  const sys_seconds center_ts = forecast.points[best].ts;
  if (calibrated) {
    const auto shift = [&](double q) {
      const double minutes = QuantileSorted(curve->peak_timing_minutes, q);
      return seconds{static_cast<std::int64_t>(
          std::llround(minutes * 60 / static_cast<double>(ctx.step_seconds)) * ctx.step_seconds)};
    };
    // The time stays where the median peaks: past peaks that landed on another wave of the window
    // (the next morning's boots, a ring a week on) make the timing errors multi-modal, and their
    // median would move the peak hours off the wave the curve puts highest. They widen the
    // window instead.
    out.peak.ts = center_ts;
    out.peak.window = {center_ts + shift(0.1), center_ts + shift(0.9)};
    // Under way, the peak's size is narrowed as the points' are, but never below the quantiles of
    // the step where the median peaks (the series' own noise).
    const double size_sd = std::sqrt(1 - up.observed_share);
    for (std::size_t qi = 0; qi < forecast.quantile_levels.size(); ++qi) {
      const double q = forecast.quantile_levels[qi];
      double height = best_center * std::exp(QuantileSorted(curve->peak_log_ratios, q) * size_sd);
      if (up.observed_share > 0) height = std::max(height, forecast.points[best].quantiles[qi]);
      out.peak.quantiles.push_back(height);
    }
  } else {
    const seconds spread{static_cast<std::int64_t>(options.prior.peak_timing_spread_hours * 3600)};
    out.peak.ts = center_ts;
    out.peak.window = {center_ts - spread, center_ts + spread};
    double floor = 0;
    for (const double q : forecast.quantile_levels) {
      floor = std::max(floor, quantiles.At(best, q, PriorTiming::kAtItsHours));
      out.peak.quantiles.push_back(floor);
    }
    // A spike's top at minute steps is its curve plus the noise of its highest minutes, which a
    // median misses (17 % low at 1-minute steps): the series' own quiet days say by how much.
    if (!quiet_peak_log_ratios.empty()) {
      for (std::size_t qi = 0; qi < forecast.quantile_levels.size(); ++qi) {
        const double q = forecast.quantile_levels[qi];
        out.peak.quantiles[qi] =
            std::max(out.peak.quantiles[qi],
                     best_center * std::exp(QuantileSorted(quiet_peak_log_ratios, q)));
      }
    }
  }
  // The peak is searched from the event's start: timing spreads learned elsewhere must not place it
  // before the start, or after the window's end.
  const sys_seconds earliest = forecast.points[static_cast<std::size_t>(from)].ts;
  const sys_seconds latest = forecast.points[static_cast<std::size_t>(to - 1)].ts;
  out.peak.ts = std::clamp(out.peak.ts, earliest, latest);
  out.peak.window.p10 = std::clamp(out.peak.window.p10, earliest, out.peak.ts);
  out.peak.window.p90 = std::clamp(out.peak.window.p90, out.peak.ts, latest);
  out.lift_p50 = 1;
  for (auto j = static_cast<std::size_t>(from); j < static_cast<std::size_t>(to); ++j) {
    if (states[j].baseline > 0) {
      out.lift_p50 = std::max(out.lift_p50, quantiles.At(j, 0.5) / states[j].baseline);
    }
  }
  return out;
}

ModelSummary SummarizeModel(const Context& ctx, const std::vector<EventRef>& refs,
                            const std::vector<Group>& groups, const std::vector<Upcoming>& upcoming,
                            std::size_t events_used) {
  ModelSummary model;
  model.events_used = events_used;
  double prior_weight = 0;
  for (const Upcoming& up : upcoming) {
    prior_weight = std::max(prior_weight, groups[refs[up.ref].group].prior_weight);
  }
  if (upcoming.empty()) {
    for (const Group& group : groups) {
      if (!group.past.empty()) prior_weight = std::max(prior_weight, group.prior_weight);
    }
  }
  model.prior_weight = prior_weight;
  model.kind = prior_weight <= 0   ? ModelKind::kLearned
               : prior_weight >= 1 ? ModelKind::kPrior
                                   : ModelKind::kBlended;
  const RegularSeries& history = *ctx.history;
  std::size_t first_data = 0;
  while (first_data < ctx.usable && std::isnan(history.values[first_data])) ++first_data;
  model.history_from = history.TimeAt(first_data);
  model.history_to = history.TimeAt(ctx.usable);
  return model;
}

}  // namespace patchcast::forecasting::forecast_steps
