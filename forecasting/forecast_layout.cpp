#include "forecasting/forecast_layout.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <utility>

#include "calendars/zone.h"
#include "forecasting/clock_offsets.h"
#include "forecasting/robust_stats.h"

namespace patchcast::forecasting::forecast_steps {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

// Quiet steps older than this, with none since, no longer describe the series.
constexpr std::int64_t kStaleQuietDays = 14;

// Clock sets from this number on share it, and the baseline of today's clocks.
constexpr std::size_t kLastClockSet = 255;

// A quarter-hour below this share of the same time on the days either side is an outage
// (MarkQuietSteps): logins fall to a few per cent while a service is down. A weekend day has a
// weekend day beside it; a holiday as low as that is as unlike the usual week as an outage.
constexpr double kOutageShare = 0.3;

std::string FormatUtc(sys_seconds t) { return date::format("%FT%TZ", t); }

// The share of the users awake at `t` (07:00 to 23:00 on their clock) who are on their weekend;
// of all users when none is awake.
double WeekendShare(sys_seconds t, const std::vector<ZoneWeight>& zones,
                    std::vector<calendars::ZoneConverter>& clocks) {
  constexpr std::int64_t kWakes = 7 * 3600;
  constexpr std::int64_t kSleeps = 23 * 3600;
  double awake = 0;
  double awake_on_weekend = 0;
  double all = 0;
  double all_on_weekend = 0;
  for (std::size_t z = 0; z < zones.size(); ++z) {
    const date::local_seconds local = clocks[z].ToLocal(t);
    const date::local_days day = date::floor<date::days>(local);
    const std::int64_t second_of_day = (local - day).count();
    const double on_weekend = date::weekday{day}.iso_encoding() >= 6 ? zones[z].share : 0;
    all += zones[z].share;
    all_on_weekend += on_weekend;
    if (second_of_day < kWakes || second_of_day >= kSleeps) continue;
    awake += zones[z].share;
    awake_on_weekend += on_weekend;
  }
  if (awake > 0) return awake_on_weekend / awake;
  return all > 0 ? all_on_weekend / all : 0;
}

// The mean of the known values of each block of `width` steps (a quarter-hour), NaN where none is
// known; the last block may be shorter.
std::vector<double> BlockMeans(std::span<const double> values, std::size_t width) {
  std::vector<double> means((values.size() + width - 1) / width, kNaN);
  for (std::size_t b = 0; b < means.size(); ++b) {
    double sum = 0;
    std::size_t known = 0;
    const std::size_t end = std::min(values.size(), (b + 1) * width);
    for (std::size_t i = b * width; i < end; ++i) {
      if (std::isnan(values[i])) continue;
      sum += values[i];
      ++known;
    }
    if (known > 0) means[b] = sum / static_cast<double>(known);
  }
  return means;
}

// Marks not quiet the steps of an outage (MarkQuietSteps), judged on quarter-hours so that a
// minute's counting noise is not one.
void LeaveOutOutages(Context& ctx) {
  const std::span<const double> values(ctx.history->values.data(), ctx.usable);
  const auto steps_per_day = static_cast<std::size_t>(kSecondsPerDay / ctx.step_seconds);
  // Blocks of at most a quarter-hour that tile a day, so that block b - day is the same time.
  auto width = static_cast<std::size_t>(std::max<std::int64_t>(1, 900 / ctx.step_seconds));
  while (steps_per_day % width != 0) --width;
  const std::size_t day = steps_per_day / width;
  const std::vector<double> means = BlockMeans(values, width);
  for (std::size_t b = 0; b < means.size(); ++b) {
    const double before = b >= day ? means[b - day] : kNaN;
    const double after = b + day < means.size() ? means[b + day] : kNaN;
    // fmin takes the known one of the two; NaN when neither is known, and no comparison holds.
    if (!(means[b] < kOutageShare * std::fmin(before, after))) continue;
    const std::size_t end = std::min(values.size(), (b + 1) * width);
    for (std::size_t i = b * width; i < end; ++i) ctx.quiet[i] = 0;
  }
}

}  // namespace

Status Validate(const RegularSeries& history, const ForecastOptions& options) {
  const std::int64_t step = history.step.count();
  if (step <= 0 || step > kSecondsPerDay || kSecondsPerDay % step != 0) {
    return InvalidArgument("the series' step of " + std::to_string(step) +
                           " s does not divide a day (86400 s) evenly");
  }
  for (double q : options.quantiles) {
    if (!(q > 0 && q < 1)) {
      return InvalidArgument("quantile " + std::to_string(q) + " is not between 0 and 1");
    }
  }
  if (options.horizon <= seconds{0} || options.horizon > seconds{366 * kSecondsPerDay}) {
    return InvalidArgument("horizon must be more than 0 and at most 366 days, not " +
                           std::to_string(options.horizon.count()) + " s");
  }
  if (options.window_before < seconds{0} || options.window_after < seconds{0}) {
    return InvalidArgument("event windows must not be negative");
  }
  for (const WhatIf& what_if : options.what_if) {
    if (!(what_if.multiplier >= 0) || !std::isfinite(what_if.multiplier)) {
      return InvalidArgument("what_if: multiplier for event '" + what_if.event_id +
                             "' must be a finite number >= 0");
    }
  }
  return {};
}

Result<ZonePlan> ResolveZones(const std::vector<ZoneShare>& zone_mix) {
  ZonePlan plan;
  double dominant_share = -1;
  for (std::size_t i = 0; i < zone_mix.size(); ++i) {
    Result<const date::time_zone*> zone = calendars::LocateZone(zone_mix[i].timezone);
    if (!zone) {
      return InvalidArgument("zone_mix[" + std::to_string(i) + "]: " + zone.error().message);
    }
    plan.zones.push_back({*zone, zone_mix[i].share});
    if (zone_mix[i].share > dominant_share) {
      dominant_share = zone_mix[i].share;
      plan.dominant = *zone;
    }
  }
  if (plan.dominant == nullptr) {
    Result<const date::time_zone*> utc = calendars::LocateZone("UTC");
    if (!utc) return Internal("the tz database has no UTC zone");
    plan.dominant = *utc;
    plan.zones.push_back({plan.dominant, 1.0});
  }
  return plan;
}

Result<Grid> LayOutGrid(Context& ctx, const date::time_zone& dominant) {
  const RegularSeries& history = *ctx.history;
  const ForecastOptions& options = *ctx.options;
  Grid grid;
  grid.as_of = options.as_of.value_or(history.end());
  const std::int64_t since_start = (grid.as_of - history.start).count();
  ctx.usable = static_cast<std::size_t>(std::clamp<std::int64_t>(
      FloorDiv(since_start, ctx.step_seconds), 0, static_cast<std::int64_t>(history.size())));
  const bool any_data = std::any_of(
      history.values.begin(), history.values.begin() + static_cast<std::ptrdiff_t>(ctx.usable),
      [](double v) { return !std::isnan(v); });
  if (!any_data) {
    return Unprocessable("the history has no data before as_of " + FormatUtc(grid.as_of));
  }
  grid.first_step = CeilDiv(since_start, ctx.step_seconds);
  grid.horizon_steps = static_cast<std::size_t>(CeilDiv(options.horizon.count(), ctx.step_seconds));
  ctx.pre = CeilDiv(options.window_before.count(), ctx.step_seconds);
  ctx.post = FloorDiv(options.window_after.count(), ctx.step_seconds);
  ComputeWeekSlots(history.start, history.step, ctx.usable, dominant, ctx.slots);
  ComputeWeekSlots(history.start + history.step * grid.first_step, history.step, grid.horizon_steps,
                   dominant, grid.slots);
  return grid;
}

std::vector<std::uint8_t> WeekendSlots(const Context& ctx, const ZonePlan& zones) {
  const std::size_t week = SlotsPerWeek(ctx.history->step);
  const std::size_t per_day = week / 7;
  std::vector<std::uint8_t> weekend(week);
  for (std::size_t s = 0; s < week; ++s) weekend[s] = s / per_day >= 5 ? 1 : 0;
  std::vector<calendars::ZoneConverter> clocks;
  for (const ZoneWeight& zone : zones.zones) clocks.emplace_back(*zone.zone);
  const seconds half_step{ctx.step_seconds / 2};
  for (std::size_t i = ctx.usable > week ? ctx.usable - week : 0; i < ctx.usable; ++i) {
    const double share = WeekendShare(ctx.history->TimeAt(i) + half_step, zones.zones, clocks);
    weekend[ctx.slots[i]] = share >= 0.5 ? 1 : 0;
  }
  return weekend;
}

std::vector<EventRef> IndexEvents(const RegularSeries& history,
                                  std::span<const calendars::Event> events,
                                  std::int64_t step_seconds) {
  std::vector<EventRef> refs;
  refs.reserve(events.size());
  for (const calendars::Event& event : events) {
    EventRef ref;
    ref.event = &event;
    ref.id = event.Id();
    ref.index = FloorDiv((event.start - history.start).count(), step_seconds);
    ref.curve_index = ref.index;
    refs.push_back(std::move(ref));
  }
  std::stable_sort(refs.begin(), refs.end(),
                   [](const EventRef& a, const EventRef& b) { return a.id < b.id; });
  refs.erase(std::unique(refs.begin(), refs.end(),
                         [](const EventRef& a, const EventRef& b) { return a.id == b.id; }),
             refs.end());
  std::sort(refs.begin(), refs.end(), [](const EventRef& a, const EventRef& b) {
    return a.event->start != b.event->start ? a.event->start < b.event->start : a.id < b.id;
  });
  return refs;
}

void MarkEventWeekends(std::vector<EventRef>& refs, const Context& ctx,
                       const date::time_zone& dominant) {
  const RegularSeries& history = *ctx.history;
  std::vector<std::uint32_t> slot;
  for (EventRef& ref : refs) {
    ComputeWeekSlots(history.TimeAt(0) + history.step * ref.index, history.step, 1, dominant, slot);
    ref.weekend = ctx.weekend_slots[slot[0]] != 0;
  }
}

void AlignReleasesOnLocalNights(std::vector<EventRef>& refs, const date::time_zone& dominant,
                                std::int64_t step_seconds) {
  constexpr std::int64_t kMaxShiftSeconds = 3 * 3600;
  calendars::ZoneConverter clock(dominant);
  const auto time_of_day = [&](const EventRef& ref) {
    const date::local_seconds local = clock.ToLocal(ref.event->start);
    return (local - date::floor<date::days>(local)).count();
  };
  std::map<std::pair<std::string, std::int64_t>, int> count_by_group_time;
  for (const EventRef& ref : refs) {
    if (ref.event->kind != calendars::EventKind::kRelease) continue;
    ++count_by_group_time[{ref.event->calendar_id, time_of_day(ref)}];
  }
  std::map<std::string, std::pair<int, std::int64_t>> usual;  // calendar -> (count, time of day)
  for (const auto& [key, count] : count_by_group_time) {
    auto& best = usual[key.first];
    if (count > best.first) best = {count, key.second};
  }
  for (EventRef& ref : refs) {
    if (ref.event->kind != calendars::EventKind::kRelease) continue;
    std::int64_t difference = usual[ref.event->calendar_id].second - time_of_day(ref);
    if (difference >= 12 * 3600) difference -= 24 * 3600;
    if (difference < -12 * 3600) difference += 24 * 3600;
    if (std::abs(difference) > kMaxShiftSeconds) continue;
    ref.curve_index =
        ref.index + static_cast<std::int64_t>(std::llround(static_cast<double>(difference) /
                                                           static_cast<double>(step_seconds)));
  }
}

void MarkQuietSteps(Context& ctx, const std::vector<EventRef>& refs) {
  const RegularSeries& history = *ctx.history;
  ctx.quiet.assign(ctx.usable, 1);
  for (const EventRef& ref : refs) {
    const std::int64_t from = std::max<std::int64_t>(ref.index - ctx.pre, 0);
    const std::int64_t to =
        std::min<std::int64_t>(ref.index + ctx.post + 1, static_cast<std::int64_t>(ctx.usable));
    for (std::int64_t i = from; i < to; ++i) ctx.quiet[static_cast<std::size_t>(i)] = 0;
  }
  std::size_t last_quiet = ctx.usable;
  for (std::size_t i = ctx.usable; i-- > 0;) {
    if (ctx.quiet[i] != 0 && !std::isnan(history.values[i])) {
      last_quiet = i;
      break;
    }
  }
  const auto stale = static_cast<std::size_t>(kStaleQuietDays * kSecondsPerDay / ctx.step_seconds);
  ctx.every_step_counts = last_quiet == ctx.usable || ctx.usable - last_quiet > stale;
  if (ctx.every_step_counts) std::fill(ctx.quiet.begin(), ctx.quiet.end(), std::uint8_t{1});
  LeaveOutOutages(ctx);
}

void MarkClockSets(Context& ctx, const ZonePlan& zones, const Grid& grid) {
  ctx.clock_set.clear();
  if (zones.zones.size() < 2) return;
  const RegularSeries& history = *ctx.history;
  std::vector<std::vector<std::int64_t>> sets = {ClockOffsets(zones.zones).At(grid.as_of)};
  std::vector<std::uint8_t> marked(ctx.usable, kTodaysClocks);
  ClockOffsets offsets(zones.zones);
  // The offsets change a few times a year: look them up once per run of steps that shares them.
  for (std::size_t i = 0; i < ctx.usable;) {
    const std::vector<std::int64_t>& at = offsets.At(history.TimeAt(i));
    const auto current =
        static_cast<std::size_t>(std::find(sets.begin(), sets.end(), at) - sets.begin());
    if (current == sets.size()) sets.push_back(at);
    const auto set = static_cast<std::uint8_t>(std::min<std::size_t>(current, kLastClockSet));
    const sys_seconds held_until = offsets.HeldUntil();
    do {
      marked[i++] = set;
    } while (i < ctx.usable && history.TimeAt(i) < held_until);
  }
  if (sets.size() > 1) ctx.clock_set = std::move(marked);
}

namespace {

// How many quiet steps of clock set `set` with data lie in the profile window that ends at `end`.
std::size_t QuietOfSetInProfileWindow(const Context& ctx, std::uint8_t set, std::size_t end) {
  const RegularSeries& history = *ctx.history;
  const std::size_t window =
      SlotsPerWeek(history.step) *
      static_cast<std::size_t>(std::max(ctx.options->baseline.profile_weeks, 1));
  std::size_t count = 0;
  for (std::size_t i = end > window ? end - window : 0; i < end; ++i) {
    count += ctx.quiet[i] != 0 && ctx.clock_set[i] == set && !std::isnan(history.values[i]) ? 1 : 0;
  }
  return count;
}

// ctx.quiet with every step of another clock set than `set` left out.
std::vector<std::uint8_t> QuietMaskOfSet(const Context& ctx, std::uint8_t set) {
  std::vector<std::uint8_t> mask = ctx.quiet;
  for (std::size_t i = 0; i < ctx.usable; ++i) {
    if (ctx.clock_set[i] != set) mask[i] = 0;
  }
  return mask;
}

}  // namespace

bool ProfileOnTodaysClocks(const Context& ctx) {
  return ctx.clock_set.empty() || QuietOfSetInProfileWindow(ctx, kTodaysClocks, ctx.usable) >=
                                      SlotsPerWeek(ctx.history->step);
}

std::vector<std::uint8_t> QuietStepsOnTodaysClocks(const Context& ctx) {
  if (ctx.clock_set.empty() || !ProfileOnTodaysClocks(ctx)) return ctx.quiet;
  return QuietMaskOfSet(ctx, kTodaysClocks);
}

void FitOtherClockBaselines(Context& ctx) {
  ctx.clock_baselines.clear();
  if (ctx.clock_set.empty()) return;
  const RegularSeries& history = *ctx.history;
  const std::span<const double> values(history.values.data(), ctx.usable);
  const std::size_t per_week = SlotsPerWeek(history.step);
  const std::uint8_t sets = *std::max_element(ctx.clock_set.begin(), ctx.clock_set.end());
  ctx.clock_baselines.resize(static_cast<std::size_t>(sets) + 1);
  for (std::uint8_t set = 1; set <= sets && set < kLastClockSet; ++set) {
    std::size_t end = ctx.usable;
    while (end > 0 && ctx.clock_set[end - 1] != set) --end;
    if (QuietOfSetInProfileWindow(ctx, set, end) < per_week) continue;
    Result<WeeklyBaseline> fit =
        FitWeeklyBaseline(values, ctx.slots, QuietMaskOfSet(ctx, set), history.start, history.step,
                          end, BaselineFitOptionsOf(ctx));
    if (fit) ctx.clock_baselines[set] = std::move(*fit);
  }
}

BaselineFitOptions BaselineFitOptionsOf(const Context& ctx) {
  BaselineFitOptions options = ctx.options->baseline;
  if (ctx.every_step_counts) {
    options.level_anchor = 0;
    options.shift_ratio = 0;
  }
  options.weekend_slots = ctx.weekend_slots;
  return options;
}

Status FitBaseline(Context& ctx, std::span<const std::uint8_t> profile_quiet) {
  const RegularSeries& history = *ctx.history;
  const std::span<const double> usable_values(history.values.data(), ctx.usable);
  Result<WeeklyBaseline> baseline =
      FitWeeklyBaseline(usable_values, ctx.slots, profile_quiet, history.start, history.step,
                        ctx.usable, BaselineFitOptionsOf(ctx));
  if (!baseline) return std::move(baseline).error();
  ctx.baseline = std::move(*baseline);
  std::vector<double> positive;
  for (double p : ctx.baseline.profile) {
    if (p > 0) positive.push_back(p);
  }
  if (!positive.empty()) ctx.epsilon = std::max(1e-9, 1e-3 * MedianInPlace(positive));
  return {};
}

}  // namespace patchcast::forecasting::forecast_steps
