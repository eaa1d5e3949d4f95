// A kept plan as CSV: one row a bucket, figures as the plan document writes them.
#include "api/plan_csv.h"

#include <doctest/doctest.h>

#include "tests/forecasting/plan_record_fixture.h"

namespace patchcast::api {
namespace {

TEST_CASE("the CSV of a plan has one row a bucket") {
  forecasting::PlanRecord record = forecasting::testing::SamplePlanRecord();
  record.plan.buckets[2].p_exceed = 0.12345678;  // rounded as in the document
  CHECK(PlanCsv(record) ==
        "ts,demand,units,capacity,p_exceed,at_risk\n"
        "2026-12-08T16:00:00Z,10.0,2,50.0,0.01,false\n"
        "2026-12-08T16:05:00Z,20.0,4,100.0,0.01,true\n"
        "2026-12-08T16:10:00Z,30.0,3,75.0,0.123457,false\n");
}

}  // namespace
}  // namespace patchcast::api
