// PlanRecord: a capacity plan once made and kept (plan_repository.h), so that orchestrators and
// dashboards can act on it later: the plan (capacity_plan.h) with what it was made from and for.
// The rules every reader of a kept plan shares are in plan_in_service.h (the units it runs at an
// instant, the capacity it puts in service) and scale_windows.h (when it runs above rest).
//
// A value; thread-compatible.
#pragma once

#include <algorithm>
#include <chrono>
#include <string>

#include "forecasting/capacity_plan.h"

namespace patchcast::forecasting {

// How long a plan stays fresh after its as_of: a day, since the next release's forecast can move
// within one (planners are run at least daily).
inline constexpr std::chrono::hours kPlanValidity{24};

// as_of + kPlanValidity, or as_of + horizon when sooner: a plan says nothing past its horizon.
constexpr std::chrono::sys_seconds PlanValidUntil(std::chrono::sys_seconds as_of,
                                                  std::chrono::seconds horizon) {
  return as_of + std::min<std::chrono::seconds>(kPlanValidity, horizon);
}

struct PlanRecord {
  std::string id;                           // unique, e.g. "plan-3f0c9a1b2c4d5e6f"
  std::string series_id;                    // the series whose forecast it plans for
  std::string forecast_id;                  // the kept forecast it was made from
  std::chrono::sys_seconds as_of{};         // the forecast's as_of
  std::chrono::sys_seconds generated_at{};  // when it was made
  std::chrono::sys_seconds valid_until{};   // after this instant the plan is stale
  double quantile = 0.99;                   // the demand quantile planned for
  double unit_capacity = 0;                 // logins per second one unit serves
  CapacityPlan plan;

  friend bool operator==(const PlanRecord&, const PlanRecord&) = default;
};

}  // namespace patchcast::forecasting
