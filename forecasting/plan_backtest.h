// BacktestPlans: the plan backtest of issue 6 — the forecast backtest's replay (backtest.h: as of
// the advance-notice Thursday before each of a series' last N releases, from the data before that
// instant only) carried through to capacity: each replayed forecast is planned with PlanCapacity
// and the plan scored with ScorePlan (plan_score.h) against the demand that came, next to static
// peak provisioning, a reactive autoscaler and an oracle that knew the demand.
//
// Pure and deterministic like ForecastDemand and PlanCapacity: no I/O, no clock. Thread-safe (it
// shares nothing). Value types; thread-compatible.
#pragma once

#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "calendars/event.h"
#include "core/result.h"
#include "forecasting/capacity_plan.h"
#include "forecasting/forecast.h"
#include "forecasting/plan_score.h"
#include "forecasting/regular_series.h"

namespace patchcast::forecasting {

// One replayed plan and its score.
struct PlanBacktestEvent {
  std::string event_id;              // the release, e.g. "microsoft:2026-11-10:release"
  std::chrono::sys_seconds start{};  // the release's start
  std::chrono::sys_seconds as_of{};  // the advance-notice Thursday the plan was made from
  int peak_units = 0;                // the plan's peak (its fallback units)
  std::size_t actions = 0;           // the plan's scaling actions
  PlanScore score;                   // over the plan's buckets that have actual demand
};

struct PlanBacktestSummary {
  // One way of provisioning, over every scored bucket of every event.
  struct Strategy {
    double unit_hours = 0;                 // summed over the events
    double coverage = 0;                   // covered buckets / scored buckets, pooled
    double under_provisioned_minutes = 0;  // summed over the events
    double depth_logins_per_second = 0;    // the largest of the events'
    double vs_oracle = 0;         // unit_hours / oracle_unit_hours (0 when the oracle is 0)
    double median_vs_oracle = 0;  // the median of the events' ratios
  };
  std::size_t events = 0;
  std::size_t buckets = 0;  // scored buckets, summed over the events
  double oracle_unit_hours = 0;
  Strategy plan;
  Strategy static_peak;  // each plan's peak units in every bucket
  Strategy reactive;     // follows the actual demand lead_time late
};

struct PlanBacktestResult {
  std::vector<PlanBacktestEvent> events;  // by start
  PlanBacktestSummary summary;
};

// Replays the plans of the releases BacktestReleases(history, events, options, n_events) picks.
// For each: ForecastDemand(history, events, options) with as_of = AdvanceNoticeThursday(release),
// `horizon`, the quantiles 0.5, 0.9, 0.99 and model.quantile (no what-if, no explanation, events
// included); PlanCapacity(forecast, history.step, model); ScorePlan(plan, history, model).
// ForecastDemand reads only the steps that end by as_of, so each plan is made without the demand
// it is scored on. A release whose plan has no actual value (a gap) is left out.
// Errors:
//  - kInvalidArgument: ValidateCapacityModel(model, horizon)'s, naming the field; n_events == 0;
//  - kUnprocessable: BacktestReleases' "no release in the history has a complete event window
//    …"; "no replayed plan has actual demand to score" when every release is left out;
//  - any ForecastDemand or PlanCapacity error, its message prefixed with the release's id.
// Runs n_events forecasts and plans.
Result<PlanBacktestResult> BacktestPlans(const RegularSeries& history,
                                         std::span<const calendars::Event> events,
                                         const ForecastOptions& options, const CapacityModel& model,
                                         std::size_t n_events, std::chrono::seconds horizon);

}  // namespace patchcast::forecasting
