// WeeklyBaseline: the demand a series would show without events — a weekly profile at the series'
// step, in the series' dominant local time, times a linear level (trend) term — and the robust fit
// that estimates it from history outside event windows.
//
// Slots follow local wall-clock time in one zone so that a DST change shifts the whole profile with
// the users' day instead of smearing it over two slots (issue 5, model step 1). Value types and
// pure functions; thread-compatible.
#pragma once

#include <date/tz.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"

namespace patchcast::forecasting {

// Number of `step`-long slots in a week; step must divide a day (ValidateStep). 2016 for 5 min.
std::size_t SlotsPerWeek(std::chrono::seconds step);

// Fills `slots` with the slot of week, in `zone`'s wall-clock time, of each of the `count` steps
// starting at start, start + step, ...: (local weekday, Monday = 0) * slots_per_day + local seconds
// of the day / step. Local times off the grid (zones with :30 offsets at hourly steps) are floored.
// Local time is taken at the middle of each step, so the two steps astride a DST change fall on
// their own sides of it.
void ComputeWeekSlots(std::chrono::sys_seconds start, std::chrono::seconds step, std::size_t count,
                      const date::time_zone& zone, std::vector<std::uint32_t>& slots);

struct BaselineFitOptions {
  // Weeks before the origin whose quiet steps estimate the profile (median per slot). Default 8.
  int profile_weeks = 8;
  // Weeks before the origin whose weekly levels estimate the trend (Theil-Sen). Default 13.
  int trend_weeks = 13;
  // The largest trend the fit extrapolates, as a relative change of level per week. Default 0.1:
  // a Theil-Sen slope over a quarter is noisy, and a forecast a week ahead should not move by more.
  double max_weekly_trend = 0.1;
  // Below one hour, the median of a slot pools its neighbours within +-pool_seconds/2 (default
  // 900 s: three 5-minute slots), so that a handful of quiet weeks still gives a smooth profile.
  std::chrono::seconds pool_seconds{900};
  // How far the level at the origin moves from the trend line's toward the last week's: the
  // median ratio of the last week's quiet steps to the fit, raised to this power. The profile's
  // weeks give the shape, the last week says where the level is now: a level that drifts, its slope
  // changing from month to month, is off a quarter's trend line by a few per cent. Halfway (0.5,
  // the default), as one odd week (a holiday) must not carry the next. 0: the trend line alone.
  double level_anchor = 0.5;
  // A level that moved far within days (a site whose audience doubled in the days before a
  // tournament): when the quiet steps of each of the last two days sit at least shift_ratio times
  // above the fit, and six of the last week's seven days' steps are quiet, the level is the lower
  // of those two days' (median ratios). Two days, so that one odd day does not move it; a quiet
  // week, as a rise in an event's wake is its aftermath, which the event's learned response
  // already carries against the level it was measured on. Rises only: two low days are more often
  // holidays than a new level, and a plan that followed them down would under-provision. Default
  // 1.5; 0 disables it.
  double shift_ratio = 1.5;
  // Estimates only every slot_stride-th slot and fills the others from their neighbours. Default 1
  // (every slot); the forecast's rolling-origin residual fits use a coarser stride, as a sample of
  // residuals serves them as well as all of them.
  std::size_t slot_stride = 1;
  // Per slot of the week: 1 where the slot is the weekend, for filling a slot without data from the
  // other days of its kind. Empty (or not a week of slots): Saturday and Sunday on the profile's
  // clock. ForecastDemand sets it from its zone mix, whatever it is given (WeekendSlots,
  // forecast_layout.h).
  std::vector<std::uint8_t> weekend_slots;
};

// The fitted baseline. baseline(t) = profile[slot(t)] * Level(t).
struct WeeklyBaseline {
  std::chrono::seconds step{3600};
  std::chrono::sys_seconds origin{};  // the level reference: Level(origin) == 1
  std::vector<double> profile;        // per slot of week, at the level of `origin`
  double weekly_trend = 0;            // relative change of level per week
  std::size_t missing_slots = 0;  // slots with no quiet data, filled from other days or neighbours

  // Returns 1 + weekly_trend * (t - origin) in weeks, floored at 0.2 (a falling trend is never
  // extrapolated to zero).
  double Level(std::chrono::sys_seconds t) const;
  double At(std::uint32_t slot, std::chrono::sys_seconds t) const {
    return profile[slot] * Level(t);
  }
};

// Fits the baseline on values[0, end) of a series starting at `start` with `step`, using only
// steps with quiet[i] != 0 and a finite value; slots[i] is step i's slot (ComputeWeekSlots).
// Method: profile0 = median per slot over the last profile_weeks weeks; weekly levels = median of
// value / profile0 per week over the last trend_weeks weeks; trend = Theil-Sen slope of the levels
// over their intercept at the origin (clamped); profile = median per slot of value / trend level,
// times the last week's median ratio to it raised to level_anchor (when half a week of the last
// week's steps are quiet and known, and the quiet steps were enough for the profile), then moved
// to the last two days' level when the series rose far above it (shift_ratio).
// Slots without data take the median of the same time of day on the other days of their kind
// (weekdays, or the weekend, as options.weekend_slots says); those still without take the mean of
// their nearest filled neighbours (circularly).
// Errors (kUnprocessable): end covers less than a week ("history before as_of covers 2.5 days; at
// least 7 days are needed for the weekly profile"); more than half the slots have no data even when
// event windows are used too ("the weekly profile has data for 40 of 168 slots ...").
Result<WeeklyBaseline> FitWeeklyBaseline(std::span<const double> values,
                                         std::span<const std::uint32_t> slots,
                                         std::span<const std::uint8_t> quiet,
                                         std::chrono::sys_seconds start, std::chrono::seconds step,
                                         std::size_t end, const BaselineFitOptions& options);

// A past event's level (`level`: its median ratio to baseline's profile over the weeks before it),
// moved as BaselineFitOptions::shift_ratio moves a fit's level at its origin: when the quiet steps
// of each of the two days before `end` (the event's window) sit at least min_ratio times above it,
// and six of the seven days before `end` are quiet, the lower of those two days' levels. So an
// event after a rise within days is measured against the level a forecast made just before it
// would have used, not against the weeks before the rise. `level` itself otherwise (and when
// min_ratio is 0, or fewer than seven days precede `end`).
double LevelAfterRiseWithinDays(std::span<const double> values,
                                std::span<const std::uint32_t> slots,
                                std::span<const std::uint8_t> quiet, const WeeklyBaseline& baseline,
                                std::size_t end, double level, double min_ratio);

// Returns the median of values[i] / profile[slots[i]] over i in [from, to) with quiet[i] != 0 (or
// quiet empty), a finite value and a positive profile: the series' level there relative to
// `baseline`'s profile. Long spans are sampled evenly down to about kLevelSamples steps: the median
// of 600 ratios pins a level to well under 1 %, and levels are taken per week at 5-minute steps.
// Returns NaN when fewer than min(min_count, samples available) steps qualify. `scratch` is reused
// storage.
inline constexpr std::size_t kLevelSamples = 600;
double MedianLevel(std::span<const double> values, std::span<const std::uint32_t> slots,
                   std::span<const std::uint8_t> quiet, const WeeklyBaseline& baseline,
                   std::size_t from, std::size_t to, std::size_t min_count,
                   std::vector<double>& scratch);

}  // namespace patchcast::forecasting
