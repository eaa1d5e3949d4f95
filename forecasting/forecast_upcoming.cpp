#include "forecasting/forecast_upcoming.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "forecasting/robust_stats.h"

namespace patchcast::forecasting::forecast_steps {

using std::chrono::sys_seconds;

namespace {

// The series' own first night after a release is what tells its install hours; the prior only
// guesses them. This much after the start is compared.
constexpr std::chrono::hours kTimingEvidence{36};

}  // namespace

std::int64_t LearnedTimingShift(std::span<const double> learned, std::span<const double> prior,
                                std::size_t from, std::size_t to, std::int64_t reach) {
  to = std::min({to, learned.size(), prior.size()});
  std::int64_t best_shift = 0;
  double best = 0;
  for (std::int64_t shift = -reach; shift <= reach; ++shift) {
    double overlap = 0;
    for (std::size_t k = from; k < to; ++k) {
      const std::int64_t source = static_cast<std::int64_t>(k) - shift;
      if (source < 0 || source >= static_cast<std::int64_t>(prior.size())) continue;
      overlap += std::max(learned[k], 0.0) * prior[static_cast<std::size_t>(source)];
    }
    const bool nearer = std::abs(shift) < std::abs(best_shift);
    if (overlap > best || (overlap == best && overlap > 0 && nearer)) {
      best = overlap;
      best_shift = shift;
    }
  }
  return best_shift;
}

std::vector<double> ShiftedWave(std::span<const double> wave, std::int64_t shift) {
  std::vector<double> shifted(wave.size(), 0.0);
  for (std::size_t k = 0; k < wave.size(); ++k) {
    const std::int64_t source = static_cast<std::int64_t>(k) - shift;
    if (source >= 0 && source < static_cast<std::int64_t>(wave.size())) {
      shifted[k] = wave[static_cast<std::size_t>(source)];
    }
  }
  return shifted;
}

std::vector<Upcoming> SizeUpcomingEvents(const Context& ctx, const std::vector<EventRef>& refs,
                                         const std::vector<Group>& groups, const ZonePlan& zones) {
  const ForecastOptions& options = *ctx.options;
  const RegularSeries& history = *ctx.history;
  double weekly_volume = 0;
  for (double p : ctx.baseline.profile) weekly_volume += p;
  // peak_timing_spread_hours is the half-width of the timing's p10-p90 window.
  const double timing_sd_steps = options.prior.peak_timing_spread_hours * 3600 /
                                 NormalQuantile(0.9) / static_cast<double>(ctx.step_seconds);
  std::vector<Upcoming> upcoming;
  for (std::size_t r = 0; r < refs.size(); ++r) {
    if (!refs[r].relevant) continue;
    const EventRef& ref = refs[r];
    const Group& group = groups[ref.group];
    Upcoming up;
    up.ref = r;
    if (group.curve) up.magnitude = group.curve->Magnitude(AnnotationsOf(ref));
    // No restart, no reboot wave: the prior is the physics of restarts.
    if (ref.event->restart_required == false) up.prior_magnitude = 0;
    const sys_seconds step_start = history.start + history.step * ref.curve_index;
    up.daily_volume = weekly_volume / 7 * ctx.baseline.Level(ref.event->start);
    if (options.use_prior && group.prior_weight > 0 && IsRebootKind(group.kind)) {
      up.prior_excess = RebootWaveShape(ref.event->start, step_start, history.step, -ctx.pre,
                                        static_cast<std::size_t>(ctx.pre + ctx.post + 1),
                                        zones.zones, options.prior);
      if (group.curve && group.peak_excess > 0) {
        const auto reach = static_cast<std::int64_t>(options.prior.peak_timing_spread_hours * 3600 /
                                                     static_cast<double>(ctx.step_seconds));
        const auto start = static_cast<std::size_t>(ctx.pre);
        const std::int64_t shift = LearnedTimingShift(
            group.curve->excess, up.prior_excess, start,
            start + static_cast<std::size_t>(kTimingEvidence / history.step), reach);
        up.prior_excess = ShiftedWave(up.prior_excess, shift);
      }
      // The physics gives the wave's expected size; its median is lower by exp(-sd^2 / 2) when
      // the size is log-normal with that mean. The median line is the median over that size's
      // spread and the timing's.
      const double median_size =
          std::exp(-0.5 * options.prior.magnitude_log_sd * options.prior.magnitude_log_sd);
      for (double& x : up.prior_excess) x *= median_size;
      up.prior_median_excess =
          MedianOverTimingAndSize(up.prior_excess, timing_sd_steps, options.prior.magnitude_log_sd);
      up.prior_spread_excess = SpreadOverTiming(up.prior_excess, timing_sd_steps);
    }
    upcoming.push_back(std::move(up));
  }
  return upcoming;
}

Status ApplyWhatIfs(const ForecastOptions& options, const std::vector<EventRef>& refs,
                    std::vector<Upcoming>& upcoming) {
  for (const WhatIf& what_if : options.what_if) {
    const auto it = std::find_if(upcoming.begin(), upcoming.end(), [&](const Upcoming& up) {
      return refs[up.ref].id == what_if.event_id;
    });
    if (it == upcoming.end()) {
      return InvalidArgument("what_if: event '" + what_if.event_id +
                             "' does not act within the forecast horizon");
    }
    it->what_if = what_if.multiplier;
  }
  return {};
}

Waves GroupWaves(const std::vector<EventRef>& refs, const std::vector<Upcoming>& upcoming,
                 std::chrono::seconds merge_window) {
  Waves waves;
  waves.of.resize(upcoming.size());
  for (std::size_t u = 0, wave = 0, first = 0; u < upcoming.size(); ++u) {
    if (u > 0 && (refs[upcoming[u].ref].event->start - refs[upcoming[first].ref].event->start) >
                     merge_window) {
      ++wave;
      first = u;
    }
    waves.of[u] = wave;
  }
  waves.count = upcoming.empty() ? 0 : waves.of.back() + 1;
  return waves;
}

double ExcessModel::At(const Upcoming& up, std::int64_t i, double b, PriorTiming timing,
                       double* severity) const {
  const EventRef& ref = (*refs_)[up.ref];
  const std::int64_t k = i - ref.curve_index + ctx_->pre;
  if (k < 0 || k > ctx_->pre + ctx_->post) return 0;
  const Group& group = (*groups_)[ref.group];
  const double w = group.prior_weight;
  // No reboot wave starts before its release is out. What a past release's days before it showed
  // is the baseline's error then (an outage, a ring of another month), and from a few releases it
  // would be carried to the next one as if it were part of the wave.
  const bool before_release = IsRebootKind(group.kind) && i < ref.index;
  double learned = 0;
  if (group.curve && !before_release) learned = group.curve->excess[static_cast<std::size_t>(k)];
  double prior = 0;
  const std::vector<double>& wave = timing == PriorTiming::kMedian   ? up.prior_median_excess
                                    : timing == PriorTiming::kSpread ? up.prior_spread_excess
                                                                     : up.prior_excess;
  if (!wave.empty()) {
    prior = wave[static_cast<std::size_t>(k)] * up.daily_volume / std::max(b, ctx_->epsilon);
  }
  const double scale = up.what_if * up.observed_scale;
  if (severity != nullptr) {
    *severity =
        scale * (w * (up.prior_magnitude - 1) * prior + (1 - w) * (up.magnitude - 1) * learned);
  }
  return scale * (w * up.prior_magnitude * prior + (1 - w) * up.magnitude * learned);
}

double ExcessModel::Unscaled(const Upcoming& up, std::int64_t i, double b) const {
  return up.what_if > 0 ? At(up, i, b, PriorTiming::kAtItsHours) / up.what_if : 0.0;
}

// A release's first pass: the install night in every zone of a fleet (from Tokyo's 03:00 to
// Hawaii's, 19 hours apart) and each zone's next working morning. What the zones reached so far
// say about the size is credited by their share of this, not of the whole window, whose later
// ring echoes are other machines on other days.
constexpr std::chrono::hours kFirstPass{36};

void UpdateEventsUnderWay(const Context& ctx, const std::vector<EventRef>& refs, const Waves& waves,
                          const ExcessModel& excess, const date::time_zone& dominant,
                          std::vector<Upcoming>& upcoming) {
  constexpr double kMaxObservedScale = 5;
  const RegularSeries& history = *ctx.history;
  std::vector<std::uint32_t> window_slots;
  std::vector<std::pair<double, double>> ratios;
  std::vector<double> expected;
  const std::int64_t first_pass_steps = kFirstPass / history.step;
  for (std::size_t w = 0; w < waves.count; ++w) {
    std::int64_t lo = std::numeric_limits<std::int64_t>::max();
    std::int64_t hi = std::numeric_limits<std::int64_t>::min();
    std::int64_t first_pass_end = std::numeric_limits<std::int64_t>::min();
    for (std::size_t u = 0; u < upcoming.size(); ++u) {
      if (waves.of[u] != w) continue;
      lo = std::min(lo, refs[upcoming[u].ref].curve_index - ctx.pre);
      hi = std::max(hi, refs[upcoming[u].ref].curve_index + ctx.post);
      first_pass_end =
          std::max(first_pass_end, refs[upcoming[u].ref].curve_index + first_pass_steps);
    }
    lo = std::max<std::int64_t>(lo, 0);
    if (lo >= static_cast<std::int64_t>(ctx.usable) || lo > hi) continue;
    const auto count = static_cast<std::size_t>(hi - lo + 1);
    ComputeWeekSlots(history.start + history.step * lo, history.step, count, dominant,
                     window_slots);
    expected.assign(count, 0);
    double peak = 0;
    double total_mass = 0;
    double observed_mass = 0;
    ratios.clear();
    for (std::size_t k = 0; k < count; ++k) {
      const std::int64_t i = lo + static_cast<std::int64_t>(k);
      const double b = ctx.baseline.At(window_slots[k], history.start + history.step * i);
      for (std::size_t u = 0; u < upcoming.size(); ++u) {
        if (waves.of[u] == w)
          expected[k] = std::max(expected[k], excess.Unscaled(upcoming[u], i, b));
      }
      peak = std::max(peak, std::abs(expected[k]));
      if (i <= first_pass_end) total_mass += std::abs(expected[k]) * b;
    }
    if (peak <= 0 || total_mass <= 0) continue;
    for (std::size_t k = 0; k < count; ++k) {
      const std::int64_t i = lo + static_cast<std::int64_t>(k);
      if (i >= static_cast<std::int64_t>(ctx.usable)) break;
      const double v = history.values[static_cast<std::size_t>(i)];
      const double b = ctx.baseline.At(window_slots[k], history.start + history.step * i);
      if (std::isnan(v) || b <= ctx.epsilon) continue;
      observed_mass += std::abs(expected[k]) * b;
      if (std::abs(expected[k]) < 0.1 * peak) continue;
      double others = 0;
      for (std::size_t ow = 0; ow < waves.count; ++ow) {
        if (ow == w) continue;
        double wave_max = 0;
        for (std::size_t u = 0; u < upcoming.size(); ++u) {
          if (waves.of[u] == ow) {
            wave_max = std::max(wave_max, excess.At(upcoming[u], i, b, PriorTiming::kAtItsHours));
          }
        }
        others += wave_max;
      }
      ratios.emplace_back((v / b - 1 - others) / expected[k], expected[k] * expected[k]);
    }
    const double share = std::min(observed_mass / total_mass, 1.0);
    if (ratios.empty() || share <= 0) continue;
    const double realised = std::clamp(WeightedMedian(ratios), 0.0, kMaxObservedScale);
    for (std::size_t u = 0; u < upcoming.size(); ++u) {
      if (waves.of[u] != w) continue;
      upcoming[u].observed_scale = 1 + share * (realised - 1);
      upcoming[u].observed_share = share;
    }
  }
}

}  // namespace patchcast::forecasting::forecast_steps
