#include "api/replicas_json.h"

#include "api/timestamp_format.h"

namespace patchcast::api {

nlohmann::json ReplicasJson(std::string_view plan_id, const forecasting::PlannedUnits& plan,
                            const forecasting::ReplicaReading& reading) {
  using nlohmann::json;
  return json{{"replicas", reading.replicas},
              {"at", reading.bucket ? json(FormatRfc3339(*reading.bucket)) : json(nullptr)},
              {"plan_id", plan_id},
              {"age_seconds", reading.age.count()},
              {"stale_seconds", reading.stale_by.count()},
              {"fallback_replicas", plan.fallback_units},
              {"stale", reading.stale}};
}

}  // namespace patchcast::api
