#include "forecasting/forecast_quantiles.h"

#include <algorithm>
#include <cmath>

#include "forecasting/forecast_layout.h"
#include "forecasting/robust_stats.h"

namespace patchcast::forecasting::forecast_steps {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

// Fewer residuals than this in a horizon bucket: pool all horizons.
constexpr std::size_t kMinBucketResiduals = 30;

double LogRatio(const Context& ctx, double value, double reference) {
  return std::log((value + ctx.epsilon) / (std::max(reference, 0.0) + ctx.epsilon));
}

// Each quiet step of [from, usable) against the same time on the nearest earlier day of its kind
// (a weekday, or the weekend, on the profile's clock) that is quiet and known.
std::vector<double> DayToDayLogRatios(const Context& ctx, std::size_t from) {
  const std::span<const double> values(ctx.history->values.data(), ctx.usable);
  const auto day = static_cast<std::size_t>(kSecondsPerDay / ctx.step_seconds);
  const auto weekend = [&](std::size_t i) { return ctx.slots[i] / day >= 5; };
  const auto usable = [&](std::size_t i) { return ctx.quiet[i] != 0 && !std::isnan(values[i]); };
  std::vector<double> residuals;
  for (std::size_t i = from + day; i < ctx.usable; ++i) {
    if (!usable(i)) continue;
    for (std::size_t back = day; back <= 6 * day && back <= i - from; back += day) {
      const std::size_t j = i - back;
      if (weekend(j) != weekend(i) || !usable(j)) continue;
      residuals.push_back(LogRatio(ctx, values[i], values[j]));
      break;
    }
  }
  return residuals;
}

// The residuals of a history too short for a rolling origin. A baseline fitted on a week or two
// reproduces its own steps, and its in-sample residuals would say that next week is known to the
// login (a week's history: all 0, a p99 on the p50). Day against day is out of sample, and errs
// wide (it carries the difference between weekdays). The residuals are as many as those ratios,
// spaced as a normal at their robust spread: the raw ratios' tails come from the days a zone mix's
// clocks disagree on (weekend for one, weekday for the others), and put the p99 at twice the p50.
std::vector<double> DayToDayResiduals(const Context& ctx, std::size_t from) {
  std::vector<double> residuals = DayToDayLogRatios(ctx, from);
  const double sd = RobustSd(residuals);
  for (std::size_t k = 0; k < residuals.size(); ++k) {
    residuals[k] = sd * NormalSliceMidpoint(k, residuals.size());
  }
  return residuals;
}

}  // namespace

std::array<std::vector<double>, kHorizonDays> QuietResiduals(const Context& ctx) {
  std::array<std::vector<double>, kHorizonDays> buckets;
  const std::size_t week = SlotsPerWeek(seconds{ctx.step_seconds});
  const std::span<const double> values(ctx.history->values.data(), ctx.usable);
  // Below an hour, the residuals of every third (or n-th) slot are plenty, and fitting only those
  // slots keeps the rolling fits cheap (a forecast from a year of 5-minute data within 20 ms).
  BaselineFitOptions rolling = BaselineFitOptionsOf(ctx);
  rolling.slot_stride = std::max<std::size_t>(1, week / 672);
  for (int k = 1; k <= ctx.options->residual_weeks; ++k) {
    if (ctx.usable < week * static_cast<std::size_t>(k + 1)) break;
    const std::size_t origin = ctx.usable - week * static_cast<std::size_t>(k);
    Result<WeeklyBaseline> fit = FitWeeklyBaseline(values, ctx.slots, ctx.quiet, ctx.history->start,
                                                   seconds{ctx.step_seconds}, origin, rolling);
    if (!fit) continue;
    for (std::size_t i = origin; i < origin + week; ++i) {
      if (ctx.quiet[i] == 0 || std::isnan(values[i]) || ctx.slots[i] % rolling.slot_stride != 0) {
        continue;
      }
      const double b = fit->At(ctx.slots[i], ctx.history->TimeAt(i));
      const auto day = static_cast<std::size_t>(static_cast<std::int64_t>(i - origin) *
                                                ctx.step_seconds / kSecondsPerDay);
      buckets[std::min(day, kHorizonDays - 1)].push_back(LogRatio(ctx, values[i], b));
    }
  }
  const bool thin = std::any_of(buckets.begin(), buckets.end(), [](const auto& bucket) {
    return bucket.size() < kMinBucketResiduals;
  });
  if (thin) {
    std::vector<double> pooled;
    for (const auto& bucket : buckets) pooled.insert(pooled.end(), bucket.begin(), bucket.end());
    if (pooled.size() < kMinBucketResiduals) {
      const std::size_t profile_window =
          week * static_cast<std::size_t>(std::max(ctx.options->baseline.profile_weeks, 1));
      pooled =
          DayToDayResiduals(ctx, ctx.usable > profile_window ? ctx.usable - profile_window : 0);
    }
    if (pooled.empty()) pooled.push_back(0);
    for (auto& bucket : buckets) bucket = pooled;
  }
  // Centred on the baseline: the rolling fits' median miss is not the final fit's bias. The fits
  // from a short history's first weeks miss by more, and their median would move every quiet
  // hour's p50 off the baseline (10-25 % with 40 days of history); the spread is what they tell.
  for (auto& bucket : buckets) {
    std::sort(bucket.begin(), bucket.end());
    const double median = QuantileSorted(bucket, 0.5);
    for (double& r : bucket) r -= median;
  }
  return buckets;
}

namespace {

// What one wave adds at a step: its median excess, the same with the prior's waves' expected
// values and at their hours, and the event that leads it (the largest median excess).
struct WaveAtStep {
  double excess = 0;
  double spread = 0;
  double at_hours = 0;
  std::ptrdiff_t lead = -1;

  bool Acts() const { return lead >= 0 && (excess != 0 || spread != 0 || at_hours != 0); }
};

// Two waves of one kind of event that act at the same step (match days a day apart, each window
// reaching into the next day) each learned that overlap whole (Observe, forecast_learning.cpp):
// the larger counts, not their sum. Folds every such wave into its kind's first, keeping the
// larger of each value; a folded wave no longer leads. A wave's kind is its leading event's.
void FoldWavesOfOneKind(const std::vector<EventRef>& refs, const std::vector<Upcoming>& upcoming,
                        std::vector<WaveAtStep>& waves) {
  const auto group_of = [&](const WaveAtStep& wave) {
    return refs[upcoming[static_cast<std::size_t>(wave.lead)].ref].group;
  };
  for (std::size_t w = 0; w < waves.size(); ++w) {
    if (!waves[w].Acts()) continue;
    for (std::size_t v = w + 1; v < waves.size(); ++v) {
      if (!waves[v].Acts() || group_of(waves[v]) != group_of(waves[w])) continue;
      WaveAtStep& kept = waves[w];
      if (waves[v].excess > kept.excess) {
        kept.excess = waves[v].excess;
        kept.lead = waves[v].lead;
      }
      kept.spread = std::max(kept.spread, waves[v].spread);
      kept.at_hours = std::max(kept.at_hours, waves[v].at_hours);
      waves[v] = WaveAtStep{};
    }
  }
}

}  // namespace

std::vector<StepState> CombineEventsAtSteps(const Context& ctx, const Grid& grid,
                                            const std::vector<EventRef>& refs,
                                            const std::vector<Upcoming>& upcoming,
                                            const Waves& waves, const ExcessModel& excess,
                                            std::vector<PointExplanation>* explanations) {
  const RegularSeries& history = *ctx.history;
  std::vector<StepState> states(grid.horizon_steps);
  std::vector<WaveAtStep> at_step(waves.count);
  if (explanations != nullptr) explanations->resize(grid.horizon_steps);
  for (std::size_t j = 0; j < grid.horizon_steps; ++j) {
    const std::int64_t i = grid.first_step + static_cast<std::int64_t>(j);
    const sys_seconds ts = history.start + history.step * i;
    StepState& state = states[j];
    state.baseline = grid.baseline[j];
    // A recent clock change moves the quiet demand under an event, not the event's own extra
    // logins: the excess is taken on the profile's baseline and restated over the step's.
    const double profile_baseline = ctx.baseline.At(grid.slots[j], ts);
    const double rescale = state.baseline > 0 ? profile_baseline / state.baseline : 1.0;
    state.horizon_day = std::min<std::size_t>(
        kHorizonDays - 1,
        static_cast<std::size_t>(std::max<std::int64_t>((ts - grid.as_of).count(), 0) /
                                 kSecondsPerDay));
    std::fill(at_step.begin(), at_step.end(), WaveAtStep{});
    for (std::size_t u = 0; u < upcoming.size(); ++u) {
      const double x = rescale * excess.At(upcoming[u], i, profile_baseline, PriorTiming::kMedian);
      const double spread =
          rescale * excess.At(upcoming[u], i, profile_baseline, PriorTiming::kSpread);
      const double at_hours =
          rescale * excess.At(upcoming[u], i, profile_baseline, PriorTiming::kAtItsHours);
      WaveAtStep& wave = at_step[waves.of[u]];
      const bool first = wave.lead < 0;
      wave.spread = first ? spread : std::max(wave.spread, spread);
      wave.at_hours = first ? at_hours : std::max(wave.at_hours, at_hours);
      if (first || x > wave.excess) {
        wave.excess = x;
        wave.lead = static_cast<std::ptrdiff_t>(u);
      }
    }
    FoldWavesOfOneKind(refs, upcoming, at_step);
    // A wave whose median is flat here (its timing too uncertain) still owns the step's bands.
    double largest = 0;
    for (const WaveAtStep& wave : at_step) {
      state.excess += wave.excess;
      state.excess_spread += wave.spread;
      state.excess_at_prior_hours += wave.at_hours;
      const double size = std::max(std::abs(wave.excess), std::abs(wave.at_hours));
      if (size > largest) {
        largest = size;
        state.dominant = wave.lead;
      }
    }
    state.excess = std::max(state.excess, -1.0);
    state.excess_spread = std::max(state.excess_spread, -1.0);
    state.excess_at_prior_hours = std::max(state.excess_at_prior_hours, -1.0);
    if (explanations == nullptr) continue;
    PointExplanation& explanation = (*explanations)[j];
    explanation.baseline = state.baseline;
    for (const WaveAtStep& wave : at_step) {
      if (wave.lead < 0) continue;
      const Upcoming& up = upcoming[static_cast<std::size_t>(wave.lead)];
      double severity = 0;
      excess.At(up, i, profile_baseline, PriorTiming::kMedian, &severity);
      // An event the annotations silenced (no restart) still explains why demand is not up.
      if (wave.excess == 0 && severity == 0) continue;
      explanation.uplifts.push_back({refs[up.ref].id, state.baseline * wave.excess});
      explanation.severity_term += profile_baseline * severity;
    }
  }
  return states;
}

bool LearnedBands(const Group& group) {
  if (!group.curve || group.curve->active_residuals.empty() || group.prior_weight >= 0.5) {
    return false;
  }
  if (group.prior_weight <= 0) return true;  // no prior to give them
  const auto sized = std::count_if(group.curve->magnitudes.begin(), group.curve->magnitudes.end(),
                                   [](double m) { return !std::isnan(m); });
  return sized >= 3;
}

StepQuantiles::StepQuantiles(const Context& ctx, const std::vector<EventRef>& refs,
                             const std::vector<Group>& groups,
                             const std::vector<Upcoming>& upcoming,
                             const std::vector<StepState>& states)
    : ctx_(&ctx),
      refs_(&refs),
      groups_(&groups),
      upcoming_(&upcoming),
      states_(&states),
      quiet_residuals_(QuietResiduals(ctx)),
      timing_envelope_(PriorTimingEnvelope()) {}

double StepQuantiles::At(std::size_t j, double q, PriorTiming timing) const {
  const StepState& state = (*states_)[j];
  const double b = state.baseline;
  const bool at_hours = timing == PriorTiming::kAtItsHours;
  const double median = at_hours ? state.excess_at_prior_hours : state.excess;
  const double expected = at_hours ? state.excess_at_prior_hours : state.excess_spread;
  // How far an upper level reaches from the median toward what a late or early wave could bring:
  // nothing at the median, all of it from q = 0.9.
  const double reach = std::clamp((q - 0.5) / 0.4, 0.0, 1.0);
  const double x = median + reach * std::max(expected - median, 0.0);
  const double quiet_log = QuantileSorted(quiet_residuals_[state.horizon_day], q);
  const auto quiet_band = [&](double center) {
    return (center + ctx_->epsilon) * std::exp(quiet_log) - ctx_->epsilon;
  };
  double value = quiet_band(b * (1 + x));
  if (state.dominant >= 0) {
    const Upcoming& up = (*upcoming_)[static_cast<std::size_t>(state.dominant)];
    const Group& group = (*groups_)[(*refs_)[up.ref].group];
    const bool learned = LearnedBands(group);
    // The size's uncertainty left once part of an event under way has been observed: with the
    // size shrunk toward the observed one by the observed share f, its variance is (1 - f)
    // times the variance it had (a normal-normal update); the series' own noise stays.
    const double size_sd = std::sqrt(1 - up.observed_share);
    if (learned && std::abs(median) >=
                       group.active_threshold * std::max(up.magnitude * up.observed_scale, 0.1)) {
      const double z = QuantileSorted(group.curve->active_residuals, q);
      value = b * (1 + x + z * (std::abs(x) * size_sd + group.curve->noise_floor));
    } else if (!learned &&
               std::max({std::abs(median), std::abs(expected), timing_envelope_[j]}) >= 0.02) {
      // The prior's size is uncertain by a log-normal factor, and its timing by
      // peak_timing_spread_hours either way: the upper quantiles reach for the largest excess at
      // the prior's hours within that spread, so a wave that comes a little early or late stays
      // inside the band. Too wide is better than too narrow before the series has shown its own
      // waves.
      const double factor =
          std::exp(ctx_->options->prior.magnitude_log_sd * size_sd * NormalQuantile(q));
      const double upper = x + reach * std::max(timing_envelope_[j] - x, 0.0);
      value = quiet_band(b * (1 + upper * factor));
    }
  }
  return std::max(value, 0.0);
}

bool StepQuantiles::PriorDriven(const StepState& state) const {
  if (state.dominant < 0) return false;
  return !LearnedBands(
      (*groups_)[(*refs_)[(*upcoming_)[static_cast<std::size_t>(state.dominant)].ref].group]);
}

// The largest median excess within the prior's timing spread of each prior-driven step.
std::vector<double> StepQuantiles::PriorTimingEnvelope() const {
  std::vector<double> envelope(states_->size(), 0.0);
  const auto reach = static_cast<std::ptrdiff_t>(ctx_->options->prior.peak_timing_spread_hours *
                                                 3600 / static_cast<double>(ctx_->step_seconds));
  const auto steps = static_cast<std::ptrdiff_t>(states_->size());
  for (std::ptrdiff_t j = 0; j < steps; ++j) {
    if (!PriorDriven((*states_)[static_cast<std::size_t>(j)])) continue;
    double largest = 0;
    for (std::ptrdiff_t k = std::max<std::ptrdiff_t>(0, j - reach);
         k <= std::min(steps - 1, j + reach); ++k) {
      largest = std::max(largest, (*states_)[static_cast<std::size_t>(k)].excess_at_prior_hours);
    }
    envelope[static_cast<std::size_t>(j)] = largest;
  }
  return envelope;
}

std::vector<ForecastPoint> QuantilePoints(const Context& ctx, const Grid& grid,
                                          const std::vector<StepState>& states,
                                          const StepQuantiles& quantiles,
                                          const std::vector<double>& levels) {
  std::vector<ForecastPoint> points(grid.horizon_steps);
  for (std::size_t j = 0; j < grid.horizon_steps; ++j) {
    ForecastPoint& point = points[j];
    point.ts =
        ctx.history->start + ctx.history->step * (grid.first_step + static_cast<std::int64_t>(j));
    point.baseline = states[j].baseline;
    point.quantiles.resize(levels.size());
    double floor = 0;
    for (std::size_t qi = 0; qi < levels.size(); ++qi) {
      floor = std::max(floor, quantiles.At(j, levels[qi]));
      point.quantiles[qi] = floor;
    }
  }
  return points;
}

}  // namespace patchcast::forecasting::forecast_steps
