// The synthetic telemetry that forecast_bench, forecast_export and plan_bench share, set up once:
// the real Microsoft calendar's releases and out-of-band releases around the span, and
// GenerateSyntheticTelemetry with the benches' seed and, optionally, their incidents (two dips, a
// spike and a gap). So the peers' export is the data forecast_bench scores, by construction.
#pragma once

#include <chrono>
#include <vector>

#include "calendars/calendar_registry.h"
#include "calendars/event.h"
#include "core/result.h"
#include "forecasting/regular_series.h"
#include "forecasting/series.h"
#include "forecasting/synthetic_telemetry.h"

namespace patchcast::bench {

struct BenchTelemetryOptions {
  std::chrono::seconds step{3600};
  std::chrono::sys_seconds start{};
  std::chrono::sys_seconds end{};
  // The incidents of forecast_bench: a dip, a spike and a dip (inside and outside event windows)
  // and a five-hour gap, all in 2013.
  bool incidents = true;
  bool annotate = false;      // draw month-to-month severity and restart (SyntheticOptions)
  double size_log_sd = 0.08;  // unexplained month-to-month size
};

struct BenchTelemetry {
  forecasting::SyntheticTelemetry telemetry;
  std::vector<calendars::Event> events;       // as the forecast should see them: annotations drawn
  std::vector<forecasting::ZoneShare> zones;  // the regions' zones and shares
};

// Errors: the calendar's or the generator's.
Result<BenchTelemetry> MakeBenchTelemetry(const calendars::CalendarRegistry& registry,
                                          const BenchTelemetryOptions& options);

}  // namespace patchcast::bench
