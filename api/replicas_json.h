// The KEDA metrics-api answer of GET /v1/series/{id}/plan/current: what a kept plan wants in
// service at an instant (forecasting::ReplicasAt), as JSON. Pure function; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "forecasting/plan_in_service.h"

namespace patchcast::api {

// {"replicas","at","plan_id","age_seconds","stale_seconds","fallback_replicas","stale"} for
// `reading` of plan `plan_id`: "at" is the start of the bucket that answered (null after the
// plan's end), "fallback_replicas" the plan's fallback_units, the rest as `reading` has them.
nlohmann::json ReplicasJson(std::string_view plan_id, const forecasting::PlannedUnits& plan,
                            const forecasting::ReplicaReading& reading);

}  // namespace patchcast::api
