// JSON <-> series: metadata bodies in, summaries and point lists out. Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/result.h"
#include "forecasting/regular_series.h"
#include "forecasting/series_repository.h"

namespace patchcast::api {

// {"id","step_seconds" (null until known),"unit","description","zone_mix":[{"timezone","share"}],
//  "point_count","first","last" (RFC 3339, null without points),"gaps":{"missing_steps"}}.
nlohmann::json SummaryJson(const forecasting::SeriesSummary& summary);

// Reads a PUT /v1/series/{id} body: optional "step_seconds" (integer), "unit", "description"
// (strings), "zone_mix" (array of {"timezone": string, "share": number}); nothing else. Returns the
// metadata for `id`, validated (ValidateSeriesMetadata), or kInvalidArgument naming the field.
Result<forecasting::SeriesMetadata> ParseSeriesMetadata(const std::string& id,
                                                        const nlohmann::json& body);

// Writes `series` as the body of GET …/points: JSON {"series","step_seconds","agg","points":[[ts,
// value|null],…]} or CSV "ts,value" with an empty value for a gap. Gaps are never zero.
std::string PointsJson(const std::string& id, const forecasting::RegularSeries& series,
                       std::string_view aggregation);
std::string PointsCsv(const forecasting::RegularSeries& series);

}  // namespace patchcast::api
