#include "forecasting/plan_in_service.h"

#include <algorithm>

namespace patchcast::forecasting {

PlannedUnits PlannedUnitsOf(const PlanRecord& record) {
  PlannedUnits planned{record.generated_at,
                       record.valid_until,
                       record.plan.step,
                       record.plan.fallback_units,
                       {},
                       {}};
  planned.starts.reserve(record.plan.buckets.size());
  planned.units.reserve(record.plan.buckets.size());
  for (const PlanBucket& bucket : record.plan.buckets) {
    planned.starts.push_back(bucket.ts);
    planned.units.push_back(bucket.units);
  }
  return planned;
}

ReplicaReading ReplicasAt(const PlannedUnits& plan, std::chrono::sys_seconds now) {
  ReplicaReading reading;
  reading.age = std::max(std::chrono::seconds{0}, now - plan.generated_at);
  reading.stale_by = std::max(std::chrono::seconds{0}, now - plan.valid_until);
  reading.stale = now > plan.valid_until;
  reading.replicas = plan.fallback_units;
  if (!plan.starts.empty()) {
    // The last bucket starting at or before now; the first one before the plan starts.
    const auto after = std::upper_bound(plan.starts.begin(), plan.starts.end(), now);
    const std::size_t current = after == plan.starts.begin()
                                    ? 0
                                    : static_cast<std::size_t>(after - plan.starts.begin()) - 1;
    if (now < plan.starts[current] + plan.step) {
      reading.replicas = plan.units[current];
      reading.bucket = plan.starts[current];
    }
  }
  if (reading.stale) reading.replicas = std::max(reading.replicas, plan.fallback_units);
  return reading;
}

ReplicaReading ReplicasAt(const PlanRecord& record, std::chrono::sys_seconds now) {
  return ReplicasAt(PlannedUnitsOf(record), now);
}

TimedRate CapacityInService(const PlanRecord& record) {
  const CapacityPlan& plan = record.plan;
  TimedRate capacity{plan.buckets.empty() ? record.as_of : plan.buckets.front().ts,
                     {plan.step, {}}};
  capacity.rate.per_second.reserve(plan.buckets.size());
  for (const PlanBucket& bucket : plan.buckets) {
    capacity.rate.per_second.push_back(bucket.capacity_logins_per_second);
  }
  return capacity;
}

}  // namespace patchcast::forecasting
