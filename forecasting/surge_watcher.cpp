#include "forecasting/surge_watcher.h"

#include <algorithm>

namespace patchcast::forecasting {
namespace {

using std::chrono::sys_seconds;

constexpr std::size_t kMaxWatchedSteps = 200'000;
// A run is looked for among the series' runs of the week before a release.
constexpr std::chrono::days kRunLookback{8};
constexpr std::size_t kRunsRead = 2000;

}  // namespace

Result<std::vector<SurgeAlert>> SurgeWatcher::Watch(sys_seconds now) const {
  auto schedules = ports_.schedules.List();
  if (!schedules) return schedules.error();
  std::vector<SurgeAlert> recorded;
  const auto snapshot = ports_.calendars.Snapshot();
  for (const StoredSchedule& stored : *schedules) {
    if (!stored.schedule.enabled) continue;
    auto events = snapshot->registry.Events(stored.schedule.calendars,
                                            {now - kUnderWayWindow, now + std::chrono::seconds{1}});
    if (!events) return events.error();
    for (const calendars::Event& event : *events) {
      if (TriggerOf(event) != RunTrigger::kRelease || event.start > now) continue;
      auto alerts = WatchRelease(stored.series_id, event, now);
      if (!alerts) return alerts.error();
      recorded.insert(recorded.end(), alerts->begin(), alerts->end());
    }
  }
  return recorded;
}

Result<std::vector<SurgeAlert>> SurgeWatcher::WatchRelease(const std::string& series_id,
                                                           const calendars::Event& release,
                                                           sys_seconds now) const {
  auto forecast = ForecastInForce(series_id, release.start);
  if (!forecast) return forecast.error();
  if (!*forecast) return std::vector<SurgeAlert>{};
  const sys_seconds window_end = release.start + kUnderWayWindow;
  const sys_seconds until = std::min(now, window_end);
  auto actual = ports_.series.ReadRange(series_id, release.start, until, kMaxWatchedSteps);
  if (!actual) return actual.error();
  std::vector<SurgeAlert> alerts;
  for (SurgeEpisode& episode : FindSurges(**forecast, *actual, release.start, until, rule_)) {
    if (!episode.ended && now >= window_end) episode.ended = window_end;
    SurgeAlert alert{series_id, release.Id(), (*forecast)->id, episode};
    if (Status recorded = ports_.alerts.Record(alert); !recorded) return recorded.error();
    alerts.push_back(std::move(alert));
  }
  return alerts;
}

Result<std::optional<ForecastRecord>> SurgeWatcher::ForecastInForce(const std::string& series_id,
                                                                    sys_seconds start) const {
  auto runs = ports_.runs.List(series_id, start - kRunLookback, start + kRunSlack, kRunsRead);
  if (!runs) return runs.error();
  for (const RunRecord& run : *runs) {  // newest first
    if (run.status != RunStatus::kOk || run.forecast_id.empty()) continue;
    auto forecast = ports_.forecasts.Get(run.forecast_id);
    if (!forecast) {
      if (forecast.error().code == ErrorCode::kNotFound) continue;  // pruned since
      return forecast.error();
    }
    return std::optional<ForecastRecord>(std::move(*forecast));
  }
  return std::optional<ForecastRecord>();
}

}  // namespace patchcast::forecasting
