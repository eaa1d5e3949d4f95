#include "forecasting/capacity_plan.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <limits>
#include <string>
#include <utility>

namespace patchcast::forecasting {
namespace {

using std::chrono::seconds;
using std::chrono::sys_seconds;

constexpr double kInf = std::numeric_limits<double>::infinity();
// The median forecast counts as back to normal within this fraction of the baseline (issue 6).
constexpr double kBackToBaseline = 1.05;
// No plan needs more units than this; keeps int arithmetic far from overflow.
constexpr double kMaxUnits = 1e9;

double Logit(double p) { return std::log(p / (1 - p)); }
double Logistic(double x) { return 1 / (1 + std::exp(-x)); }

// The scale of the exponential upper tail implied by the two highest levels (0: no spread).
double UpperTheta(std::span<const double> levels, std::span<const double> values) {
  const std::size_t k = levels.size();
  if (k < 2) return 0;
  return (values[k - 1] - values[k - 2]) / std::log((1 - levels[k - 2]) / (1 - levels[k - 1]));
}
double LowerTheta(std::span<const double> levels, std::span<const double> values) {
  if (levels.size() < 2) return 0;
  return (values[1] - values[0]) / std::log(levels[1] / levels[0]);
}

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

}  // namespace

std::string_view ToString(MaxCapacityBehavior behavior) {
  return behavior == MaxCapacityBehavior::kHonor ? "honor" : "raise";
}
std::string_view ToString(PlanMode mode) {
  return mode == PlanMode::kForecastOnly ? "forecast_only" : "recommend";
}
std::string_view ToString(ActionKind kind) {
  return kind == ActionKind::kScaleOut ? "scale_out" : "scale_in";
}

double QuantileAt(std::span<const double> levels, std::span<const double> values, double p) {
  const std::size_t k = levels.size();
  if (p >= levels[k - 1]) {
    return values[k - 1] + UpperTheta(levels, values) * std::log((1 - levels[k - 1]) / (1 - p));
  }
  if (p <= levels[0]) {
    return std::max(0.0, values[0] - LowerTheta(levels, values) * std::log(levels[0] / p));
  }
  std::size_t j = 0;
  while (levels[j + 1] <= p) ++j;  // levels[j] <= p < levels[j + 1]
  const double t = (Logit(p) - Logit(levels[j])) / (Logit(levels[j + 1]) - Logit(levels[j]));
  return values[j] + t * (values[j + 1] - values[j]);
}

double ExceedanceProbability(std::span<const double> levels, std::span<const double> values,
                             double x) {
  const std::size_t k = levels.size();
  if (x < 0) return 1;
  if (x >= values[k - 1]) {
    const double theta = UpperTheta(levels, values);
    if (x == values[k - 1]) return 1 - levels[k - 1];
    return theta > 0 ? (1 - levels[k - 1]) * std::exp(-(x - values[k - 1]) / theta) : 0.0;
  }
  if (x < values[0]) {
    const double theta = LowerTheta(levels, values);
    return theta > 0 ? 1 - levels[0] * std::exp(-(values[0] - x) / theta) : 1.0;
  }
  std::size_t j = 0;
  while (values[j + 1] <= x) ++j;  // values[j] <= x < values[j + 1], j + 1 < k
  const double t = (x - values[j]) / (values[j + 1] - values[j]);
  return 1 - Logistic(Logit(levels[j]) + t * (Logit(levels[j + 1]) - Logit(levels[j])));
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

Result<CapacityPlan> PlanCapacity(const Forecast& forecast, seconds step,
                                  const CapacityModel& model) {
  if (Status valid = ValidateForecast(forecast, step); !valid) return valid.error();
  const std::size_t n = forecast.points.size();
  if (Status valid = ValidateCapacityModel(model, step * static_cast<std::int64_t>(n)); !valid) {
    return valid.error();
  }
  const std::vector<double>& levels = forecast.quantile_levels;
  const double step_seconds = static_cast<double>(step.count());
  const bool raise = model.max_capacity_behavior == MaxCapacityBehavior::kRaise;

  CapacityPlan plan;
  plan.step = step;
  plan.mode = model.mode;
  plan.buckets.resize(n);
  Context ctx{&forecast, &model, step, std::vector<double>(n)};

  // Steps 1-2: demand at the plan quantile and the units it needs, clamped.
  for (std::size_t i = 0; i < n; ++i) {
    const ForecastPoint& point = forecast.points[i];
    PlanBucket& bucket = plan.buckets[i];
    bucket.ts = point.ts;
    ctx.median[i] = QuantileAt(levels, point.quantiles, 0.5);
    bucket.median_logins_per_second = ctx.median[i] / step_seconds;
    bucket.demand_logins_per_second =
        QuantileAt(levels, point.quantiles, model.quantile) / step_seconds;
    const int needed =
        CeilUnits(bucket.demand_logins_per_second * (1 + model.headroom) / model.unit_capacity);
    bucket.required_units = std::max(needed, model.min_units);
    if (!raise && needed > model.max_units) {
      bucket.required_units = model.max_units;
      bucket.at_risk = true;
      bucket.shortfall_units = needed - model.max_units;
      bucket.shortfall_logins_per_second =
          std::max(0.0, bucket.demand_logins_per_second - model.max_units * model.unit_capacity);
    }
  }

  // Step 3: growth limits. In-service units grow by at most `growth` per step, so a bucket must
  // already hold what the next one needs minus that; the ramp then starts earlier. src[i] is the
  // bucket whose need sets target[i] (it names the reason of the action).
  double growth = kInf;
  if (model.max_step_units) growth = std::min(growth, static_cast<double>(*model.max_step_units));
  if (model.max_units_per_minute) {
    growth = std::min(growth, *model.max_units_per_minute * Minutes(step));
  }
  std::vector<int> target(n);
  std::vector<std::size_t> src(n);
  {
    double next = 0;
    for (std::size_t i = n; i-- > 0;) {
      const double need = plan.buckets[i].required_units;
      const double carried = i + 1 < n ? next - growth : -kInf;
      if (need >= carried) {
        next = need;
        src[i] = i;
      } else {
        next = carried;
        src[i] = src[i + 1];
      }
      target[i] = CeilUnits(next);
    }
  }

  // Step 4: the actions. A scale-in must leave what the next lead_time + min_action_interval
  // need, or a scale-out would follow it within the interval: window_max[i] is the largest target
  // over that window (a sliding maximum).
  const auto look = static_cast<std::size_t>(
      (std::chrono::duration_cast<seconds>(model.lead_time + model.min_action_interval) + step -
       seconds{1}) /
      step);
  std::vector<int> window_max(n);
  {
    std::deque<std::size_t> window;  // indices with decreasing targets
    for (std::size_t i = n; i-- > 0;) {
      while (!window.empty() && target[window.back()] <= target[i]) window.pop_back();
      window.push_back(i);
      while (window.front() > i + look) window.pop_front();
      window_max[i] = target[window.front()];
    }
  }
  const std::vector<Hold> holds = Holds(ctx);
  const auto held = [&](sys_seconds t) {
    return std::any_of(holds.begin(), holds.end(),
                       [&](const Hold& h) { return h.from <= t && t < h.to; });
  };

  const sys_seconds start = forecast.points.front().ts;
  std::vector<int> units(n);
  units[0] = target[0];
  std::vector<std::size_t> ready_index;  // per action: the bucket where it takes effect
  std::vector<int> from_units;           // per action: the units before it
  const auto scale_out_reason = [&](PlanAction& action, std::size_t i) {
    const std::size_t s = src[i];
    if (const std::optional<std::size_t> e = ActingEvent(ctx, s)) {
      const EventForecast& event = forecast.events[*e];
      action.event_id = event.id;
      action.reason =
          EventLabel(event.id) + ": " + SignedHours(plan.buckets[s].ts - event.start) + " h wave";
    } else {
      action.event_id.clear();
      action.reason = "baseline demand rising";
    }
  };
  for (std::size_t i = 1; i < n; ++i) {
    const int current = units[i - 1];
    const sys_seconds ts = plan.buckets[i].ts;
    PlanAction* last = plan.actions.empty() ? nullptr : &plan.actions.back();
    if (target[i] > current) {
      PlanAction action;
      action.kind = ActionKind::kScaleOut;
      action.ready = ts;
      action.at = ts - model.lead_time;
      if (action.at < start) {
        action.at = start;
        action.late = true;
      }
      action.units = target[i];
      scale_out_reason(action, i);
      const bool merge = last != nullptr && last->kind == ActionKind::kScaleOut &&
                         action.at - last->at < model.min_action_interval &&
                         target[i] - from_units.back() <= growth;
      if (merge) {
        // The earlier action brings the larger target: capacity arrives sooner, never later.
        for (std::size_t j = ready_index.back(); j < i; ++j)
          units[j] = std::max(units[j], target[i]);
        last->units = target[i];
        last->reason = std::move(action.reason);
        last->event_id = std::move(action.event_id);
      } else {
        plan.actions.push_back(std::move(action));
        ready_index.push_back(i);
        from_units.push_back(current);
      }
      units[i] = target[i];
    } else if (target[i] < current) {
      const bool allowed =
          !held(ts) && (last == nullptr || ts - last->at >= model.min_action_interval);
      const int shed =
          std::max(1, static_cast<int>(std::floor(model.scale_in_step_fraction * current)));
      const int next = std::max(window_max[i], current - shed);
      if (allowed && next < current) {
        PlanAction action;
        action.kind = ActionKind::kScaleIn;
        action.at = ts;
        action.ready = ts;
        action.units = next;
        action.reason = "demand falling";
        // Name the event whose hold ended since the previous action, if any.
        for (const Hold& hold : holds) {
          if (hold.to <= ts && (last == nullptr || hold.to > last->at)) {
            action.event_id = forecast.events[hold.event].id;
            action.reason = EventLabel(action.event_id) + ": wave over";
          }
        }
        plan.actions.push_back(std::move(action));
        ready_index.push_back(i);
        from_units.push_back(current);
        units[i] = next;
      } else {
        units[i] = current;
      }
    } else {
      units[i] = current;
    }
  }
  if (model.mode == PlanMode::kForecastOnly) plan.actions.clear();

  // Step 5: capacity, p_exceed and the summary.
  PlanSummary& summary = plan.summary;
  summary.effective_max_units = model.max_units;
  for (std::size_t i = 0; i < n; ++i) {
    PlanBucket& bucket = plan.buckets[i];
    bucket.units = units[i];
    bucket.capacity_logins_per_second = units[i] * model.unit_capacity;
    bucket.p_exceed = ExceedanceProbability(levels, forecast.points[i].quantiles,
                                            bucket.capacity_logins_per_second * step_seconds);
    summary.peak_units = std::max(summary.peak_units, units[i]);
    summary.max_p_exceed = std::max(summary.max_p_exceed, bucket.p_exceed);
    if (bucket.at_risk) ++summary.at_risk_buckets;
    if (raise) {
      summary.effective_max_units =
          std::max(summary.effective_max_units, CeilUnits(units[i] * (1 + model.raise_buffer)));
    }
  }
  plan.fallback_units = summary.peak_units;
  const ProvisioningFigures own = Figures(plan.buckets, units, model, step);
  summary.unit_hours = own.unit_hours;
  summary.cost = own.cost;
  summary.under_provisioned_minutes = own.under_provisioned_minutes;
  summary.depth_logins_per_second = own.depth_logins_per_second;
  summary.vs_static = Figures(plan.buckets, std::vector<int>(n, summary.peak_units), model, step);
  const auto lag = static_cast<std::size_t>(
      (std::chrono::duration_cast<seconds>(model.lead_time) + step - seconds{1}) / step);
  std::vector<int> reactive(n);
  for (std::size_t i = 0; i < n; ++i) {
    reactive[i] = plan.buckets[i >= lag ? i - lag : 0].required_units;
  }
  summary.vs_reactive = Figures(plan.buckets, reactive, model, step);
  return plan;
}

Result<PlanBacktest> BacktestPlan(const CapacityPlan& plan, const RegularSeries& actual,
                                  const CapacityModel& model) {
  if (actual.step != plan.step) {
    return Invalid("actual", "step " + std::to_string(actual.step.count()) +
                                 " s differs from the plan's " + std::to_string(plan.step.count()) +
                                 " s");
  }
  if (!(std::isfinite(model.unit_capacity) && model.unit_capacity > 0)) {
    return Invalid("unit_capacity",
                   "must be positive and finite (got " + Number(model.unit_capacity) + ")");
  }
  const double step_seconds = static_cast<double>(plan.step.count());
  const double step_hours = Hours(plan.step);
  // The actual demand in logins per second at `ts`, when `actual` has a value there.
  const auto demand_at = [&](sys_seconds ts) -> std::optional<double> {
    const seconds offset = ts - actual.start;
    if (offset < seconds{0} || offset % actual.step != seconds{0}) return std::nullopt;
    const auto index = static_cast<std::size_t>(offset / actual.step);
    if (index >= actual.size() || RegularSeries::IsMissing(actual.values[index])) {
      return std::nullopt;
    }
    return actual.values[index] / step_seconds;
  };
  const auto needed_units = [&](double demand) {
    return std::max(model.min_units,
                    CeilUnits(demand * (1 + model.headroom) / model.unit_capacity));
  };
  // One way of provisioning, tallied over the compared buckets.
  struct Tally {
    double unit_steps = 0;
    std::size_t covered = 0;
    double under_minutes = 0;
    double depth = 0;
    void Add(int units, double demand, const CapacityModel& m, double step_minutes) {
      unit_steps += units;
      const double gap = demand - units * m.unit_capacity;
      if (gap <= 0) {
        ++covered;
      } else {
        under_minutes += step_minutes;
        depth = std::max(depth, gap);
      }
    }
  };
  Tally own, fixed, reactive;
  double oracle_units = 0;
  const double step_minutes = step_seconds / 60;
  const seconds lag =
      plan.step *
      ((std::chrono::duration_cast<seconds>(model.lead_time) + plan.step - seconds{1}) / plan.step);
  const bool honor = model.max_capacity_behavior == MaxCapacityBehavior::kHonor;
  int reactive_units = plan.buckets.empty() ? 0 : plan.buckets.front().units;
  PlanBacktest result;
  for (const PlanBucket& bucket : plan.buckets) {
    if (const std::optional<double> seen = demand_at(bucket.ts - lag)) {
      reactive_units = needed_units(*seen);
      if (honor) reactive_units = std::min(reactive_units, model.max_units);
    }
    const std::optional<double> demand = demand_at(bucket.ts);
    if (!demand) continue;
    ++result.buckets;
    oracle_units += needed_units(*demand);
    own.Add(bucket.units, *demand, model, step_minutes);
    fixed.Add(plan.fallback_units, *demand, model, step_minutes);
    reactive.Add(reactive_units, *demand, model, step_minutes);
  }
  if (result.buckets == 0) {
    return Unprocessable("actual: no value at any of the plan's " +
                         std::to_string(plan.buckets.size()) + " steps");
  }
  const double count = static_cast<double>(result.buckets);
  const auto ratio = [&](double unit_hours) {
    return result.oracle_unit_hours > 0 ? unit_hours / result.oracle_unit_hours : 0.0;
  };
  result.oracle_unit_hours = oracle_units * step_hours;
  result.covered = own.covered;
  result.coverage = static_cast<double>(own.covered) / count;
  result.under_provisioned_minutes = own.under_minutes;
  result.depth_logins_per_second = own.depth;
  result.plan_unit_hours = own.unit_steps * step_hours;
  result.plan_vs_oracle = ratio(result.plan_unit_hours);
  result.static_unit_hours = fixed.unit_steps * step_hours;
  result.static_coverage = static_cast<double>(fixed.covered) / count;
  result.static_under_provisioned_minutes = fixed.under_minutes;
  result.static_depth_logins_per_second = fixed.depth;
  result.static_vs_oracle = ratio(result.static_unit_hours);
  result.reactive_unit_hours = reactive.unit_steps * step_hours;
  result.reactive_coverage = static_cast<double>(reactive.covered) / count;
  result.reactive_under_provisioned_minutes = reactive.under_minutes;
  result.reactive_depth_logins_per_second = reactive.depth;
  result.reactive_vs_oracle = ratio(result.reactive_unit_hours);
  return result;
}

}  // namespace patchcast::forecasting
