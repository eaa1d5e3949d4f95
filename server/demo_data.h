// Demo data: a generated year of login telemetry for a `demo-login` series, so that a newcomer
// running `./scripts/run.sh --demo` sees a real forecast at once.
#pragma once

#include <chrono>

#include "core/result.h"
#include "forecasting/calendar_catalog.h"
#include "forecasting/series_repository.h"

namespace patchcast::server {

inline constexpr const char* kDemoSeriesId = "demo-login";

// Writes a year of 5-minute synthetic logins ending at `end` floored to the hour (several regions,
// daily and weekly cycles, reboot surges after every Microsoft release in that year) into series
// `demo-login`, unless it already holds points. Returns true if it wrote the data. The data
// depends on `end` alone, never on the clock. Errors: the repository's.
Result<bool> LoadDemoData(forecasting::SeriesRepository& series,
                          const forecasting::CalendarCatalog& calendars,
                          std::chrono::sys_seconds end);

}  // namespace patchcast::server
