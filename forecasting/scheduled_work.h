// The two sides of a scheduled run (issue 15), as ports: ScheduledJob is the work itself (a fresh
// forecast, and a plan where the series has a capacity model, both kept), and RunOnDemand asks the
// scheduler for a run now, in turn with its own runs of that series.
//
// Implementations must be thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "forecasting/run_log.h"
#include "forecasting/run_schedule.h"

namespace patchcast::forecasting {

// What a run kept: always a forecast; a plan too for a series with a capacity model.
struct JobOutcome {
  std::string forecast_id;
  std::string plan_id;  // empty when the series has no capacity model
};

class ScheduledJob {
 public:
  virtual ~ScheduledJob() = default;

  // Forecasts `series_id` from the end of its data over the schedule's horizon and calendars,
  // plans it when it has a stored capacity model, and keeps both. Errors: kUnprocessable when the
  // series cannot be forecast yet (too little history), which the log records as skipped; the
  // forecast's, the plan's and the stores' errors otherwise.
  virtual Result<JobOutcome> Run(const std::string& series_id,
                                 const RunSchedule& schedule) const = 0;
};

class RunOnDemand {
 public:
  virtual ~RunOnDemand() = default;

  // Runs the series' job now, as its schedule says (or with the defaults when it has none), and
  // returns the run as logged, whatever its status. Waits while another run of the series is in
  // progress. Errors: kNotFound for an unknown series; the schedule store's and the log's errors.
  virtual Result<RunRecord> RunNow(const std::string& series_id) = 0;
};

}  // namespace patchcast::forecasting
