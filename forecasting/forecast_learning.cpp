#include "forecasting/forecast_learning.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>

#include "forecasting/forecast_layout.h"

namespace patchcast::forecasting::forecast_steps {
namespace {

using std::chrono::seconds;

// Learning a past event's level: the quiet steps of the three weeks before its window.
constexpr std::int64_t kLevelDays = 21;

// Builds one group's observations. With `mask`, steps inside the active span of an event of
// another kind (a different reboot wave) are left out, so that a release and an out-of-band update
// a few days apart are not each credited with the other's surge. Two events of the group's own kind
// whose windows overlap (match days, each window reaching into the next day) keep the overlap in
// both rows: left out of both, no curve would learn those steps, and every such overlap would be
// forecast at the bare baseline. Each curve sees the overlap whole, and the forecast counts it
// once (CombineEventsAtSteps takes the larger of one kind's waves).
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
    obs.annotations[e] = AnnotationsOf(ref);
    if (std::isnan(ref.level)) ref.level = PastEventLevel(ctx, ref.index, scratch);
    const double level = ref.level;
    const WeeklyBaseline& baseline = ctx.BaselineOfStep(ref.index);
    // Steps of this row claimed by events of other kinds' waves.
    std::vector<std::pair<std::int64_t, std::int64_t>> claimed;
    if (mask) {
      for (const EventRef& other : refs) {
        if (other.group == ref.group) continue;  // itself too
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
      const double b = baseline.profile[ctx.slots[at]] * level;
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

}  // namespace

double PastEventLevel(const Context& ctx, std::int64_t index, std::vector<double>& scratch) {
  const std::int64_t span = kLevelDays * kSecondsPerDay / ctx.step_seconds;
  const auto usable = static_cast<std::int64_t>(ctx.usable);
  const auto clampi = [&](std::int64_t i) {
    return static_cast<std::size_t>(std::clamp<std::int64_t>(i, 0, usable));
  };
  const std::size_t min_count = static_cast<std::size_t>(kSecondsPerDay / ctx.step_seconds);
  const std::span<const double> values(ctx.history->values.data(), ctx.usable);
  const WeeklyBaseline& baseline = ctx.BaselineOfStep(index);
  double level = MedianLevel(values, ctx.slots, ctx.quiet, baseline, clampi(index - ctx.pre - span),
                             clampi(index - ctx.pre), min_count, scratch);
  if (!std::isnan(level) && index - ctx.pre <= usable) {
    // Like the forecast's own level, which follows a rise within the last days before as_of.
    level =
        LevelAfterRiseWithinDays(values, ctx.slots, ctx.quiet, baseline, clampi(index - ctx.pre),
                                 level, BaselineFitOptionsOf(ctx).shift_ratio);
  }
  if (std::isnan(level)) {
    level = MedianLevel(values, ctx.slots, ctx.quiet, baseline, clampi(index + ctx.post + 1),
                        clampi(index + ctx.post + 1 + span), min_count, scratch);
  }
  if (std::isnan(level)) {
    level = baseline.Level(ctx.history->TimeAt(0) +
                           seconds{std::max<std::int64_t>(index, 0) * ctx.step_seconds});
  }
  return level;
}

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

Result<std::size_t> LearnResponses(const Context& ctx, std::vector<EventRef>& refs,
                                   std::vector<Group>& groups) {
  const ForecastOptions& options = *ctx.options;
  if (options.baseline_only) return std::size_t{0};
  const int min_events = options.use_prior ? std::max(options.prior.min_events, 1) : 1;
  for (int pass = 0; pass < 2; ++pass) {
    // The first pass only finds where each group acts: its shape is enough.
    const auto learn = pass == 0 ? LearnResponseShape : LearnResponseCurve;
    for (Group& group : groups) {
      if (static_cast<int>(group.past.size()) < min_events) continue;
      Result<ResponseCurve> curve =
          learn(Observe(ctx, group, refs, groups, pass == 1), options.response);
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

}  // namespace patchcast::forecasting::forecast_steps
