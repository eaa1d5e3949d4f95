#include "forecasting/forecast.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

#include "calendars/zone.h"
#include "forecasting/robust_stats.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr std::int64_t kSecondsPerDay = 86'400;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Quiet residuals are kept per horizon day 0..6; later days use day 6's.
constexpr std::size_t kHorizonDays = 7;
// Fewer residuals than this in a horizon bucket: pool all horizons.
constexpr std::size_t kMinBucketResiduals = 30;
// Learning a past event's level: the quiet steps of the three weeks before its window.
constexpr std::int64_t kLevelDays = 21;
// Quiet steps older than this, with none since, no longer describe the series.
constexpr std::int64_t kStaleQuietDays = 14;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}
std::int64_t CeilDiv(std::int64_t a, std::int64_t b) { return -FloorDiv(-a, b); }

std::string FormatUtc(sys_seconds t) { return date::format("%FT%TZ", t); }

// Whether the reboot-wave prior describes this kind of event: releases make machines restart;
// advance notices and custom events (matches, holidays) do not, and their prior is "no effect".
bool IsRebootKind(calendars::EventKind kind) {
  return kind == calendars::EventKind::kRelease || kind == calendars::EventKind::kOutOfBand ||
         kind == calendars::EventKind::kPreview;
}

// What the event's advance notice announced: the size relation's predictors.
SizeAnnotations AnnotationsOf(const calendars::Event& event) {
  SizeAnnotations annotations;
  if (event.bulletins) annotations.bulletins = static_cast<double>(*event.bulletins);
  if (event.max_severity)
    annotations.critical = *event.max_severity == calendars::Severity::kCritical;
  annotations.restart_required = event.restart_required;
  return annotations;
}

struct EventRef {
  const calendars::Event* event = nullptr;
  std::string id;
  std::int64_t index = 0;  // the step containing the start, counted from history.start
  // The step the response curve's offset 0 is laid on: `index`, moved for a release to where its
  // start would fall on the users' usual local clock (AlignReleasesOnLocalNights).
  std::int64_t curve_index = 0;
  std::size_t group = 0;
  double level = std::numeric_limits<double>::quiet_NaN();  // PastEventLevel, once computed
  bool past = false;      // learned from: its start lies in the usable history, and its window
                          // too unless it reaches into the forecast
  bool relevant = false;  // its window reaches into the forecast
};

struct Group {
  std::string calendar_id;
  calendars::EventKind kind = calendars::EventKind::kRelease;
  std::vector<std::size_t> past;  // indices into the sorted EventRefs
  std::optional<ResponseCurve> curve;
  double prior_weight = 0;
  // Offsets (steps, relative to the start) where the group acts, for masking overlaps; empty
  // (from > to) when it has no visible effect.
  std::int64_t active_from = 1;
  std::int64_t active_to = 0;
  double active_threshold = 0.02;
  double peak_excess = 0;
};

// Everything the learning and forecasting steps share.
struct Context {
  const RegularSeries* history = nullptr;
  const ForecastOptions* options = nullptr;
  std::int64_t step_seconds = 3600;
  std::size_t usable = 0;  // steps [0, usable) end at or before as_of
  std::int64_t pre = 0;    // window steps before the start
  std::int64_t post = 0;   // window steps after the start
  std::vector<std::uint32_t> slots;
  std::vector<std::uint8_t> quiet;
  WeeklyBaseline baseline;
  double epsilon = 1e-9;
};

// The level of the series around a past event relative to the baseline profile: the quiet steps of
// the three weeks before its window (what a forecaster would have known), else the three after.
double PastEventLevel(const Context& ctx, std::int64_t index, std::vector<double>& scratch) {
  const std::int64_t span = kLevelDays * kSecondsPerDay / ctx.step_seconds;
  const auto usable = static_cast<std::int64_t>(ctx.usable);
  const auto clampi = [&](std::int64_t i) {
    return static_cast<std::size_t>(std::clamp<std::int64_t>(i, 0, usable));
  };
  const std::size_t min_count = static_cast<std::size_t>(kSecondsPerDay / ctx.step_seconds);
  const std::span<const double> values(ctx.history->values.data(), ctx.usable);
  double level =
      MedianLevel(values, ctx.slots, ctx.quiet, ctx.baseline, clampi(index - ctx.pre - span),
                  clampi(index - ctx.pre), min_count, scratch);
  if (std::isnan(level)) {
    level = MedianLevel(values, ctx.slots, ctx.quiet, ctx.baseline, clampi(index + ctx.post + 1),
                        clampi(index + ctx.post + 1 + span), min_count, scratch);
  }
  if (std::isnan(level)) {
    level = ctx.baseline.Level(ctx.history->TimeAt(0) +
                               seconds{std::max<std::int64_t>(index, 0) * ctx.step_seconds});
  }
  return level;
}

// Builds one group's observations. With `mask`, steps inside another event's active span (an event
// of a different reboot wave) are left out, so that a release and an out-of-band update a few days
// apart are not each credited with the other's surge.
ResponseObservations Observe(const Context& ctx, const Group& group, std::vector<EventRef>& refs,
                             const std::vector<Group>& groups, bool mask) {
  ResponseObservations obs;
  obs.step = seconds{ctx.step_seconds};
  obs.first_offset = -ctx.pre;
  obs.offsets = static_cast<std::size_t>(ctx.pre + ctx.post + 1);
  const std::size_t events = group.past.size();
  obs.excess.assign(events * obs.offsets, kNaN);
  obs.baseline.assign(events * obs.offsets, kNaN);
  obs.annotations.resize(events);
  obs.reboot_driven = IsRebootKind(group.kind);
  const std::int64_t merge = ctx.options->merge_window.count();
  std::vector<double> scratch;
  for (std::size_t e = 0; e < events; ++e) {
    EventRef& ref = refs[group.past[e]];
    obs.annotations[e] = AnnotationsOf(*ref.event);
    if (std::isnan(ref.level)) ref.level = PastEventLevel(ctx, ref.index, scratch);
    const double level = ref.level;
    // Steps of this row claimed by events of other waves.
    std::vector<std::pair<std::int64_t, std::int64_t>> claimed;
    if (mask) {
      for (const EventRef& other : refs) {
        if (&other == &ref) continue;
        const auto apart = std::abs((other.event->start - ref.event->start).count());
        if (apart <= merge) continue;
        const Group& og = groups[other.group];
        std::int64_t from = og.active_from;
        std::int64_t to = og.active_to;
        if (!og.curve && IsRebootKind(og.kind) && ctx.options->use_prior) {
          from = -ctx.pre;  // not learned yet: assume its whole window
          to = ctx.post;
        }
        if (from > to) continue;
        claimed.emplace_back(other.curve_index + from, other.curve_index + to);
      }
    }
    for (std::size_t k = 0; k < obs.offsets; ++k) {
      const std::int64_t i = ref.curve_index - ctx.pre + static_cast<std::int64_t>(k);
      if (i < 0 || i >= static_cast<std::int64_t>(ctx.usable)) continue;
      const bool taken = std::any_of(claimed.begin(), claimed.end(), [&](const auto& span) {
        return span.first <= i && i <= span.second;
      });
      const auto at = static_cast<std::size_t>(i);
      const double b = ctx.baseline.profile[ctx.slots[at]] * level;
      obs.baseline[e * obs.offsets + k] = b;
      const double v = ctx.history->values[at];
      if (taken || std::isnan(v) || b <= ctx.epsilon) continue;
      obs.excess[e * obs.offsets + k] = v / b - 1;
    }
  }
  return obs;
}

void SetActiveSpan(Group& group, std::int64_t first_offset) {
  group.active_from = 1;
  group.active_to = 0;
  group.peak_excess = 0;
  if (!group.curve) return;
  for (double c : group.curve->excess) group.peak_excess = std::max(group.peak_excess, std::abs(c));
  group.active_threshold = std::max(0.02, 0.1 * group.peak_excess);
  for (std::size_t k = 0; k < group.curve->excess.size(); ++k) {
    if (std::abs(group.curve->excess[k]) < group.active_threshold) continue;
    const std::int64_t offset = first_offset + static_cast<std::int64_t>(k);
    if (group.active_from > group.active_to) group.active_from = offset;
    group.active_to = offset;
  }
}

// Residuals log((value + eps) / (baseline + eps)) of the baseline fitted at rolling weekly origins
// before as_of, on the quiet steps of the week after each origin, by horizon day. When a bucket is
// thin, every bucket gets the pooled residuals; when even those are few, the in-sample residuals of
// the final fit over its profile window. Each bucket is sorted.
std::array<std::vector<double>, kHorizonDays> QuietResiduals(const Context& ctx) {
  std::array<std::vector<double>, kHorizonDays> buckets;
  const std::size_t week = SlotsPerWeek(seconds{ctx.step_seconds});
  const std::span<const double> values(ctx.history->values.data(), ctx.usable);
  const auto log_ratio = [&](double v, double b) {
    return std::log((v + ctx.epsilon) / (std::max(b, 0.0) + ctx.epsilon));
  };
  // Below an hour, the residuals of every third (or n-th) slot are plenty, and fitting only those
  // slots keeps the rolling fits cheap (a forecast from a year of 5-minute data within 20 ms).
  BaselineFitOptions rolling = ctx.options->baseline;
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
      buckets[std::min(day, kHorizonDays - 1)].push_back(log_ratio(values[i], b));
    }
  }
  const bool thin = std::any_of(buckets.begin(), buckets.end(), [](const auto& bucket) {
    return bucket.size() < kMinBucketResiduals;
  });
  if (thin) {
    std::vector<double> pooled;
    for (const auto& bucket : buckets) pooled.insert(pooled.end(), bucket.begin(), bucket.end());
    if (pooled.size() < kMinBucketResiduals) {
      pooled.clear();
      const std::size_t from =
          ctx.usable > week * static_cast<std::size_t>(ctx.options->baseline.profile_weeks)
              ? ctx.usable - week * static_cast<std::size_t>(ctx.options->baseline.profile_weeks)
              : 0;
      for (std::size_t i = from; i < ctx.usable; ++i) {
        if (std::isnan(values[i]) || ctx.quiet[i] == 0) continue;
        pooled.push_back(
            log_ratio(values[i], ctx.baseline.At(ctx.slots[i], ctx.history->TimeAt(i))));
      }
    }
    if (pooled.empty()) pooled.push_back(0);
    for (auto& bucket : buckets) bucket = pooled;
  }
  for (auto& bucket : buckets) std::sort(bucket.begin(), bucket.end());
  return buckets;
}

// One upcoming event's contribution per forecast step.
struct Upcoming {
  std::size_t ref = 0;
  double magnitude = 1;        // size relation of the learned curve
  double prior_magnitude = 1;  // the prior's: 0 for a release known to need no restart
  double what_if = 1;
  // An event under way at as_of: its realised size relative to the expected one, as far as the
  // observed part of its curve tells (1 when nothing is observed), and that part's share of the
  // curve's expected extra demand.
  double observed_scale = 1;
  double observed_share = 0;
  std::vector<double> prior_excess;  // per window offset; empty without the prior
  double daily_volume = 0;
};

// The weighted median of values (weights > 0): the smallest value at which the cumulative weight
// reaches half the total. NaN when empty.
double WeightedMedian(std::vector<std::pair<double, double>>& value_weight) {
  if (value_weight.empty()) return kNaN;
  std::sort(value_weight.begin(), value_weight.end());
  double total = 0;
  for (const auto& [value, weight] : value_weight) total += weight;
  double cumulative = 0;
  for (const auto& [value, weight] : value_weight) {
    cumulative += weight;
    if (cumulative >= 0.5 * total) return value;
  }
  return value_weight.back().first;
}

// What each forecast step needs to turn into quantiles.
struct StepState {
  double baseline = 0;
  double excess = 0;  // combined median excess over the baseline
  std::size_t horizon_day = 0;
  std::ptrdiff_t dominant = -1;  // index into `upcoming` of the largest contributor
};

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

// --- The steps of ForecastDemand, in the order it takes them. ---

// The series' users by zone: every zone drives the prior's waves; the largest share's zone is the
// dominant one, whose wall clock the weekly profile follows (UTC when there is no mix).
struct ZonePlan {
  std::vector<ZoneWeight> zones;
  const date::time_zone* dominant = nullptr;
};

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

// The forecast's steps: [first_step, first_step + horizon_steps), counted from history.start.
struct Grid {
  std::chrono::sys_seconds as_of{};
  std::int64_t first_step = 0;
  std::size_t horizon_steps = 0;
  std::vector<std::uint32_t> slots;  // each forecast step's slot of the week
  std::int64_t end() const { return first_step + static_cast<std::int64_t>(horizon_steps); }
};

// Sets the usable history, the event window in steps and the week slots of `ctx`, and returns the
// forecast grid. Errors: kUnprocessable when no data lies before as_of.
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

// The events, one per id (the first in input order is kept), by start then id, each with the step
// that contains its start.
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

// Reboot waves follow the users' local nights (03:00 local), not the release instant: a release at
// 10:00 Pacific falls an hour earlier or later on the clock of a zone whose daylight saving starts
// on another date (Europe's, in the weeks between the US and the EU changes) or not at all (Tokyo,
// and every summer). Aligned on the instant, twelve releases put a 20-minute spike at two or three
// offsets, and their median curve smears it. So each release's curve is laid where its start falls
// on the dominant zone's usual clock: the most common local time of day of the group's starts.
// Other kinds (custom events, notices) act at their own instant and are not moved, nor is a start
// more than three hours off the usual (an out-of-band update at another hour).
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

// Which usable steps the baseline may learn from: those outside every event's window.
//
// Events every day (a tournament's matches) leave no quiet step: then the quiet weeks are another
// regime, and a baseline, residuals and event levels taken from them describe a past that no
// longer holds (on the 1998 World Cup site, quiet May with its narrow noise for a June of
// matches). When no quiet step with data lies within the last two weeks, every step counts.
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
  if (last_quiet == ctx.usable || ctx.usable - last_quiet > stale) {
    std::fill(ctx.quiet.begin(), ctx.quiet.end(), std::uint8_t{1});
  }
}

// Step 1: the weekly baseline of the quiet steps, and the series' small number (a thousandth of
// its median positive profile value) that keeps ratios of near-zero values finite.
Status FitBaseline(Context& ctx) {
  const RegularSeries& history = *ctx.history;
  const std::span<const double> usable_values(history.values.data(), ctx.usable);
  Result<WeeklyBaseline> baseline =
      FitWeeklyBaseline(usable_values, ctx.slots, ctx.quiet, history.start, history.step,
                        ctx.usable, ctx.options->baseline);
  if (!baseline) return std::move(baseline).error();
  ctx.baseline = std::move(*baseline);
  std::vector<double> positive;
  for (double p : ctx.baseline.profile) {
    if (p > 0) positive.push_back(p);
  }
  if (!positive.empty()) ctx.epsilon = std::max(1e-9, 1e-3 * MedianInPlace(positive));
  return {};
}

// Groups the events by (calendar, kind) in a deterministic order, and marks each event relevant
// (its window reaches into the forecast) and past (learned from).
std::vector<Group> GroupEvents(const Context& ctx, const Grid& grid, std::vector<EventRef>& refs) {
  std::map<std::pair<std::string, calendars::EventKind>, std::size_t> group_of;
  std::vector<Group> groups;
  for (std::size_t r = 0; r < refs.size(); ++r) {
    EventRef& ref = refs[r];
    auto key = std::make_pair(ref.event->calendar_id, ref.event->kind);
    auto [it, inserted] = group_of.try_emplace(key, groups.size());
    if (inserted) {
      Group group;
      group.calendar_id = key.first;
      group.kind = key.second;
      groups.push_back(std::move(group));
    }
    ref.group = it->second;
    ref.relevant = !ctx.options->baseline_only && ref.index + ctx.post >= grid.first_step &&
                   ref.index - ctx.pre < grid.end();
    // An event under way at as_of is forecast (its observed part sizes it, below), not learned
    // from: a few hours of its window give a noisy magnitude that would move the size relation
    // and the median size of every other event.
    ref.past = ref.index >= 0 && ref.index < static_cast<std::int64_t>(ctx.usable) &&
               (ref.index + ctx.post < static_cast<std::int64_t>(ctx.usable) || !ref.relevant);
    if (ref.past) groups[ref.group].past.push_back(r);
  }
  return groups;
}

// Step 2 (and the prior's weight of step 4): each group's response curve, learned twice (the first
// pass finds where each group acts, the second masks each event's window where another wave acts,
// so overlapping events are not double counted). Returns the number of past events learned from.
Result<std::size_t> LearnResponses(const Context& ctx, std::vector<EventRef>& refs,
                                   std::vector<Group>& groups) {
  const ForecastOptions& options = *ctx.options;
  if (options.baseline_only) return std::size_t{0};
  const int min_events = options.use_prior ? std::max(options.prior.min_events, 1) : 1;
  for (int pass = 0; pass < 2; ++pass) {
    for (Group& group : groups) {
      if (static_cast<int>(group.past.size()) < min_events) continue;
      Result<ResponseCurve> curve =
          LearnResponseCurve(Observe(ctx, group, refs, groups, pass == 1), options.response);
      if (!curve) return std::move(curve).error();
      group.curve = std::move(*curve);
    }
    for (Group& group : groups) SetActiveSpan(group, -ctx.pre);
  }
  std::size_t events_used = 0;
  for (Group& group : groups) {
    const auto n = static_cast<double>(group.past.size());
    if (!options.use_prior) {
      group.prior_weight = 0;
    } else if (!group.curve) {
      group.prior_weight = 1;
    } else {
      group.prior_weight = options.prior.strength / (options.prior.strength + n);
    }
    if (group.curve) events_used += group.past.size();
  }
  return events_used;
}

// Step 3 (and the prior's shape of step 4): each relevant event's expected size from what was
// announced, and the prior's wave over its window.
std::vector<Upcoming> SizeUpcomingEvents(const Context& ctx, const std::vector<EventRef>& refs,
                                         const std::vector<Group>& groups, const ZonePlan& zones) {
  const ForecastOptions& options = *ctx.options;
  const RegularSeries& history = *ctx.history;
  double weekly_volume = 0;
  for (double p : ctx.baseline.profile) weekly_volume += p;
  std::vector<Upcoming> upcoming;
  for (std::size_t r = 0; r < refs.size(); ++r) {
    if (!refs[r].relevant) continue;
    const EventRef& ref = refs[r];
    const Group& group = groups[ref.group];
    Upcoming up;
    up.ref = r;
    if (group.curve) up.magnitude = group.curve->Magnitude(AnnotationsOf(*ref.event));
    // No restart, no reboot wave: the prior is the physics of restarts.
    if (ref.event->restart_required == false) up.prior_magnitude = 0;
    const sys_seconds step_start = history.start + history.step * ref.curve_index;
    up.daily_volume = weekly_volume / 7 * ctx.baseline.Level(ref.event->start);
    if (options.use_prior && group.prior_weight > 0 && IsRebootKind(group.kind)) {
      up.prior_excess = RebootWaveShape(ref.event->start, step_start, history.step, -ctx.pre,
                                        static_cast<std::size_t>(ctx.pre + ctx.post + 1),
                                        zones.zones, options.prior);
    }
    upcoming.push_back(std::move(up));
  }
  return upcoming;
}

// Sets each what-if's multiplier on its event. Errors: kInvalidArgument naming an event that does
// not act within the horizon.
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

// Reboot waves: upcoming events starting within merge_window of their wave's first event. Within a
// wave uplifts combine by maximum, across waves by sum.
struct Waves {
  std::vector<std::size_t> of;  // the wave of each upcoming event
  std::size_t count = 0;
};

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

// Step 4: an upcoming event's excess over the baseline at a step, the learned curve and the
// prior's wave blended by the prior's weight, each scaled by its size.
class ExcessModel {
 public:
  ExcessModel(const Context& ctx, const std::vector<EventRef>& refs,
              const std::vector<Group>& groups)
      : ctx_(ctx), refs_(refs), groups_(groups) {}

  // The excess of `up` at step index i (from history.start) where the baseline is b. With
  // `severity`, also the part due to what was announced: the excess minus that of a median past
  // event, through the size relation and the prior's restart rule.
  double At(const Upcoming& up, std::int64_t i, double b, double* severity = nullptr) const {
    const EventRef& ref = refs_[up.ref];
    const std::int64_t k = i - ref.curve_index + ctx_.pre;
    if (k < 0 || k > ctx_.pre + ctx_.post) return 0;
    const Group& group = groups_[ref.group];
    const double w = group.prior_weight;
    double learned = 0;
    if (group.curve) learned = group.curve->excess[static_cast<std::size_t>(k)];
    double prior = 0;
    if (!up.prior_excess.empty()) {
      prior = up.prior_excess[static_cast<std::size_t>(k)] * up.daily_volume /
              std::max(b, ctx_.epsilon);
    }
    const double scale = up.what_if * up.observed_scale;
    if (severity != nullptr) {
      *severity =
          scale * (w * (up.prior_magnitude - 1) * prior + (1 - w) * (up.magnitude - 1) * learned);
    }
    return scale * (w * up.prior_magnitude * prior + (1 - w) * up.magnitude * learned);
  }

  // The same without the what-if multiplier: a what-if applies to the realised size.
  double Unscaled(const Upcoming& up, std::int64_t i, double b) const {
    return up.what_if > 0 ? At(up, i, b) / up.what_if : 0.0;
  }

 private:
  const Context& ctx_;
  const std::vector<EventRef>& refs_;
  const std::vector<Group>& groups_;
};

// Step 6: events under way at as_of. The observed part of a wave's window says how large it is
// turning out. Per wave (events combined as in the forecast), the realised scale is the weighted
// median of observed / expected excess over the observed steps where the wave acts (weights:
// expected excess squared, as least squares would give; a median, so that an incident's dip or a
// spike in the observed part does not carry it), after the other waves' expected excess is taken
// off. It is shrunk toward the expected size by the share of the wave's expected extra demand that
// has been observed: a few hours into a release only the first zone's reboots are in, and one
// zone's wave is a noisy guide to the others'.
void UpdateEventsUnderWay(const Context& ctx, const std::vector<EventRef>& refs, const Waves& waves,
                          const ExcessModel& excess, const date::time_zone& dominant,
                          std::vector<Upcoming>& upcoming) {
  constexpr double kMaxObservedScale = 5;
  const RegularSeries& history = *ctx.history;
  std::vector<std::uint32_t> window_slots;
  std::vector<std::pair<double, double>> ratios;
  std::vector<double> expected;
  for (std::size_t w = 0; w < waves.count; ++w) {
    std::int64_t lo = std::numeric_limits<std::int64_t>::max();
    std::int64_t hi = std::numeric_limits<std::int64_t>::min();
    for (std::size_t u = 0; u < upcoming.size(); ++u) {
      if (waves.of[u] != w) continue;
      lo = std::min(lo, refs[upcoming[u].ref].curve_index - ctx.pre);
      hi = std::max(hi, refs[upcoming[u].ref].curve_index + ctx.post);
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
      total_mass += std::abs(expected[k]) * b;
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
          if (waves.of[u] == ow) wave_max = std::max(wave_max, excess.At(upcoming[u], i, b));
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

// Each forecast step's baseline, combined median excess (maximum within a wave, sum across waves)
// and its dominant event; with `explanations`, why each point has its median value.
std::vector<StepState> CombineEventsAtSteps(const Context& ctx, const Grid& grid,
                                            const std::vector<EventRef>& refs,
                                            const std::vector<Upcoming>& upcoming,
                                            const Waves& waves, const ExcessModel& excess,
                                            std::vector<PointExplanation>* explanations) {
  const RegularSeries& history = *ctx.history;
  std::vector<StepState> states(grid.horizon_steps);
  std::vector<double> wave_excess(waves.count);
  std::vector<std::ptrdiff_t> wave_lead(waves.count);
  if (explanations != nullptr) explanations->resize(grid.horizon_steps);
  for (std::size_t j = 0; j < grid.horizon_steps; ++j) {
    const std::int64_t i = grid.first_step + static_cast<std::int64_t>(j);
    const sys_seconds ts = history.start + history.step * i;
    StepState& state = states[j];
    state.baseline = ctx.baseline.At(grid.slots[j], ts);
    state.horizon_day = std::min<std::size_t>(
        kHorizonDays - 1,
        static_cast<std::size_t>(std::max<std::int64_t>((ts - grid.as_of).count(), 0) /
                                 kSecondsPerDay));
    std::fill(wave_excess.begin(), wave_excess.end(), 0.0);
    std::fill(wave_lead.begin(), wave_lead.end(), -1);
    for (std::size_t u = 0; u < upcoming.size(); ++u) {
      const double x = excess.At(upcoming[u], i, state.baseline);
      const std::size_t wave = waves.of[u];
      if (wave_lead[wave] < 0 || x > wave_excess[wave]) {
        wave_excess[wave] = x;
        wave_lead[wave] = static_cast<std::ptrdiff_t>(u);
      }
    }
    double largest = 0;
    for (std::size_t w = 0; w < waves.count; ++w) {
      state.excess += wave_excess[w];
      if (std::abs(wave_excess[w]) > largest) {
        largest = std::abs(wave_excess[w]);
        state.dominant = wave_lead[w];
      }
    }
    state.excess = std::max(state.excess, -1.0);
    if (explanations == nullptr) continue;
    PointExplanation& explanation = (*explanations)[j];
    explanation.baseline = state.baseline;
    for (std::size_t w = 0; w < waves.count; ++w) {
      if (wave_lead[w] < 0) continue;
      const Upcoming& up = upcoming[static_cast<std::size_t>(wave_lead[w])];
      double severity = 0;
      excess.At(up, i, state.baseline, &severity);
      // An event the annotations silenced (no restart) still explains why demand is not up.
      if (wave_excess[w] == 0 && severity == 0) continue;
      explanation.uplifts.push_back({refs[up.ref].id, state.baseline * wave_excess[w]});
      explanation.severity_term += state.baseline * severity;
    }
  }
  return states;
}

// Step 5: the value of a forecast step at a quantile level. Quiet steps take the empirical
// quantiles of the baseline's rolling residuals at their horizon day; steps where a learned event
// dominates take its curve's normalized residuals; steps where the prior dominates, a log-normal
// size factor on top of the quiet band.
class StepQuantiles {
 public:
  StepQuantiles(const Context& ctx, const std::vector<EventRef>& refs,
                const std::vector<Group>& groups, const std::vector<Upcoming>& upcoming,
                const std::vector<StepState>& states)
      : ctx_(ctx),
        refs_(refs),
        groups_(groups),
        upcoming_(upcoming),
        states_(states),
        quiet_residuals_(QuietResiduals(ctx)),
        timing_envelope_(PriorTimingEnvelope()) {}

  double At(std::size_t j, double q) const {
    const StepState& state = states_[j];
    const double b = state.baseline;
    const double x = state.excess;
    const double quiet_log = QuantileSorted(quiet_residuals_[state.horizon_day], q);
    const auto quiet_band = [&](double center) {
      return (center + ctx_.epsilon) * std::exp(quiet_log) - ctx_.epsilon;
    };
    double value = quiet_band(b * (1 + x));
    if (state.dominant >= 0) {
      const Upcoming& up = upcoming_[static_cast<std::size_t>(state.dominant)];
      const Group& group = groups_[refs_[up.ref].group];
      const bool learned = LearnedBands(group);
      // The size's uncertainty left once part of an event under way has been observed: with the
      // size shrunk toward the observed one by the observed share f, its variance is (1 - f)
      // times the variance it had (a normal-normal update); the series' own noise stays.
      const double size_sd = std::sqrt(1 - up.observed_share);
      if (learned &&
          std::abs(x) >= group.active_threshold * std::max(up.magnitude * up.observed_scale, 0.1)) {
        const double z = QuantileSorted(group.curve->active_residuals, q);
        value = b * (1 + x + z * (std::abs(x) * size_sd + group.curve->noise_floor));
      } else if (!learned && std::max(std::abs(x), timing_envelope_[j]) >= 0.02) {
        // The prior's size is uncertain by a log-normal factor, and its timing by
        // peak_timing_spread_hours either way: the upper quantiles reach for the largest median
        // excess within that spread (all of it from q = 0.9), so a wave that comes a little early
        // or late stays inside the band. Too wide is better than too narrow before the series has
        // shown its own waves.
        const double factor =
            std::exp(ctx_.options->prior.magnitude_log_sd * size_sd * NormalQuantile(q));
        const double reach = std::clamp((q - 0.5) / 0.4, 0.0, 1.0);
        const double upper = x + reach * std::max(timing_envelope_[j] - x, 0.0);
        value = quiet_band(b * (1 + upper * factor));
      }
    }
    return std::max(value, 0.0);
  }

 private:
  const Context& ctx_;
  const std::vector<EventRef>& refs_;
  const std::vector<Group>& groups_;
  const std::vector<Upcoming>& upcoming_;
  const std::vector<StepState>& states_;
  std::array<std::vector<double>, kHorizonDays> quiet_residuals_;
  std::vector<double> timing_envelope_;  // per step; 0 where no prior-driven event dominates

  // Whether a group's own residuals give the bands where it dominates; else the prior's do.
  static bool LearnedBands(const Group& group) {
    return group.curve && !group.curve->active_residuals.empty() && group.prior_weight < 0.5;
  }

  bool PriorDriven(const StepState& state) const {
    if (state.dominant < 0) return false;
    return !LearnedBands(
        groups_[refs_[upcoming_[static_cast<std::size_t>(state.dominant)].ref].group]);
  }

  // The largest median excess within the prior's timing spread of each prior-driven step.
  std::vector<double> PriorTimingEnvelope() const {
    std::vector<double> envelope(states_.size(), 0.0);
    const auto reach = static_cast<std::ptrdiff_t>(ctx_.options->prior.peak_timing_spread_hours *
                                                   3600 / static_cast<double>(ctx_.step_seconds));
    const auto steps = static_cast<std::ptrdiff_t>(states_.size());
    for (std::ptrdiff_t j = 0; j < steps; ++j) {
      if (!PriorDriven(states_[static_cast<std::size_t>(j)])) continue;
      double largest = 0;
      for (std::ptrdiff_t k = std::max<std::ptrdiff_t>(0, j - reach);
           k <= std::min(steps - 1, j + reach); ++k) {
        largest = std::max(largest, states_[static_cast<std::size_t>(k)].excess);
      }
      envelope[static_cast<std::size_t>(j)] = largest;
    }
    return envelope;
  }
};

// The forecast points: each step's quantiles at every level, made monotone in the level.
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

// Each upcoming event's peak: the step where its window's median forecast is highest, with the
// leave-one-out peak height and timing errors of its group when learned.
EventForecast ForecastEventPeak(const Context& ctx, const Grid& grid, const EventRef& ref,
                                const Group& group, const Upcoming& up,
                                const std::vector<StepState>& states,
                                const StepQuantiles& quantiles, const Forecast& forecast) {
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
  std::size_t best = static_cast<std::size_t>(from);
  double best_center = -1;
  for (auto j = static_cast<std::size_t>(from); j < static_cast<std::size_t>(to); ++j) {
    const double center = states[j].baseline * (1 + states[j].excess);
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
    out.peak.ts = center_ts + shift(0.5);
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
    out.peak.quantiles = forecast.points[best].quantiles;
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

// What the forecast learned from and how much the prior weighs.
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

// The quantile levels asked for, ascending and without repeats.
std::vector<double> SortedLevels(std::vector<double> levels) {
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  return levels;
}

}  // namespace

std::string_view ToString(ModelKind kind) {
  switch (kind) {
    case ModelKind::kLearned:
      return "learned";
    case ModelKind::kPrior:
      return "prior";
    case ModelKind::kBlended:
      return "blended";
  }
  return "learned";
}

Result<Forecast> ForecastDemand(const RegularSeries& history,
                                std::span<const calendars::Event> events,
                                const ForecastOptions& options) {
  if (Status valid = Validate(history, options); !valid) return valid.error();
  Result<ZonePlan> zones = ResolveZones(options.zone_mix);
  if (!zones) return std::move(zones).error();
  Context ctx;
  ctx.history = &history;
  ctx.options = &options;
  ctx.step_seconds = history.step.count();
  Result<Grid> grid = LayOutGrid(ctx, *zones->dominant);
  if (!grid) return std::move(grid).error();

  std::vector<EventRef> refs = IndexEvents(history, events, ctx.step_seconds);
  AlignReleasesOnLocalNights(refs, *zones->dominant, ctx.step_seconds);
  MarkQuietSteps(ctx, refs);
  if (Status fitted = FitBaseline(ctx); !fitted) return fitted.error();

  std::vector<Group> groups = GroupEvents(ctx, *grid, refs);
  Result<std::size_t> events_used = LearnResponses(ctx, refs, groups);
  if (!events_used) return std::move(events_used).error();
  std::vector<Upcoming> upcoming = SizeUpcomingEvents(ctx, refs, groups, *zones);
  if (Status applied = ApplyWhatIfs(options, refs, upcoming); !applied) return applied.error();
  const Waves waves = GroupWaves(refs, upcoming, options.merge_window);
  const ExcessModel excess(ctx, refs, groups);
  UpdateEventsUnderWay(ctx, refs, waves, excess, *zones->dominant, upcoming);

  Forecast forecast;
  forecast.quantile_levels = SortedLevels(options.quantiles);
  const std::vector<StepState> states =
      CombineEventsAtSteps(ctx, *grid, refs, upcoming, waves, excess,
                           options.explain ? &forecast.explanations : nullptr);
  const StepQuantiles quantiles(ctx, refs, groups, upcoming, states);
  forecast.points = QuantilePoints(ctx, *grid, states, quantiles, forecast.quantile_levels);
  for (const Upcoming& up : upcoming) {
    const EventRef& ref = refs[up.ref];
    forecast.events.push_back(
        ForecastEventPeak(ctx, *grid, ref, groups[ref.group], up, states, quantiles, forecast));
  }
  forecast.model = SummarizeModel(ctx, refs, groups, upcoming, *events_used);
  return forecast;
}

}  // namespace patchcast::forecasting
