// GET /v1/series/{id}/accuracy?from&to (issue 15): the series' forecast scorecards generated in
// [from, to) (default: the last 28 days), each event scored by the forecast in force when it began,
// and rolling summaries: the forecasts whose horizon ended in the last 4 weeks, and the last 12
// events.
#pragma once

#include "api/router.h"
#include "core/clock.h"
#include "forecasting/scorecard_store.h"
#include "forecasting/series_repository.h"

namespace patchcast::api {

struct AccuracyRoutesContext {
  const forecasting::SeriesRepository& series;
  const forecasting::ScorecardStore& scorecards;
  const Clock& clock;
};

// How far back the summaries read: a year of releases, with a month's horizon before it.
inline constexpr std::chrono::days kAccuracyLookback{400};
inline constexpr std::chrono::days kRecentSpan{28};
inline constexpr std::size_t kLastEvents = 12;

// Adds the route. The context's references must outlive `router`.
void AddAccuracyRoutes(Router& router, AccuracyRoutesContext context);

}  // namespace patchcast::api
