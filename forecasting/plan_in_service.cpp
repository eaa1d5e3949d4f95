#include "forecasting/plan_in_service.h"

#include <algorithm>
#include <cstdint>
#include <numeric>

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

RateSeries AlignCapacity(const TimedRate& capacity, std::chrono::sys_seconds start,
                         std::chrono::seconds span) {
  const std::int64_t step = capacity.rate.step.count();
  const std::int64_t offset = (start - capacity.start).count();  // may be negative
  const std::int64_t grid = std::gcd(step, offset);              // step when offset is 0
  const std::int64_t count = std::max<std::int64_t>(1, (span.count() + grid - 1) / grid);
  const auto last = static_cast<std::int64_t>(capacity.rate.per_second.size()) - 1;
  RateSeries aligned{std::chrono::seconds{grid}, {}};
  aligned.per_second.reserve(static_cast<std::size_t>(count));
  for (std::int64_t i = 0; i < count; ++i) {
    const std::int64_t t = offset + i * grid;  // seconds from the capacity's start
    // Floor division: t < 0 is before the first step.
    const std::int64_t index = t >= 0 ? t / step : -((-t + step - 1) / step);
    aligned.per_second.push_back(
        capacity.rate
            .per_second[static_cast<std::size_t>(std::clamp<std::int64_t>(index, 0, last))]);
  }
  return aligned;
}

}  // namespace patchcast::forecasting
