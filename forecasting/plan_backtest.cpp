#include "forecasting/plan_backtest.h"

#include <algorithm>

#include "forecasting/backtest.h"
#include "forecasting/robust_stats.h"

namespace patchcast::forecasting {
namespace {

Error Prefixed(const std::string& event_id, Error error) {
  error.message = event_id + ": " + error.message;
  return error;
}

double Median(std::vector<double> values) { return values.empty() ? 0 : MedianInPlace(values); }

// Pools one strategy's per-event figures: `covered` is its covered-bucket count per event.
struct StrategyInputs {
  std::vector<double> unit_hours;
  std::vector<double> coverage;
  std::vector<double> under_minutes;
  std::vector<double> depth;
  std::vector<double> vs_oracle;
};

PlanBacktestSummary::Strategy Pool(const StrategyInputs& in, const std::vector<double>& buckets,
                                   double oracle_unit_hours) {
  PlanBacktestSummary::Strategy out;
  double covered = 0;
  double scored = 0;
  for (std::size_t e = 0; e < buckets.size(); ++e) {
    out.unit_hours += in.unit_hours[e];
    covered += in.coverage[e] * buckets[e];
    scored += buckets[e];
    out.under_provisioned_minutes += in.under_minutes[e];
    out.depth_logins_per_second = std::max(out.depth_logins_per_second, in.depth[e]);
  }
  out.coverage = scored > 0 ? covered / scored : 0;
  out.vs_oracle = oracle_unit_hours > 0 ? out.unit_hours / oracle_unit_hours : 0;
  out.median_vs_oracle = Median(in.vs_oracle);
  return out;
}

PlanBacktestSummary Summarize(const std::vector<PlanBacktestEvent>& events) {
  PlanBacktestSummary summary;
  summary.events = events.size();
  std::vector<double> buckets;
  StrategyInputs plan, fixed, reactive;
  for (const PlanBacktestEvent& event : events) {
    const PlanScore& s = event.score;
    summary.buckets += s.buckets;
    summary.oracle_unit_hours += s.oracle_unit_hours;
    buckets.push_back(static_cast<double>(s.buckets));
    plan.unit_hours.push_back(s.plan_unit_hours);
    plan.coverage.push_back(s.coverage);
    plan.under_minutes.push_back(s.under_provisioned_minutes);
    plan.depth.push_back(s.depth_logins_per_second);
    plan.vs_oracle.push_back(s.plan_vs_oracle);
    fixed.unit_hours.push_back(s.static_unit_hours);
    fixed.coverage.push_back(s.static_coverage);
    fixed.under_minutes.push_back(s.static_under_provisioned_minutes);
    fixed.depth.push_back(s.static_depth_logins_per_second);
    fixed.vs_oracle.push_back(s.static_vs_oracle);
    reactive.unit_hours.push_back(s.reactive_unit_hours);
    reactive.coverage.push_back(s.reactive_coverage);
    reactive.under_minutes.push_back(s.reactive_under_provisioned_minutes);
    reactive.depth.push_back(s.reactive_depth_logins_per_second);
    reactive.vs_oracle.push_back(s.reactive_vs_oracle);
  }
  summary.plan = Pool(plan, buckets, summary.oracle_unit_hours);
  summary.static_peak = Pool(fixed, buckets, summary.oracle_unit_hours);
  summary.reactive = Pool(reactive, buckets, summary.oracle_unit_hours);
  return summary;
}

}  // namespace

Result<PlanBacktestResult> BacktestPlans(const RegularSeries& history,
                                         std::span<const calendars::Event> events,
                                         const ForecastOptions& options, const CapacityModel& model,
                                         std::size_t n_events, std::chrono::seconds horizon) {
  if (Status valid = ValidateCapacityModel(model, horizon); !valid) return valid.error();
  auto releases = BacktestReleases(history, events, options, n_events);
  if (!releases) return releases.error();

  ForecastOptions run = options;
  run.quantiles = {0.5, 0.9, 0.99, model.quantile};
  std::sort(run.quantiles.begin(), run.quantiles.end());
  run.quantiles.erase(std::unique(run.quantiles.begin(), run.quantiles.end()), run.quantiles.end());
  run.what_if.clear();
  run.explain = false;
  run.baseline_only = false;
  run.horizon = horizon;

  PlanBacktestResult result;
  for (const calendars::Event* release : *releases) {
    PlanBacktestEvent event;
    event.event_id = release->Id();
    event.start = release->start;
    event.as_of = AdvanceNoticeThursday(*release);
    run.as_of = event.as_of;
    Result<Forecast> forecast = ForecastDemand(history, events, run);
    if (!forecast) return Prefixed(event.event_id, std::move(forecast).error());
    Result<CapacityPlan> plan = PlanCapacity(*forecast, history.step, model);
    if (!plan) return Prefixed(event.event_id, std::move(plan).error());
    Result<PlanScore> score = ScorePlan(*plan, history, model);
    if (!score) {
      if (score.error().code == ErrorCode::kUnprocessable) continue;  // a gap: nothing to score
      return Prefixed(event.event_id, std::move(score).error());
    }
    event.peak_units = plan->fallback_units;
    event.actions = plan->actions.size();
    event.score = *score;
    result.events.push_back(std::move(event));
  }
  if (result.events.empty()) return Unprocessable("no replayed plan has actual demand to score");
  result.summary = Summarize(result.events);
  return result;
}

}  // namespace patchcast::forecasting
