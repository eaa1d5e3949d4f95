// PlanRepository: the storage port for capacity plans once made (capacity_plan.h), so that
// orchestrators (KEDA, AWS scheduled actions) can fetch the latest one without recomputing it.
//
// Storage keeps the plan as the API rendered it (a document, opaque here) with the keys to find it
// again; it prunes a series' oldest plans beyond a retention count. Implementations must be
// thread-safe; Save is durable when it returns success.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "forecasting/stored_documents.h"

namespace patchcast::forecasting {

struct StoredPlan {
  std::string id;         // unique, e.g. "plan-3f0c9a1b2c4d5e6f"
  std::string series_id;  // the series whose forecast it plans for
  std::chrono::sys_seconds generated_at{};
  std::chrono::sys_seconds valid_until{};  // after this instant the plan is stale
  std::string document;                    // the rendered plan
};

class PlanRepository {
 public:
  virtual ~PlanRepository() = default;

  // Stores `plan`, then deletes the series' oldest plans beyond the retention count.
  // Errors: kNotFound when the series does not exist; kConflict for a duplicate id; store errors.
  virtual Status Save(const StoredPlan& plan) = 0;

  // Returns plan `id`, or kNotFound "plan 'x' does not exist".
  virtual Result<StoredPlan> Get(std::string_view id) const = 0;

  // Returns the most recently generated plan of `series_id`; kNotFound "series 'x' does not exist"
  // for an unknown series, or "no plan has been made for series 'x' yet".
  virtual Result<StoredPlan> Latest(std::string_view series_id) const = 0;

  // Returns every stored plan of `series_id`, newest first (in Latest's order); empty when the
  // series has no plan or does not exist. Errors: store errors.
  virtual Result<std::vector<StoredPlan>> ForSeries(std::string_view series_id) const = 0;

  // Returns, for every series that has a plan, the one Latest would return, in ascending order of
  // series id; empty when no plan is stored. With WithDocuments::kNo the documents are left empty
  // (the other fields are set). One query however many series; errors: store errors.
  virtual Result<std::vector<StoredPlan>> LatestPerSeries(WithDocuments documents) const = 0;
};

}  // namespace patchcast::forecasting
