// The telemetry routes: series metadata, point uploads (JSON and CSV), point queries (raw or
// downsampled, JSON or CSV) and point deletion.
//
// A key limited to a series prefix sees only series whose id starts with it; for any other id every
// route answers 404, exactly as for a series that does not exist, so ids do not leak.
#pragma once

#include <chrono>
#include <cstddef>

#include "api/router.h"
#include "core/clock.h"
#include "forecasting/series.h"
#include "forecasting/series_repository.h"

namespace patchcast::api {

struct SeriesLimits {
  // How far past "now" an uploaded timestamp may lie. Default one day.
  std::chrono::seconds future_allowance{std::chrono::hours{24}};
  // Points in one upload; more is 413. Default 5,000,000.
  std::size_t max_points_per_upload = forecasting::kMaxPointsPerRequest;
  // Steps one query may read before downsampling. Default 10,000,000 (19 years of minutes).
  std::size_t max_read_steps = 10'000'000;
};

// Adds GET /v1/series, PUT/GET/DELETE /v1/series/{id} and POST/GET/DELETE /v1/series/{id}/points.
// `repository` and `clock` must outlive `router`.
void AddSeriesRoutes(Router& router, forecasting::SeriesRepository& repository, const Clock& clock,
                     SeriesLimits limits = {});

}  // namespace patchcast::api
