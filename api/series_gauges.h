// The per-series gauges GET /metrics exports from stored documents: the units the series' latest
// plan wants now, its age and staleness (forecasting::ReplicasAt, which GET
// /v1/series/{id}/plan/current answers too), and the latest forecast's demand in the step
// containing now.
//
// A stored document is hundreds of kilobytes and /metrics is scraped every 15 s, so a document is
// digested once into the little the gauges need (a stored id never changes its document) and the
// gauges at each scrape come from the digest in microseconds. The digests are the domain's compact
// views of a plan and a forecast (forecasting/plan_in_service.h, forecast_in_service.h), which
// hold the rules. Pure functions; thread-safe. The digests are immutable values, cheap to share
// between threads.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "forecasting/forecast_in_service.h"
#include "forecasting/plan_in_service.h"

namespace patchcast::api {

// Digests a stored plan document (plan_document.h) into what forecasting::ReplicasAt reads.
// Errors: kInternal when it is not JSON or not a plan document (no buckets, a bucket without a
// valid "ts" or an integer "units", buckets out of order, no valid generated_at or valid_until).
Result<forecasting::PlannedUnits> DigestPlanDocument(std::string_view document);

// Digests a stored forecast document (forecast_json.h) into what forecasting::ValuesAt and
// DemandRate read. Errors: kInternal when it is not JSON or not a forecast document (no quantiles
// or points, a point without a valid "ts" or without a number for one of the quantiles, points
// out of order, a step below 1 s).
Result<forecasting::ForecastQuantiles> DigestForecastDocument(std::string_view document);

}  // namespace patchcast::api
