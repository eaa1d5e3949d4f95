#include "forecasting/capacity_plan.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <utility>

#include "forecasting/quantile_function.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr double kInf = std::numeric_limits<double>::infinity();
// The median forecast counts as back to normal within this fraction of the baseline (issue 6).
constexpr double kBackToBaseline = 1.05;
// No plan needs more units than this; keeps int arithmetic far from overflow.
constexpr double kMaxUnits = 1e9;

// ceil(x) for x >= 0, treating x within 1e-9 (relative) above an integer as that integer, so that
// 100 x 1.2 / 10 = 12.000000000000002 needs 12 units, not 13. At most kMaxUnits: x = infinity
// (a demand over a tiny unit_capacity, or a huge headroom) needs kMaxUnits, not 0 or a cast of NaN
// (issue 13: headroom 1e308 planned 1 unit against a demand of 55).
int CeilUnits(double x) {
  if (!(x > 0)) return 0;
  if (!(x < kMaxUnits)) return static_cast<int>(kMaxUnits);
  const double rounded = std::ceil(x - 1e-9 * std::max(1.0, x));
  return static_cast<int>(std::min(rounded, kMaxUnits));
}

double Hours(seconds duration) { return static_cast<double>(duration.count()) / 3600; }
double Minutes(seconds duration) { return static_cast<double>(duration.count()) / 60; }

Error Invalid(const std::string& field, const std::string& what) {
  return InvalidArgument(field + ": " + what);
}
std::string Number(double value) {
  std::string text = std::to_string(value);
  // to_string gives six decimals; drop the trailing zeros for readable messages.
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  return text;
}

Status ValidateForecast(const Forecast& forecast, seconds step) {
  if (step <= seconds{0}) return Invalid("step", "must be positive");
  const std::vector<double>& levels = forecast.quantile_levels;
  if (forecast.points.empty()) return Invalid("forecast", "has no points");
  if (levels.empty()) return Invalid("forecast", "has no quantile levels");
  for (std::size_t j = 0; j < levels.size(); ++j) {
    if (!(levels[j] > 0 && levels[j] < 1)) {
      return Invalid("forecast", "quantile level " + Number(levels[j]) + " is outside (0, 1)");
    }
    if (j > 0 && !(levels[j] > levels[j - 1])) {
      return Invalid("forecast", "quantile levels are not strictly ascending");
    }
  }
  for (std::size_t i = 0; i < forecast.points.size(); ++i) {
    const ForecastPoint& point = forecast.points[i];
    const std::string where = "point " + std::to_string(i);
    if (point.quantiles.size() != levels.size()) {
      return Invalid("forecast", where + " has " + std::to_string(point.quantiles.size()) +
                                     " quantiles for " + std::to_string(levels.size()) + " levels");
    }
    for (std::size_t j = 0; j < point.quantiles.size(); ++j) {
      const double q = point.quantiles[j];
      if (!std::isfinite(q) || q < 0) {
        return Invalid("forecast", where + " has a negative or non-finite quantile");
      }
      if (j > 0 && q < point.quantiles[j - 1]) {
        return Invalid("forecast", where + " has descending quantiles");
      }
    }
    if (i > 0 && point.ts - forecast.points[i - 1].ts != step) {
      return Invalid("forecast", where + " is not one step (" + std::to_string(step.count()) +
                                     " s) after the previous point");
    }
  }
  return {};
}

// "microsoft:2026-12-08:release" -> "microsoft 2026-12-08 release".
std::string EventLabel(const std::string& id) {
  std::string label = id;
  std::replace(label.begin(), label.end(), ':', ' ');
  return label;
}

std::string SignedHours(seconds offset) {
  const auto hours = static_cast<std::int64_t>(std::llround(Hours(offset)));
  return (hours >= 0 ? "+" : "") + std::to_string(hours);
}

// No scale-in while an event's tail lasts: [from, to).
struct Hold {
  sys_seconds from{};
  sys_seconds to{};
  std::size_t event = 0;
};

struct Context {
  const Forecast* forecast = nullptr;
  const CapacityModel* model = nullptr;
  seconds step{};
  std::vector<double> median;  // per bucket, counts per step
};

std::vector<Hold> Holds(const Context& ctx) {
  const std::vector<ForecastPoint>& points = ctx.forecast->points;
  const sys_seconds end = points.back().ts + ctx.step;
  std::vector<Hold> holds;
  for (std::size_t e = 0; e < ctx.forecast->events.size(); ++e) {
    const sys_seconds peak = ctx.forecast->events[e].peak.ts;
    if (peak >= end) continue;
    Hold hold{peak, end, e};
    if (ctx.model->hold_after_event) {
      hold.to = peak + *ctx.model->hold_after_event;
    } else {
      for (std::size_t i = 0; i < points.size(); ++i) {
        if (points[i].ts >= peak && ctx.median[i] <= kBackToBaseline * points[i].baseline) {
          hold.to = points[i].ts;
          break;
        }
      }
    }
    if (hold.to > hold.from) holds.push_back(hold);
  }
  return holds;
}

// The event a scale-out for bucket `i` serves, when the median forecast there is more than 5 %
// above the baseline (an event's uplift rather than the daily cycle): the latest event started by
// then. Reboot waves follow their release, so an uplift before any event names none.
std::optional<std::size_t> ActingEvent(const Context& ctx, std::size_t i) {
  const ForecastPoint& point = ctx.forecast->points[i];
  if (!(ctx.median[i] > kBackToBaseline * point.baseline)) return std::nullopt;
  const std::vector<EventForecast>& events = ctx.forecast->events;
  std::optional<std::size_t> best;
  for (std::size_t e = 0; e < events.size(); ++e) {
    if (events[e].start <= point.ts) {
      if (!best || events[e].start >= events[*best].start) best = e;
    }
  }
  return best;
}

ProvisioningFigures Figures(const std::vector<PlanBucket>& buckets, const std::vector<int>& units,
                            const CapacityModel& model, seconds step) {
  ProvisioningFigures figures;
  double unit_steps = 0;
  for (std::size_t i = 0; i < buckets.size(); ++i) {
    unit_steps += units[i];
    const double gap = buckets[i].demand_logins_per_second - units[i] * model.unit_capacity;
    if (gap > 0) {
      figures.under_provisioned_minutes += Minutes(step);
      figures.depth_logins_per_second = std::max(figures.depth_logins_per_second, gap);
    }
  }
  figures.unit_hours = unit_steps * Hours(step);
  if (model.unit_cost_per_hour) figures.cost = figures.unit_hours * *model.unit_cost_per_hour;
  return figures;
}

// Steps 1-2: each bucket's demand at the plan quantile and the units it needs, clamped to max_units
// unless the model lets the plan raise it.
void SetRequiredUnits(const Context& ctx, CapacityPlan& plan) {
  const CapacityModel& model = *ctx.model;
  const std::vector<double>& levels = ctx.forecast->quantile_levels;
  const double step_seconds = static_cast<double>(ctx.step.count());
  const bool raise = model.max_capacity_behavior == MaxCapacityBehavior::kRaise;
  for (std::size_t i = 0; i < plan.buckets.size(); ++i) {
    const ForecastPoint& point = ctx.forecast->points[i];
    PlanBucket& bucket = plan.buckets[i];
    bucket.ts = point.ts;
    bucket.median_logins_per_second = ctx.median[i] / step_seconds;
    bucket.demand_logins_per_second =
        QuantileAt(levels, point.quantiles, model.quantile) / step_seconds;
    bucket.required_units = RequiredUnits(bucket.demand_logins_per_second, model);
    if (!raise && bucket.required_units > model.max_units) {
      bucket.at_risk = true;
      bucket.shortfall_units = bucket.required_units - model.max_units;
      bucket.shortfall_logins_per_second =
          std::max(0.0, bucket.demand_logins_per_second - model.max_units * model.unit_capacity);
      bucket.required_units = model.max_units;
    }
  }
}

// The most units capacity can grow by in one step (infinite without a limit).
double GrowthPerStep(const CapacityModel& model, seconds step) {
  double growth = kInf;
  if (model.max_step_units) growth = std::min(growth, static_cast<double>(*model.max_step_units));
  if (model.max_units_per_minute) {
    growth = std::min(growth, *model.max_units_per_minute * Minutes(step));
  }
  return growth;
}

// The units each bucket must have in service, and the bucket whose need set them (it names the
// reason of the action).
struct Targets {
  std::vector<int> units;
  std::vector<std::size_t> source;
};

// Step 3: growth limits. In-service units grow by at most `growth` per step, so a bucket must
// already hold what the next one needs minus that; the ramp then starts earlier (a backward pass).
Targets RampTargets(const std::vector<PlanBucket>& buckets, double growth) {
  const std::size_t n = buckets.size();
  Targets targets{std::vector<int>(n), std::vector<std::size_t>(n)};
  double next = 0;
  for (std::size_t i = n; i-- > 0;) {
    const double need = buckets[i].required_units;
    const double carried = i + 1 < n ? next - growth : -kInf;
    if (need >= carried) {
      next = need;
      targets.source[i] = i;
    } else {
      next = carried;
      targets.source[i] = targets.source[i + 1];
    }
    targets.units[i] = CeilUnits(next);
  }
  return targets;
}

// The largest target over each bucket and the `look` buckets after it (a sliding maximum): a
// scale-in must leave what they need, or a scale-out would follow it within the interval.
std::vector<int> LargestTargetAhead(const std::vector<int>& target, std::size_t look) {
  std::vector<int> largest(target.size());
  std::deque<std::size_t> window;  // indices with decreasing targets
  for (std::size_t i = target.size(); i-- > 0;) {
    while (!window.empty() && target[window.back()] <= target[i]) window.pop_back();
    window.push_back(i);
    while (window.front() > i + look) window.pop_front();
    largest[i] = target[window.front()];
  }
  return largest;
}

// Step 4: a forward pass over the buckets that issues the actions and tracks the units in service.
class ActionPlacer {
 public:
  ActionPlacer(const Context& ctx, const Targets& targets, double growth, CapacityPlan& plan)
      : ctx_(ctx),
        targets_(targets),
        growth_(growth),
        plan_(plan),
        holds_(Holds(ctx)),
        units_(plan.buckets.size()) {
    const CapacityModel& model = *ctx.model;
    const auto look = static_cast<std::size_t>(
        (std::chrono::duration_cast<seconds>(model.lead_time + model.min_action_interval) +
         ctx.step - seconds{1}) /
        ctx.step);
    largest_ahead_ = LargestTargetAhead(targets.units, look);
  }

  // The units in service per bucket, with plan.actions issued.
  std::vector<int> Place() {
    units_[0] = targets_.units[0];
    for (std::size_t i = 1; i < units_.size(); ++i) {
      const int current = units_[i - 1];
      units_[i] = current;
      if (targets_.units[i] > current) {
        ScaleOut(i, current);
      } else if (targets_.units[i] < current) {
        ScaleIn(i, current);
      }
    }
    return std::move(units_);
  }

 private:
  PlanAction* LastAction() { return plan_.actions.empty() ? nullptr : &plan_.actions.back(); }

  void Issue(PlanAction action, std::size_t i, int current) {
    plan_.actions.push_back(std::move(action));
    ready_index_.push_back(i);
    from_units_.push_back(current);
  }

  // Names the event whose wave the scale-out for bucket i serves, or the baseline.
  void SetScaleOutReason(PlanAction& action, std::size_t i) const {
    const std::size_t s = targets_.source[i];
    if (const std::optional<std::size_t> e = ActingEvent(ctx_, s)) {
      const EventForecast& event = ctx_.forecast->events[*e];
      action.event_id = event.id;
      action.reason =
          EventLabel(event.id) + ": " + SignedHours(plan_.buckets[s].ts - event.start) + " h wave";
    } else {
      action.event_id.clear();
      action.reason = "baseline demand rising";
    }
  }

  void ScaleOut(std::size_t i, int current) {
    const CapacityModel& model = *ctx_.model;
    const int target = targets_.units[i];
    PlanAction action;
    action.kind = ActionKind::kScaleOut;
    action.ready = plan_.buckets[i].ts;
    action.at = action.ready - model.lead_time;
    const sys_seconds start = plan_.buckets.front().ts;
    if (action.at < start) {
      action.at = start;
      action.late = true;
    }
    action.units = target;
    SetScaleOutReason(action, i);
    PlanAction* last = LastAction();
    const bool merge = last != nullptr && last->kind == ActionKind::kScaleOut &&
                       action.at - last->at < model.min_action_interval &&
                       target - from_units_.back() <= growth_;
    if (merge) {
      // The earlier action brings the larger target: capacity arrives sooner, never later.
      for (std::size_t j = ready_index_.back(); j < i; ++j) units_[j] = std::max(units_[j], target);
      last->units = target;
      last->reason = std::move(action.reason);
      last->event_id = std::move(action.event_id);
    } else {
      Issue(std::move(action), i, current);
    }
    units_[i] = target;
  }

  void ScaleIn(std::size_t i, int current) {
    const CapacityModel& model = *ctx_.model;
    const sys_seconds ts = plan_.buckets[i].ts;
    const PlanAction* last = LastAction();
    const bool allowed =
        !Held(ts) && (last == nullptr || ts - last->at >= model.min_action_interval);
    const int shed =
        std::max(1, static_cast<int>(std::floor(model.scale_in_step_fraction * current)));
    const int next = std::max(largest_ahead_[i], current - shed);
    if (!allowed || next >= current) return;
    PlanAction action;
    action.kind = ActionKind::kScaleIn;
    action.at = ts;
    action.ready = ts;
    action.units = next;
    action.reason = "demand falling";
    // Name the event whose hold ended since the previous action, if any.
    for (const Hold& hold : holds_) {
      if (hold.to <= ts && (last == nullptr || hold.to > last->at)) {
        action.event_id = ctx_.forecast->events[hold.event].id;
        action.reason = EventLabel(action.event_id) + ": wave over";
      }
    }
    Issue(std::move(action), i, current);
    units_[i] = next;
  }

  bool Held(sys_seconds t) const {
    return std::any_of(holds_.begin(), holds_.end(),
                       [&](const Hold& h) { return h.from <= t && t < h.to; });
  }

  const Context& ctx_;
  const Targets& targets_;
  const double growth_;
  CapacityPlan& plan_;
  const std::vector<Hold> holds_;
  std::vector<int> largest_ahead_;
  std::vector<int> units_;
  std::vector<std::size_t> ready_index_;  // per action: the bucket where it takes effect
  std::vector<int> from_units_;           // per action: the units before it
};

// Step 5: the units and capacity per bucket, p_exceed, and the summary against static peak and
// reactive provisioning.
void Summarize(const Context& ctx, const std::vector<int>& units, CapacityPlan& plan) {
  const CapacityModel& model = *ctx.model;
  const std::vector<double>& levels = ctx.forecast->quantile_levels;
  const double step_seconds = static_cast<double>(ctx.step.count());
  const std::size_t n = units.size();
  PlanSummary& summary = plan.summary;
  summary.effective_max_units = model.max_units;
  for (std::size_t i = 0; i < n; ++i) {
    PlanBucket& bucket = plan.buckets[i];
    bucket.units = units[i];
    bucket.capacity_logins_per_second = units[i] * model.unit_capacity;
    bucket.p_exceed = ExceedanceProbability(levels, ctx.forecast->points[i].quantiles,
                                            bucket.capacity_logins_per_second * step_seconds);
    summary.peak_units = std::max(summary.peak_units, units[i]);
    summary.max_p_exceed = std::max(summary.max_p_exceed, bucket.p_exceed);
    if (bucket.at_risk) ++summary.at_risk_buckets;
    if (model.max_capacity_behavior == MaxCapacityBehavior::kRaise) {
      summary.effective_max_units =
          std::max(summary.effective_max_units, CeilUnits(units[i] * (1 + model.raise_buffer)));
    }
  }
  plan.fallback_units = summary.peak_units;
  const ProvisioningFigures own = Figures(plan.buckets, units, model, ctx.step);
  summary.unit_hours = own.unit_hours;
  summary.cost = own.cost;
  summary.under_provisioned_minutes = own.under_provisioned_minutes;
  summary.depth_logins_per_second = own.depth_logins_per_second;
  summary.vs_static =
      Figures(plan.buckets, std::vector<int>(n, summary.peak_units), model, ctx.step);
  const auto lag = static_cast<std::size_t>(
      (std::chrono::duration_cast<seconds>(model.lead_time) + ctx.step - seconds{1}) / ctx.step);
  std::vector<int> reactive(n);
  for (std::size_t i = 0; i < n; ++i) {
    reactive[i] = plan.buckets[i >= lag ? i - lag : 0].required_units;
  }
  summary.vs_reactive = Figures(plan.buckets, reactive, model, ctx.step);
}

std::vector<double> Medians(const Forecast& forecast) {
  std::vector<double> medians;
  medians.reserve(forecast.points.size());
  for (const ForecastPoint& point : forecast.points) {
    medians.push_back(QuantileAt(forecast.quantile_levels, point.quantiles, 0.5));
  }
  return medians;
}

}  // namespace

int RequiredUnits(double demand_logins_per_second, const CapacityModel& model) {
  return std::max(model.min_units,
                  CeilUnits(demand_logins_per_second * (1 + model.headroom) / model.unit_capacity));
}

Result<CapacityPlan> PlanCapacity(const Forecast& forecast, seconds step,
                                  const CapacityModel& model) {
  if (Status valid = ValidateForecast(forecast, step); !valid) return valid.error();
  const std::size_t n = forecast.points.size();
  if (Status valid = ValidateCapacityModel(model, step * static_cast<std::int64_t>(n)); !valid) {
    return valid.error();
  }
  const Context ctx{&forecast, &model, step, Medians(forecast)};
  CapacityPlan plan;
  plan.step = step;
  plan.mode = model.mode;
  plan.buckets.resize(n);
  SetRequiredUnits(ctx, plan);
  const double growth = GrowthPerStep(model, step);
  const Targets targets = RampTargets(plan.buckets, growth);
  const std::vector<int> units = ActionPlacer(ctx, targets, growth, plan).Place();
  if (model.mode == PlanMode::kForecastOnly) plan.actions.clear();
  Summarize(ctx, units, plan);
  return plan;
}

std::string_view ToString(MaxCapacityBehavior behavior) {
  return behavior == MaxCapacityBehavior::kHonor ? "honor" : "raise";
}
std::string_view ToString(PlanMode mode) {
  return mode == PlanMode::kForecastOnly ? "forecast_only" : "recommend";
}
std::string_view ToString(ActionKind kind) {
  return kind == ActionKind::kScaleOut ? "scale_out" : "scale_in";
}

Status ValidateCapacityModel(const CapacityModel& model, seconds horizon) {
  const auto finite_at_least = [](double value, double low) {
    return std::isfinite(value) && value >= low;
  };
  if (!(std::isfinite(model.unit_capacity) && model.unit_capacity > 0)) {
    return Invalid("unit_capacity",
                   "must be positive and finite (got " + Number(model.unit_capacity) + ")");
  }
  if (!finite_at_least(model.headroom, 0)) {
    return Invalid("headroom",
                   "must be a non-negative fraction (got " + Number(model.headroom) + ")");
  }
  if (!(model.quantile > 0 && model.quantile < 1)) {
    return Invalid("quantile", "must be in (0, 1) (got " + Number(model.quantile) + ")");
  }
  if (model.min_units < 0) {
    return Invalid("min_units",
                   "must not be negative (got " + std::to_string(model.min_units) + ")");
  }
  if (model.max_units < 1 || model.max_units > static_cast<int>(kMaxUnits)) {
    return Invalid("max_units",
                   "must be in [1, 1e9] (got " + std::to_string(model.max_units) + ")");
  }
  if (model.min_units > model.max_units) {
    return Invalid("min_units", std::to_string(model.min_units) + " exceeds max_units " +
                                    std::to_string(model.max_units));
  }
  if (!finite_at_least(model.raise_buffer, 0)) {
    return Invalid("raise_buffer",
                   "must be a non-negative fraction (got " + Number(model.raise_buffer) + ")");
  }
  if (model.lead_time.count() < 0) return Invalid("lead_time_minutes", "must not be negative");
  if (model.lead_time > horizon) {
    return Invalid("lead_time_minutes", std::to_string(model.lead_time.count()) +
                                            " exceeds the forecast horizon of " +
                                            Number(Minutes(horizon)) + " minutes");
  }
  if (model.max_step_units && *model.max_step_units < 1) {
    return Invalid("max_step_units",
                   "must be at least 1 (got " + std::to_string(*model.max_step_units) + ")");
  }
  if (model.max_units_per_minute &&
      !(std::isfinite(*model.max_units_per_minute) && *model.max_units_per_minute > 0)) {
    return Invalid("max_units_per_minute",
                   "must be positive and finite (got " + Number(*model.max_units_per_minute) + ")");
  }
  if (model.hold_after_event && model.hold_after_event->count() < 0) {
    return Invalid("hold_after_event_minutes", "must not be negative");
  }
  if (!(model.scale_in_step_fraction > 0 && model.scale_in_step_fraction <= 1)) {
    return Invalid("scale_in_step_fraction",
                   "must be in (0, 1] (got " + Number(model.scale_in_step_fraction) + ")");
  }
  if (model.min_action_interval.count() < 0) {
    return Invalid("min_action_interval_minutes", "must not be negative");
  }
  if (model.unit_cost_per_hour && !finite_at_least(*model.unit_cost_per_hour, 0)) {
    return Invalid("unit_cost_per_hour", "must be non-negative and finite (got " +
                                             Number(*model.unit_cost_per_hour) + ")");
  }
  return {};
}

}  // namespace patchcast::forecasting
