// What a kept plan (plan_record.h) puts in service: the units at an instant, as a scaler is told
// them (GET …/plan/current, the /metrics gauges), and the capacity over its span, as a simulation
// replays it (aligned to the demand it meets). One rule for every reader, so that KEDA, the gauges
// and a replay never disagree.
//
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "forecasting/login_storm.h"
#include "forecasting/plan_record.h"

namespace patchcast::forecasting {

struct ReplicaReading {
  // The units of the bucket containing the instant; the first bucket's before the plan starts;
  // fallback_units after it ends (or when it has no bucket). Never below fallback_units once the
  // plan is stale: a stale plan may have missed a surge, and its fallback covers any step.
  int replicas = 0;
  // The start of the bucket that answered; nullopt when fallback_units did (after the plan's end).
  std::optional<std::chrono::sys_seconds> bucket;
  std::chrono::seconds age{};       // since generated_at; 0 before it (clock skew)
  std::chrono::seconds stale_by{};  // since valid_until; 0 while fresh
  bool stale = false;               // the instant is after valid_until

  friend bool operator==(const ReplicaReading&, const ReplicaReading&) = default;
};

// The units a kept plan runs, bucket by bucket, with what ReplicasAt reads besides: a compact view
// of a PlanRecord (12 bytes a bucket instead of its 80) for readers that keep many plans at hand,
// such as the /metrics gauges.
struct PlannedUnits {
  std::chrono::sys_seconds generated_at{};
  std::chrono::sys_seconds valid_until{};
  std::chrono::seconds step{300};
  int fallback_units = 0;
  std::vector<std::chrono::sys_seconds> starts;  // each bucket's ts, ascending
  std::vector<int> units;                        // each bucket's units; as many as starts

  friend bool operator==(const PlannedUnits&, const PlannedUnits&) = default;
};

PlannedUnits PlannedUnitsOf(const PlanRecord& record);

// The units the plan runs at `now`, as above. The starts must be ascending (as PlanCapacity makes
// a plan's buckets); O(log buckets).
ReplicaReading ReplicasAt(const PlannedUnits& plan, std::chrono::sys_seconds now);
ReplicaReading ReplicasAt(const PlanRecord& record, std::chrono::sys_seconds now);

// The capacity `record` puts in service: each bucket's capacity, at the plan's step, from its
// first bucket's start (an empty rate for a plan without buckets).
TimedRate CapacityInService(const PlanRecord& record);

// `capacity` as seen from `start` for `span` seconds: value i holds on [start + i x step, start +
// (i + 1) x step). Before the capacity's first step its first value holds, after its last step its
// last value (as ReplicasAt answers before and after a plan). The step is the greatest
// common divisor of capacity's step and the offset between the starts, so no step straddles two of
// capacity's (the capacity's own step when the starts share its grid). Preconditions:
// capacity.rate.per_second is not empty, its step >= 1 s, span >= 1 s.
RateSeries AlignCapacity(const TimedRate& capacity, std::chrono::sys_seconds start,
                         std::chrono::seconds span);

}  // namespace patchcast::forecasting
