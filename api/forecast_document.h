// The forecast document: a kept forecast (forecasting::ForecastRecord) as JSON, and back. It is
// what POST /v1/series/{id}/forecast and GET /v1/forecasts/{id} answer and what storage keeps.
//
// Formats. Documents kept before what-if forecasts (2026-12-04) have no "hypothetical" (read as
// false), and the first ones no event "observed_share" (read as 0); ReadForecastDocument reads
// them all, and a change to the format must keep reading the old ones.
//
// Values are rounded as the API shows them (counts to 0.01, observed_share to 0.001), and an
// explanation's uplifts come back in order of event id (a JSON object's order). So
// ReadForecastDocument(ForecastDocument(r)) equals r once those are rounded and ordered, and
// ForecastDocument(ReadForecastDocument(d)) is d. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.h"
#include "forecasting/forecast_record.h"

namespace patchcast::api {

// {"id","series","as_of","generated_at","step_seconds","hypothetical","quantiles":[…],
//  "points":[{"ts","baseline","p50","p90","p99"(,"explain":{"baseline","uplift":{id:v},
//  "severity"})}],"events":[{"id","calendar","kind","start","peak":{"ts","p50",…,"window":{"p10",
//  "p90"}},"lift_p50","magnitude","observed_share","prior_weight","events_used"}],"model":{"kind",
//  "events_used","prior_weight","history_from","history_to"}}; the quantile members are named by
// QuantileKey (forecast_json.h).
nlohmann::json ForecastDocument(const forecasting::ForecastRecord& record);

// Reads the text of a forecast document (ForecastDocument's, or an older format's). Errors:
// kInternal "stored forecast document 'fc-1': point 3 has no 'p99'" and the like: not JSON, a
// member missing or of the wrong type, quantile levels not ascending in (0, 1), an unknown event
// or model kind, a step below 1 s, points out of order.
Result<forecasting::ForecastRecord> ReadForecastDocument(std::string_view text);

// "ts,baseline,p50,p90,p99" (the record's levels) then one row a point, each value as the
// document writes it.
std::string ForecastCsv(const forecasting::ForecastRecord& record);

}  // namespace patchcast::api
