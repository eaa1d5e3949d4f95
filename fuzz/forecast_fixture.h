// ForecastFixture: a ForecastService over one in-memory series, "logins", with three weeks of
// hourly logins (a daily cycle) up to 2026-11-17T00:00:00Z and the built-in calendars, so that the
// forecast and plan targets run the requests they parse. Build it once per process (it is not
// cheap) and share it read-only; not movable.
#pragma once

#include <chrono>
#include <cmath>
#include <memory>
#include <numbers>
#include <string>
#include <vector>

#include "forecasting/calendar_catalog.h"
#include "forecasting/forecast_service.h"
#include "fuzz/fuzz_support.h"
#include "tests/support/in_memory_calendar_repository.h"
#include "tests/support/in_memory_series_repository.h"

namespace patchcast::fuzz {

struct ForecastFixture {
  static constexpr const char* kSeriesId = "logins";

  testing::InMemoryCalendarRepository calendar_repository;
  std::unique_ptr<forecasting::CalendarCatalog> calendars =
      std::move(*forecasting::CalendarCatalog::Open(calendar_repository, testing::SequentialIds{}));
  testing::InMemorySeriesRepository series;
  forecasting::ForecastService service{series, *calendars};

  ForecastFixture() {
    constexpr int kHours = 21 * 24;
    const std::chrono::sys_seconds end{date::sys_days{date::year{2026} / 11 / 17}};
    std::vector<forecasting::Point> points;
    for (int hour = 0; hour < kHours; ++hour) {
      const double phase = 2 * std::numbers::pi * (hour % 24) / 24.0;
      points.push_back({end - std::chrono::hours{kHours - hour}, 7200 - 3600 * std::cos(phase)});
    }
    const forecasting::SeriesMetadata metadata{kSeriesId, std::chrono::hours{1}, "logins", "", {}};
    Expect(series.WritePoints(metadata, points, forecasting::OnConflict::kReplace).has_value(),
           "the fixture's series is stored");
  }
  ForecastFixture(const ForecastFixture&) = delete;
  ForecastFixture& operator=(const ForecastFixture&) = delete;
};

}  // namespace patchcast::fuzz
