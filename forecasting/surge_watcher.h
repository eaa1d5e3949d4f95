// SurgeWatcher: watches the scheduled series while a release rolls (issue 15). For each release of
// a series' calendars that began within kUnderWayWindow, it compares the points so far with the
// forecast in force when the release began (the latest successful scheduled run's, started by then)
// and records each surge above it (surge_watch.h) in the SurgeAlertLog. An episode still open when
// the window closes ends with it.
//
// Reads no clock: the caller passes now. Thread-safe when the ports are.
#pragma once

#include <chrono>
#include <vector>

#include "forecasting/calendar_catalog.h"
#include "forecasting/record_store.h"
#include "forecasting/run_log.h"
#include "forecasting/schedule_store.h"
#include "forecasting/series_repository.h"
#include "forecasting/surge_alert_log.h"

namespace patchcast::forecasting {

struct SurgeWatcherPorts {
  const ScheduleStore& schedules;
  const RunLog& runs;
  const ForecastStore& forecasts;
  const SeriesRepository& series;
  const CalendarCatalog& calendars;
  SurgeAlertLog& alerts;
};

class SurgeWatcher {
 public:
  // How late after a release's start its run may have started and still be the one in force.
  static constexpr std::chrono::minutes kRunSlack{5};

  // The ports must outlive this.
  SurgeWatcher(SurgeWatcherPorts ports, SurgeRule rule = {}) : ports_(ports), rule_(rule) {}

  // Compares and records at `now`; returns the alerts recorded (new or updated), or the first
  // store error.
  Result<std::vector<SurgeAlert>> Watch(std::chrono::sys_seconds now) const;

 private:
  Result<std::vector<SurgeAlert>> WatchRelease(const std::string& series_id,
                                               const calendars::Event& release,
                                               std::chrono::sys_seconds now) const;
  Result<std::optional<ForecastRecord>> ForecastInForce(const std::string& series_id,
                                                        std::chrono::sys_seconds start) const;

  SurgeWatcherPorts ports_;
  SurgeRule rule_;
};

}  // namespace patchcast::forecasting
