#include "server/demo_data.h"

#include <cmath>

#include "forecasting/synthetic_telemetry.h"

namespace patchcast::server {

Result<bool> LoadDemoData(forecasting::SeriesRepository& series,
                          const forecasting::CalendarCatalog& calendars,
                          std::chrono::sys_seconds end) {
  auto existing = series.GetSeries(kDemoSeriesId);
  if (existing && existing->point_count > 0) return false;

  forecasting::SyntheticOptions options;
  options.step = std::chrono::minutes{5};
  options.end = std::chrono::floor<std::chrono::hours>(end);
  options.start = options.end - std::chrono::days{365};
  const auto snapshot = calendars.Snapshot();
  const std::vector<std::string> microsoft = {"microsoft"};
  auto events = snapshot->registry.Events(
      microsoft, calendars::TimeRange{options.start - std::chrono::days{8}, options.end});
  if (!events) return events.error();
  auto telemetry = forecasting::GenerateSyntheticTelemetry(options, *events);
  if (!telemetry) return telemetry.error();

  const forecasting::SeriesMetadata metadata{
      kDemoSeriesId, options.step, "logins",
      "Generated demo telemetry: four regions, reboot surges after each Patch Tuesday",
      options.regions};
  if (auto put = series.PutSeries(metadata); !put) return put.error();
  std::vector<forecasting::Point> points;
  points.reserve(telemetry->series.size());
  for (std::size_t i = 0; i < telemetry->series.size(); ++i) {
    const double value = telemetry->series.values[i];
    if (!std::isnan(value)) points.push_back({telemetry->series.TimeAt(i), std::round(value)});
  }
  auto written = series.WritePoints(metadata, points, forecasting::OnConflict::kReplace);
  if (!written) return written.error();
  return true;
}

}  // namespace patchcast::server
