// The KEDA metrics-api answer: forecasting::ReplicasAt's reading of a kept plan, as JSON.
#include "api/replicas_json.h"

#include <doctest/doctest.h>

#include "tests/forecasting/plan_record_fixture.h"

namespace patchcast::api {
namespace {

using forecasting::testing::kPlanStart;
using forecasting::testing::SamplePlanRecord;
using nlohmann::json;
using std::chrono::minutes;

TEST_CASE("a fresh plan's answer names the bucket, the plan and its age") {
  const forecasting::PlannedUnits plan = forecasting::PlannedUnitsOf(SamplePlanRecord());
  const auto at = kPlanStart + minutes{7};
  CHECK(ReplicasJson("plan-1", plan, forecasting::ReplicasAt(plan, at)) ==
        json{{"replicas", 4},
             {"at", "2026-12-08T16:05:00Z"},
             {"plan_id", "plan-1"},
             {"age_seconds", 420},
             {"stale_seconds", 0},
             {"fallback_replicas", 4},
             {"stale", false}});
}

TEST_CASE("after the plan's end the answer has no bucket, and a stale one says by how much") {
  const forecasting::PlannedUnits plan = forecasting::PlannedUnitsOf(SamplePlanRecord());
  const json answer =
      ReplicasJson("plan-1", plan, forecasting::ReplicasAt(plan, kPlanStart + minutes{75}));
  CHECK(answer["at"].is_null());
  CHECK(answer["stale"] == true);
  CHECK(answer["stale_seconds"] == 3600);
  CHECK(answer["replicas"] == 4);
}

}  // namespace
}  // namespace patchcast::api
