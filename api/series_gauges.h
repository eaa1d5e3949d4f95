// The per-series gauges GET /metrics exports from stored documents: the units the series' latest
// plan wants now, its age and staleness (forecasting::ReplicasAt, which GET
// /v1/series/{id}/plan/current answers too), and the latest forecast's demand in the step
// containing now.
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
#include "forecasting/plan_in_service.h"

namespace patchcast::api {

// Digests a stored plan document (plan_document.h) into what forecasting::ReplicasAt reads.
// Errors: kInternal when it is not JSON or not a plan document (no buckets, a bucket without a
// valid "ts" or an integer "units", buckets out of order, no valid generated_at or valid_until).
Result<forecasting::PlannedUnits> DigestPlanDocument(std::string_view document);

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
