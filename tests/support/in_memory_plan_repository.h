// InMemoryPlanRepository: forecasting::PlanRepository over a vector, for api tests. Thread-safe.
#pragma once

#include <mutex>
#include <vector>

#include "forecasting/plan_repository.h"

namespace patchcast::testing {

class InMemoryPlanRepository : public forecasting::PlanRepository {
 public:
  Status Save(const forecasting::StoredPlan& plan) override {
    std::lock_guard lock(mutex_);
    stored_.push_back(plan);
    return {};
  }
  Result<forecasting::StoredPlan> Get(std::string_view id) const override {
    std::lock_guard lock(mutex_);
    for (const auto& plan : stored_) {
      if (plan.id == id) return plan;
    }
    return NotFound("plan '" + std::string(id) + "' does not exist");
  }
  Result<forecasting::StoredPlan> Latest(std::string_view series_id) const override {
    std::lock_guard lock(mutex_);
    for (auto it = stored_.rbegin(); it != stored_.rend(); ++it) {
      if (it->series_id == series_id) return *it;
    }
    return NotFound("no plan is stored for series '" + std::string(series_id) + "'");
  }

 private:
  mutable std::mutex mutex_;
  std::vector<forecasting::StoredPlan> stored_;
};

}  // namespace patchcast::testing
