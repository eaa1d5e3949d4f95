// Kept plans for the tests of the rules about them and of their renderings: a small one at 5-minute
// steps, and hourly ones with given units and actions (the scale-window cases). Tests change what
// they need.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "forecasting/plan_record.h"

namespace patchcast::forecasting::testing {

inline constexpr std::chrono::sys_seconds kPlanStart{
    std::chrono::sys_days{std::chrono::year{2026} / 12 / 8} + std::chrono::hours{16}};

// Three 5-minute buckets from 16:00Z on 2026-12-08 running 2, 4 and 3 units of 25 logins/s (10,
// 20 and 30 logins/s of demand; the second at risk, short of 1 unit), one late scale-out to 4 for
// a release, a fallback of 4, made at 16:00Z and valid until 16:15Z.
inline PlanRecord SamplePlanRecord() {
  using std::chrono::minutes;
  PlanRecord record{.id = "plan-1",
                    .series_id = "demo-login",
                    .forecast_id = "fc-1",
                    .as_of = kPlanStart,
                    .generated_at = kPlanStart,
                    .valid_until = kPlanStart + minutes{15},
                    .quantile = 0.99,
                    .unit_capacity = 25,
                    .plan = {}};
  CapacityPlan& plan = record.plan;
  plan.step = minutes{5};
  const int units[] = {2, 4, 3};
  for (int i = 0; i < 3; ++i) {
    PlanBucket bucket;
    bucket.ts = kPlanStart + minutes{5 * i};
    bucket.demand_logins_per_second = 10.0 * (i + 1);
    bucket.units = units[i];
    bucket.capacity_logins_per_second = 25.0 * units[i];
    bucket.p_exceed = 0.01;
    plan.buckets.push_back(bucket);
  }
  plan.buckets[1].at_risk = true;
  plan.buckets[1].shortfall_units = 1;
  plan.buckets[1].shortfall_logins_per_second = 5;
  PlanAction action;
  action.at = kPlanStart - minutes{10};
  action.ready = kPlanStart + minutes{5};
  action.units = 4;
  action.late = true;
  action.reason = "microsoft 2026-12-08 release: +48 h wave";
  action.event_id = "microsoft:2026-12-08:release";
  plan.actions.push_back(action);
  plan.fallback_units = 4;
  return record;
}

inline constexpr std::chrono::sys_seconds kHourlyStart{
    std::chrono::sys_days{std::chrono::year{2026} / 12 / 8}};

// An hourly plan from 00:00Z on 2026-12-08 with buckets of `units`, 8 logins/s of demand per unit
// and 10 of capacity, and `actions`; made at 23:41:07Z the day before, as of 23:40Z.
inline PlanRecord HourlyPlan(const std::vector<int>& units, std::vector<PlanAction> actions) {
  using std::chrono::hours;
  PlanRecord record{.id = "plan-1",
                    .series_id = "demo-login",
                    .forecast_id = "fc-1",
                    .as_of = kHourlyStart - std::chrono::minutes{20},
                    .generated_at = kHourlyStart - std::chrono::seconds{18 * 60 + 53},
                    .valid_until = kHourlyStart + hours{9},
                    .quantile = 0.99,
                    .unit_capacity = 10,
                    .plan = {}};
  record.plan.step = hours{1};
  for (std::size_t i = 0; i < units.size(); ++i) {
    PlanBucket bucket;
    bucket.ts = kHourlyStart + hours{i};
    bucket.demand_logins_per_second = 8.0 * units[i];
    bucket.units = units[i];
    bucket.capacity_logins_per_second = 10.0 * units[i];
    bucket.p_exceed = 0.001;
    record.plan.buckets.push_back(bucket);
  }
  record.plan.actions = std::move(actions);
  record.plan.fallback_units = 8;
  return record;
}

// An action at whole minutes after kHourlyStart.
inline PlanAction Action(int at_minute, int ready_minute, ActionKind kind, int units,
                         std::string reason, std::string event_id = "", bool late = false) {
  PlanAction action;
  action.at = kHourlyStart + std::chrono::minutes{at_minute};
  action.ready = kHourlyStart + std::chrono::minutes{ready_minute};
  action.kind = kind;
  action.units = units;
  action.late = late;
  action.reason = std::move(reason);
  action.event_id = std::move(event_id);
  return action;
}

// A routine rise to 5 units (the resting level), a release's wave to 8 built and shed around it,
// a routine fall to 3, then an out-of-band release's wave to 9 that lasts to the plan's end.
inline PlanRecord TwoWindowsPlan() {
  constexpr ActionKind kOut = ActionKind::kScaleOut;
  constexpr ActionKind kIn = ActionKind::kScaleIn;
  return HourlyPlan({3, 3, 5, 8, 8, 5, 3, 9, 9},
                    {Action(105, 120, kOut, 5, "baseline demand rising"),
                     Action(165, 180, kOut, 8, "microsoft 2026-12-08 release: +3 h wave",
                            "microsoft:2026-12-08:release"),
                     Action(300, 300, kIn, 5, "microsoft 2026-12-08 release: wave over",
                            "microsoft:2026-12-08:release"),
                     Action(360, 360, kIn, 3, "demand falling"),
                     Action(405, 420, kOut, 9, "microsoft 2026-12-08 out of band: +1 h wave",
                            "microsoft:2026-12-08:out_of_band")});
}

}  // namespace patchcast::forecasting::testing
