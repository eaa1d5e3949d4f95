// InMemoryPlanRepository: forecasting::PlanRepository over a vector, for api tests. Thread-safe.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
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
  // The newest generated_at; the later Save on a tie (as SQLite's seq orders them).
  Result<forecasting::StoredPlan> Latest(std::string_view series_id) const override {
    std::lock_guard lock(mutex_);
    const forecasting::StoredPlan* latest = nullptr;
    for (const auto& plan : stored_) {
      if (plan.series_id == series_id && (!latest || plan.generated_at >= latest->generated_at)) {
        latest = &plan;
      }
    }
    if (!latest)
      return NotFound("no plan has been made for series '" + std::string(series_id) + "' yet");
    return *latest;
  }
  // Newest generated_at first; the later Save first on a tie.
  Result<std::vector<forecasting::StoredPlan>> ForSeries(
      std::string_view series_id) const override {
    std::lock_guard lock(mutex_);
    std::vector<forecasting::StoredPlan> out;
    for (auto it = stored_.rbegin(); it != stored_.rend(); ++it) {
      if (it->series_id == series_id) out.push_back(*it);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.generated_at > b.generated_at; });
    return out;
  }
  Result<std::vector<forecasting::StoredPlan>> LatestPerSeries(
      forecasting::WithDocuments documents) const override {
    std::lock_guard lock(mutex_);
    std::map<std::string, const forecasting::StoredPlan*> latest;
    for (const auto& plan : stored_) {
      const forecasting::StoredPlan*& slot = latest[plan.series_id];
      if (!slot || plan.generated_at >= slot->generated_at) slot = &plan;
    }
    std::vector<forecasting::StoredPlan> out;
    for (const auto& [series_id, plan] : latest) {
      out.push_back(*plan);
      if (documents == forecasting::WithDocuments::kNo) out.back().document.clear();
    }
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<forecasting::StoredPlan> stored_;
};

}  // namespace patchcast::testing
