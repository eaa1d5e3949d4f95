// What a kept plan puts in service: the replicas a scaler is told at an instant (fresh, stale,
// before and after the plan), the compact view the gauges keep, and the capacity a replay runs.
#include "forecasting/plan_in_service.h"

#include <doctest/doctest.h>

#include "tests/forecasting/plan_record_fixture.h"

namespace patchcast::forecasting {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using testing::kPlanStart;
using testing::SamplePlanRecord;

TEST_CASE("a plan is valid for a day after its as_of, or to its horizon's end when sooner") {
  CHECK(PlanValidUntil(kPlanStart, hours{168}) == kPlanStart + hours{24});
  CHECK(PlanValidUntil(kPlanStart, hours{6}) == kPlanStart + hours{6});
}

TEST_CASE("a fresh plan answers with the units of the bucket containing the instant") {
  const PlanRecord record = SamplePlanRecord();
  const ReplicaReading reading = ReplicasAt(record, kPlanStart + minutes{7});
  CHECK(reading == ReplicaReading{.replicas = 4,
                                  .bucket = kPlanStart + minutes{5},
                                  .age = minutes{7},
                                  .stale_by = seconds{0},
                                  .stale = false});
  CHECK(ReplicasAt(record, kPlanStart).replicas == 2);
  CHECK(ReplicasAt(record, kPlanStart + seconds{299}).replicas == 2);
  CHECK(ReplicasAt(record, kPlanStart + minutes{5}).replicas == 4);
  CHECK(ReplicasAt(record, kPlanStart + minutes{14}).replicas == 3);
}

TEST_CASE("before the plan starts its first bucket answers, at an age never below zero") {
  const ReplicaReading reading = ReplicasAt(SamplePlanRecord(), kPlanStart - hours{1});
  CHECK(reading.replicas == 2);
  CHECK(reading.bucket == kPlanStart);
  CHECK(reading.age == seconds{0});
  CHECK_FALSE(reading.stale);
}

TEST_CASE("after the plan's last bucket the fallback answers, with no bucket") {
  PlanRecord record = SamplePlanRecord();
  record.valid_until = kPlanStart + hours{1};  // still fresh after the buckets end
  record.plan.fallback_units = 6;
  const ReplicaReading reading = ReplicasAt(record, kPlanStart + minutes{15});
  CHECK(reading.replicas == 6);
  CHECK_FALSE(reading.bucket.has_value());
  CHECK_FALSE(reading.stale);
}

TEST_CASE("a stale plan still answers, never below its fallback, and says by how much") {
  PlanRecord record = SamplePlanRecord();
  record.valid_until = kPlanStart + minutes{1};
  SUBCASE("valid through valid_until itself") {
    CHECK_FALSE(ReplicasAt(record, kPlanStart + minutes{1}).stale);
  }
  SUBCASE("a bucket with fewer units than the fallback is raised to it") {
    const ReplicaReading reading = ReplicasAt(record, kPlanStart + minutes{2});
    CHECK(reading.stale);
    CHECK(reading.stale_by == minutes{1});
    CHECK(reading.replicas == 4);  // the bucket runs 2
    CHECK(reading.bucket == kPlanStart);
  }
  SUBCASE("a bucket with more units than the fallback keeps them") {
    record.plan.fallback_units = 3;
    CHECK(ReplicasAt(record, kPlanStart + minutes{6}).replicas == 4);
  }
}

TEST_CASE("a plan without buckets runs its fallback") {
  PlanRecord record = SamplePlanRecord();
  record.plan.buckets.clear();
  const ReplicaReading reading = ReplicasAt(record, kPlanStart);
  CHECK(reading.replicas == 4);
  CHECK_FALSE(reading.bucket.has_value());
}

TEST_CASE("the compact view of a plan answers as the plan does at every instant") {
  const PlanRecord record = SamplePlanRecord();
  const PlannedUnits planned = PlannedUnitsOf(record);
  CHECK(planned.starts == std::vector<std::chrono::sys_seconds>{kPlanStart, kPlanStart + minutes{5},
                                                                kPlanStart + minutes{10}});
  CHECK(planned.units == std::vector<int>{2, 4, 3});
  CHECK(planned.step == minutes{5});
  CHECK(planned.fallback_units == 4);
  for (auto at = kPlanStart - minutes{10}; at < kPlanStart + minutes{40}; at += seconds{30}) {
    CHECK(ReplicasAt(planned, at) == ReplicasAt(record, at));
  }
}

TEST_CASE("the capacity a plan puts in service starts at its first bucket, at its step") {
  const TimedRate capacity = CapacityInService(SamplePlanRecord());
  CHECK(capacity == TimedRate{kPlanStart, {minutes{5}, {50, 100, 75}}});
}

TEST_CASE("a plan's capacity lines up with a demand by timestamp") {
  // 5-minute steps from 16:00 serving 10, 20 and 30 logins per second.
  const TimedRate capacity{kPlanStart, {minutes{5}, {10, 20, 30}}};
  const auto aligned = [&](std::chrono::sys_seconds start, int span_seconds) {
    return AlignCapacity(capacity, start, seconds{span_seconds});
  };
  SUBCASE("same start: as stored") {
    auto same = aligned(kPlanStart, 900);
    CHECK(same.step == minutes{5});
    CHECK(same.per_second == std::vector<double>{10, 20, 30});
  }
  SUBCASE("the demand starts a step later: the plan's first step is in the past") {
    auto later = aligned(kPlanStart + minutes{5}, 900);
    CHECK(later.step == minutes{5});
    CHECK(later.per_second == std::vector<double>{20, 30, 30});  // the last value holds
  }
  SUBCASE("the demand starts a step earlier: the first step holds before the plan") {
    auto earlier = aligned(kPlanStart - minutes{5}, 900);
    CHECK(earlier.per_second == std::vector<double>{10, 10, 20});
  }
  SUBCASE("off the plan's grid: a finer step so that no step straddles two") {
    auto off = aligned(kPlanStart + minutes{2}, 300);
    CHECK(off.step == minutes{1});  // gcd(300 s, 120 s)
    CHECK(off.per_second == std::vector<double>{10, 10, 10, 20, 20});
  }
  SUBCASE("after the plan: its last value") {
    auto after = aligned(kPlanStart + hours{1}, 60);
    CHECK(after.per_second == std::vector<double>{30});
  }
}

}  // namespace
}  // namespace patchcast::forecasting
