// What copying and verifying a database both walk: all of a kept history, however old or new,
// and a series' points one bounded window of steps at a time, so a series of any length costs the
// memory of one window.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <limits>

#include "core/result.h"
#include "forecasting/regular_series.h"
#include "forecasting/series_repository.h"

namespace patchcast::server {

// The widest instant range the run, scorecard and alert logs can be asked for.
inline constexpr std::chrono::sys_seconds kEarliestKept{
    std::chrono::seconds{std::numeric_limits<std::int64_t>::min()}};
inline constexpr std::chrono::sys_seconds kLatestKept{
    std::chrono::seconds{std::numeric_limits<std::int64_t>::max()}};

// As many as any log keeps per series (their own retention counts are far lower).
inline constexpr std::size_t kAllRows = std::numeric_limits<std::size_t>::max();

// Steps read at once: 45 days of minutes, 512 KiB of values.
inline constexpr std::size_t kStepsPerWindow = 1 << 16;

// Calls `visit` with each window of `series`' steps from its first point to its last, in order,
// NaN where no point is stored, and stops at the first error (the repository's or `visit`'s). A
// series without points has no window.
Status ForEachPointWindow(const forecasting::SeriesRepository& repository,
                          const forecasting::SeriesSummary& series,
                          const std::function<Status(const forecasting::RegularSeries&)>& visit);

}  // namespace patchcast::server
