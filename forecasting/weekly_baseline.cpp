#include "forecasting/weekly_baseline.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "calendars/zone.h"
#include "forecasting/robust_stats.h"

namespace patchcast::forecasting {
namespace {

constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr std::int64_t kSecondsPerWeek = 7 * kSecondsPerDay;

std::string FormatDays(double days) {
  const double rounded = std::round(days * 10) / 10;
  std::string text = std::to_string(rounded);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text + (rounded == 1 ? " day" : " days");
}

// Fills NaN entries of `profile` with the mean of the nearest filled slot on each side
// (circularly). Returns the number of slots filled. Precondition: at least one slot is filled.
std::size_t FillMissingSlots(std::vector<double>& profile) {
  const std::size_t n = profile.size();
  std::vector<double> filled = profile;
  std::size_t missing = 0;
  for (std::size_t s = 0; s < n; ++s) {
    if (!std::isnan(profile[s])) continue;
    ++missing;
    double left = std::numeric_limits<double>::quiet_NaN();
    double right = left;
    for (std::size_t d = 1; d < n && (std::isnan(left) || std::isnan(right)); ++d) {
      if (std::isnan(left)) left = profile[(s + n - d) % n];
      if (std::isnan(right)) right = profile[(s + d) % n];
    }
    filled[s] = 0.5 * (left + right);
  }
  profile = std::move(filled);
  return missing;
}

// Fills each estimated slot (every stride-th) that has no data with the median of the same time of
// day on the other days of its kind (weekdays, or the weekend: `weekend_slots` says which, else
// Saturday and Sunday), and returns how many it filled. A day-long hole (a short history whose
// only week of that day lies in an event window) then keeps a day's shape, where the neighbours'
// mean (FillMissingSlots) would draw a flat line across it. The days are not scaled to each other:
// in a mix of zones, the part of a day that has data can be another zone's weekend, and its ratio
// would misstate the rest of the day.
std::size_t FillFromOtherDays(std::vector<double>& profile, std::size_t stride,
                              std::span<const std::uint8_t> weekend_slots) {
  constexpr std::size_t kDays = 7;
  const std::size_t slots_per_day = profile.size() / kDays;
  const auto weekend = [&](std::size_t slot) {
    if (weekend_slots.size() == profile.size()) return weekend_slots[slot] != 0;
    return slot / slots_per_day >= 5;  // Monday is day 0
  };
  std::vector<double> filled = profile;
  std::vector<double> candidates;
  std::size_t count = 0;
  for (std::size_t s = 0; s < profile.size(); s += stride) {
    if (!std::isnan(profile[s])) continue;
    const std::size_t day = s / slots_per_day;
    const std::size_t time = s % slots_per_day;
    candidates.clear();
    for (std::size_t other = 0; other < kDays; ++other) {
      const std::size_t theirs = other * slots_per_day + time;
      if (other == day || weekend(theirs) != weekend(s) || std::isnan(profile[theirs])) continue;
      candidates.push_back(profile[theirs]);
    }
    if (candidates.empty()) continue;
    filled[s] = MedianInPlace(candidates);
    ++count;
  }
  profile = std::move(filled);
  return count;
}

// The median of values[i] / expected(i) over the quiet, known steps of [from, to) with a positive
// expectation; NaN when fewer than half of `span` steps count.
template <typename Expected>
double QuietRatio(std::span<const double> values, std::span<const std::uint8_t> quiet,
                  std::size_t from, std::size_t to, std::size_t span, Expected expected) {
  std::vector<double> ratios;
  for (std::size_t i = from; i < to; ++i) {
    if (std::isnan(values[i]) || quiet[i] == 0) continue;
    const double e = expected(i);
    if (e > 0) ratios.push_back(values[i] / e);
  }
  if (2 * ratios.size() < span) return std::numeric_limits<double>::quiet_NaN();
  return MedianInPlace(ratios);
}

// The median ratio to `fit` of the quiet, known steps of values[from, to); NaN when fewer than
// half of `span` steps count.
double QuietRatioToFit(std::span<const double> values, std::span<const std::uint32_t> slots,
                       std::span<const std::uint8_t> quiet, std::chrono::sys_seconds start,
                       std::chrono::seconds step, std::size_t from, std::size_t to,
                       std::size_t span, const WeeklyBaseline& fit) {
  return QuietRatio(values, quiet, from, to, span, [&](std::size_t i) {
    return fit.At(slots[i], start + step * static_cast<std::int64_t>(i));
  });
}

// BaselineFitOptions::shift_ratio's rule: the factor that moves a level to where the last days
// before `end` put it, from day_ratio(1) and day_ratio(2), the median ratios of the last day's and
// the day before's quiet steps to that level (NaN when too few count): the lower of the two, when
// both are at least `min_ratio` and six of the last seven days' steps are quiet; 1 otherwise.
template <typename DayRatio>
double RiseWithinDays(std::span<const std::uint8_t> quiet, std::size_t end, std::size_t day,
                      double min_ratio, DayRatio day_ratio) {
  if (end < 7 * day) return 1;
  // NaN compares false: a day with too few quiet steps says nothing, and nothing moves. The last
  // day first, as most fits end there.
  const double last_day = day_ratio(1);
  if (!(last_day >= min_ratio)) return 1;
  const double day_before = day_ratio(2);
  if (!(day_before >= min_ratio)) return 1;
  const auto week_quiet = static_cast<std::size_t>(std::count_if(
      quiet.begin() + static_cast<std::ptrdiff_t>(end - 7 * day),
      quiet.begin() + static_cast<std::ptrdiff_t>(end), [](std::uint8_t q) { return q != 0; }));
  if (week_quiet < 6 * day) return 1;
  return std::min(last_day, day_before);
}

// The factor that moves `fit`'s level at its origin (values[end]) toward the last week's: the
// median ratio of the week's quiet, known steps to the fit, raised to `anchor`; 1 when under half
// the week's steps count.
double LastWeekAnchor(std::span<const double> values, std::span<const std::uint32_t> slots,
                      std::span<const std::uint8_t> quiet, std::chrono::sys_seconds start,
                      std::chrono::seconds step, std::size_t end, const WeeklyBaseline& fit,
                      double anchor) {
  const std::size_t week = SlotsPerWeek(step);
  const double ratio = QuietRatioToFit(values, slots, quiet, start, step,
                                       end > week ? end - week : 0, end, week, fit);
  return std::isnan(ratio) ? 1 : std::pow(ratio, anchor);
}

// The factor that moves `fit`'s level to where the last days put it when the series has risen
// far above it (BaselineFitOptions::shift_ratio; RiseWithinDays).
double ShiftWithinDays(std::span<const double> values, std::span<const std::uint32_t> slots,
                       std::span<const std::uint8_t> quiet, std::chrono::sys_seconds start,
                       std::chrono::seconds step, std::size_t end, const WeeklyBaseline& fit,
                       double min_ratio) {
  const std::size_t day = SlotsPerWeek(step) / 7;
  return RiseWithinDays(quiet, end, day, min_ratio, [&](std::size_t days_back) {
    const std::size_t to = end - (days_back - 1) * day;
    return QuietRatioToFit(values, slots, quiet, start, step, to - day, to, day, fit);
  });
}

// Median per slot of the quiet (when use_quiet), finite values of [from, end), pooling +-radius
// neighbouring slots, for every stride-th slot. Other slots, and slots without data, are NaN.
std::vector<double> SlotMedians(std::span<const double> values,
                                std::span<const std::uint32_t> slots,
                                std::span<const std::uint8_t> quiet, std::size_t from,
                                std::size_t end, std::size_t slot_count, std::size_t capacity,
                                std::size_t radius, std::size_t stride, bool use_quiet) {
  // Slot-major buffer: capacity values per slot (a slot recurs once a week, twice in a fall-back
  // week), so gathering allocates once.
  std::vector<double> buffer(slot_count * capacity);
  std::vector<std::uint32_t> counts(slot_count, 0);
  for (std::size_t i = from; i < end; ++i) {
    const double value = values[i];
    if (std::isnan(value) || (use_quiet && quiet[i] == 0)) continue;
    const std::uint32_t slot = slots[i];
    if (stride > 1 && (slot + radius) % stride > 2 * radius) continue;  // not pooled by a kept slot
    if (counts[slot] < capacity) buffer[slot * capacity + counts[slot]++] = value;
  }
  std::vector<double> medians(slot_count, std::numeric_limits<double>::quiet_NaN());
  std::vector<double> pooled;
  pooled.reserve(capacity * (2 * radius + 1));
  for (std::size_t s = 0; s < slot_count; s += stride) {
    pooled.clear();
    for (std::size_t d = 0; d <= 2 * radius; ++d) {
      const std::size_t t = (s + slot_count + d - radius) % slot_count;
      const double* first = buffer.data() + t * capacity;
      pooled.insert(pooled.end(), first, first + counts[t]);
    }
    if (!pooled.empty()) medians[s] = MedianInPlace(pooled);
  }
  return medians;
}

}  // namespace

std::size_t SlotsPerWeek(std::chrono::seconds step) {
  return static_cast<std::size_t>(kSecondsPerWeek / step.count());
}

void ComputeWeekSlots(std::chrono::sys_seconds start, std::chrono::seconds step, std::size_t count,
                      const date::time_zone& zone, std::vector<std::uint32_t>& slots) {
  slots.resize(count);
  calendars::ZoneConverter converter(zone);
  const std::int64_t step_seconds = step.count();
  const std::int64_t slots_per_day = kSecondsPerDay / step_seconds;
  const std::chrono::seconds half_step{step_seconds / 2};
  // The UTC offset changes a few times a year: convert once, then reuse the offset while the
  // converter would give the same answer (checked once an hour of series time).
  std::int64_t offset = 0;
  std::int64_t next_check = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i = 0; i < count; ++i) {
    const std::int64_t utc =
        (start + step * static_cast<std::int64_t>(i) + half_step).time_since_epoch().count();
    if (utc >= next_check) {
      const std::chrono::sys_seconds instant{std::chrono::seconds{utc}};
      offset = (converter.ToLocal(instant).time_since_epoch() - instant.time_since_epoch()).count();
      next_check = utc - (utc % 3600 + 3600) % 3600 + 3600;
    }
    const std::int64_t local = utc + offset;
    // Floor division: days since 1970-01-01 (a Thursday, weekday 3 counting Monday as 0).
    const std::int64_t day = (local >= 0 ? local : local - kSecondsPerDay + 1) / kSecondsPerDay;
    const std::int64_t second_of_day = local - day * kSecondsPerDay;
    const std::int64_t weekday = ((day + 3) % 7 + 7) % 7;
    slots[i] = static_cast<std::uint32_t>(weekday * slots_per_day + second_of_day / step_seconds);
  }
}

double WeeklyBaseline::Level(std::chrono::sys_seconds t) const {
  const double weeks =
      std::chrono::duration<double>(t - origin).count() / static_cast<double>(kSecondsPerWeek);
  return std::max(0.2, 1.0 + weekly_trend * weeks);
}

Result<WeeklyBaseline> FitWeeklyBaseline(std::span<const double> values,
                                         std::span<const std::uint32_t> slots,
                                         std::span<const std::uint8_t> quiet,
                                         std::chrono::sys_seconds start, std::chrono::seconds step,
                                         std::size_t end, const BaselineFitOptions& options) {
  const std::size_t slot_count = SlotsPerWeek(step);
  const std::size_t per_week = slot_count;  // steps per week
  if (end < per_week) {
    const double days = static_cast<double>(end) * static_cast<double>(step.count()) /
                        static_cast<double>(kSecondsPerDay);
    return Unprocessable("history before as_of covers " + FormatDays(days) +
                         "; at least 7 days are needed for the weekly profile");
  }
  WeeklyBaseline fit;
  fit.step = step;
  fit.origin = start + step * static_cast<std::int64_t>(end);

  const auto weeks_back = [&](int weeks) {
    const std::size_t span = per_week * static_cast<std::size_t>(std::max(weeks, 1));
    return end > span ? end - span : std::size_t{0};
  };
  const std::size_t profile_from = weeks_back(options.profile_weeks);
  const std::size_t capacity = static_cast<std::size_t>(std::max(options.profile_weeks, 1)) + 2;
  const std::size_t radius =
      step < std::chrono::hours{1}
          ? static_cast<std::size_t>(options.pool_seconds.count() / step.count() / 2)
          : 0;
  const std::size_t stride = std::max<std::size_t>(options.slot_stride, 1);

  // Quiet steps of the window first; if event windows leave too little, all steps of the window,
  // then all quiet steps of the whole history.
  bool use_quiet = true;
  std::size_t from = profile_from;
  std::vector<double> profile0 =
      SlotMedians(values, slots, quiet, from, end, slot_count, capacity, radius, stride, use_quiet);
  const auto filled = [](const std::vector<double>& p) {
    return static_cast<std::size_t>(
        std::count_if(p.begin(), p.end(), [](double v) { return !std::isnan(v); }));
  };
  const std::size_t estimated = (slot_count + stride - 1) / stride;
  if (filled(profile0) * 2 < estimated) {
    use_quiet = false;
    profile0 = SlotMedians(values, slots, quiet, from, end, slot_count, capacity, radius, stride,
                           use_quiet);
  }
  if (filled(profile0) * 2 < estimated) {
    return Unprocessable("the weekly profile has data for " + std::to_string(filled(profile0)) +
                         " of " + std::to_string(slot_count) + " slots in the " +
                         std::to_string(options.profile_weeks) +
                         " weeks before as_of; at least half are needed (fill the gaps or move "
                         "as_of later)");
  }
  fit.missing_slots = FillFromOtherDays(profile0, stride, options.weekend_slots);
  fit.missing_slots += FillMissingSlots(profile0);

  // Weekly levels relative to profile0, newest week first; x = week centre in weeks (negative).
  std::vector<double> xs;
  std::vector<double> levels;
  std::vector<double> scratch;
  WeeklyBaseline probe;
  probe.step = step;
  probe.profile = profile0;
  for (int w = 0; w < options.trend_weeks; ++w) {
    const std::size_t to = end - per_week * static_cast<std::size_t>(w);
    if (to < per_week) break;
    const std::size_t week_from = to - per_week;
    const double level =
        MedianLevel(values, slots, use_quiet ? quiet : std::span<const std::uint8_t>{}, probe,
                    week_from, to, per_week / 7, scratch);
    if (std::isnan(level)) continue;
    xs.push_back(-(w + 0.5));
    levels.push_back(level);
  }
  if (xs.size() >= 3) {
    const double slope = TheilSenSlope(xs, levels);
    std::vector<double> intercepts(levels.size());
    for (std::size_t i = 0; i < levels.size(); ++i) intercepts[i] = levels[i] - slope * xs[i];
    const double intercept = MedianInPlace(intercepts);
    if (intercept > 0) {
      fit.weekly_trend =
          std::clamp(slope / intercept, -options.max_weekly_trend, options.max_weekly_trend);
    }
  }

  // The profile at the origin's level. The trend moves the level by at most a few per cent
  // across the profile window, so dividing the slot medians by the level at the window's centre
  // equals the median of the detrended values up to second-order terms, at half the cost.
  const std::chrono::sys_seconds centre =
      start + step * static_cast<std::int64_t>(from + (end - from) / 2);
  const double centre_level = fit.Level(centre);
  fit.profile = std::move(profile0);
  for (double& p : fit.profile) p /= centre_level;
  if (use_quiet && options.level_anchor > 0) {
    const double anchor =
        LastWeekAnchor(values, slots, quiet, start, step, end, fit, options.level_anchor);
    for (double& p : fit.profile) p *= anchor;
  }
  if (use_quiet && options.shift_ratio > 0) {
    const double shift =
        ShiftWithinDays(values, slots, quiet, start, step, end, fit, options.shift_ratio);
    for (double& p : fit.profile) p *= shift;
  }
  return fit;
}

double LevelAfterRiseWithinDays(std::span<const double> values,
                                std::span<const std::uint32_t> slots,
                                std::span<const std::uint8_t> quiet, const WeeklyBaseline& baseline,
                                std::size_t end, double level, double min_ratio) {
  if (!(level > 0) || min_ratio <= 0 || end > values.size()) return level;
  const std::size_t day = SlotsPerWeek(baseline.step) / 7;
  return level * RiseWithinDays(quiet, end, day, min_ratio, [&](std::size_t days_back) {
           const std::size_t to = end - (days_back - 1) * day;
           return QuietRatio(values, quiet, to - day, to, day,
                             [&](std::size_t i) { return baseline.profile[slots[i]] * level; });
         });
}

double MedianLevel(std::span<const double> values, std::span<const std::uint32_t> slots,
                   std::span<const std::uint8_t> quiet, const WeeklyBaseline& baseline,
                   std::size_t from, std::size_t to, std::size_t min_count,
                   std::vector<double>& scratch) {
  scratch.clear();
  const std::size_t stride = to > from ? std::max<std::size_t>(1, (to - from) / kLevelSamples) : 1;
  min_count = std::min(min_count, to > from ? (to - from) / stride : 0);
  for (std::size_t i = from; i < to; i += stride) {
    const double value = values[i];
    if (std::isnan(value) || (!quiet.empty() && quiet[i] == 0)) continue;
    const double expected = baseline.profile[slots[i]];
    if (expected > 0) scratch.push_back(value / expected);
  }
  if (scratch.size() < std::max<std::size_t>(min_count, 1)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return MedianInPlace(scratch);
}

}  // namespace patchcast::forecasting
