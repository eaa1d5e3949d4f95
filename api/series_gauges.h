// The per-series gauges GET /metrics exports from stored documents: the units the series' latest
// plan wants now, its age and staleness (the KEDA answer of GET /v1/series/{id}/plan/current, as
// gauges), and the latest forecast's demand in the step containing now.
//
// A stored document is hundreds of kilobytes and /metrics is scraped every 15 s, so a document is
// digested once into the little the gauges need (a stored id never changes its document) and the
// gauges at each scrape come from the digest in microseconds. Pure functions; thread-safe. The
// digests are immutable values, cheap to share between threads.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace patchcast::api {

// What CurrentReplicas (plan_json.h) reads of a stored plan document.
struct PlanDigest {
  std::string id;
  std::chrono::sys_seconds generated_at{};
  std::chrono::sys_seconds valid_until{};
  std::chrono::seconds step{300};
  int fallback_units = 0;
  std::vector<std::chrono::sys_seconds> bucket_starts;  // ascending, as stored
  std::vector<int> bucket_units;                        // same size as bucket_starts
};

// Digests a stored plan document (PlanJson's text). Errors: kInternal when it is not JSON or not a
// plan document (no buckets, a bucket without a valid "ts" or an integer "units", buckets out of
// order).
Result<PlanDigest> DigestPlanDocument(std::string_view document);

struct PlanGauges {
  int planned_units = 0;       // CurrentReplicas' "replicas": never below fallback when stale
  std::chrono::seconds age{};  // now - generated_at; 0 for a plan from the future (clock skew)
  bool stale = false;          // now is after valid_until
};

// The gauges of the digested plan at `now`: exactly what CurrentReplicas answers for the whole
// document at `now` (the units of the bucket containing now; the first bucket's before the plan
// starts; fallback_units after it ends; never below fallback_units once stale). Errors: kInternal
// for a digest with no buckets.
Result<PlanGauges> PlanGaugesAt(const PlanDigest& digest, std::chrono::sys_seconds now);

// What the demand gauges read of a stored forecast document.
struct ForecastDigest {
  std::string id;
  std::chrono::seconds step{60};
  std::vector<double> levels;                          // the document's quantile levels, ascending
  std::vector<std::chrono::sys_seconds> point_starts;  // ascending, as stored
  std::vector<double> values;  // point-major: values[i * levels.size() + q], logins per step
};

// Digests a stored forecast document (ForecastJson's text). Errors: kInternal when it is not JSON
// or not a forecast document (no quantiles or points, a point without a valid "ts" or without a
// number for one of the quantiles, points out of order, a step below 1 s).
Result<ForecastDigest> DigestForecastDocument(std::string_view document);

struct DemandGauge {
  double quantile = 0;         // a level of the forecast, e.g. 0.99
  double logins_per_step = 0;  // the forecast's value: a count per step_seconds, not a rate
};

// The forecast's values in the step containing `now` ([ts, ts + step) of one of its points), one
// per quantile level in ascending order; empty when no step contains now (before the forecast
// starts or after it ends).
std::vector<DemandGauge> ForecastDemandAt(const ForecastDigest& digest,
                                          std::chrono::sys_seconds now);

}  // namespace patchcast::api
