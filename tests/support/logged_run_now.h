// LoggedRunNow: forecasting::RunOnDemand that runs a job at once and logs it, with no scheduler
// (and so no turn-taking): for the routes' tests. server/scheduler.h is the real one.
#pragma once

#include <chrono>

#include "core/clock.h"
#include "forecasting/run_log.h"
#include "forecasting/schedule_store.h"
#include "forecasting/scheduled_work.h"

namespace patchcast::testing {

class LoggedRunNow : public forecasting::RunOnDemand {
 public:
  LoggedRunNow(const forecasting::ScheduledJob& job, const forecasting::ScheduleStore& schedules,
               forecasting::RunLog& runs, const Clock& clock)
      : job_(job), schedules_(schedules), runs_(runs), clock_(clock) {}

  Result<forecasting::RunRecord> RunNow(const std::string& series_id) override {
    auto stored = schedules_.Get(series_id);
    if (!stored) return stored.error();
    const auto now = std::chrono::floor<std::chrono::seconds>(clock_.Now());
    forecasting::RunRecord run;
    run.series_id = series_id;
    run.trigger = forecasting::RunTrigger::kManual;
    run.trigger_at = run.started = run.finished = now;
    auto outcome = job_.Run(series_id, *stored ? (*stored)->schedule : forecasting::RunSchedule{});
    if (outcome) {
      run.forecast_id = outcome->forecast_id;
      run.plan_id = outcome->plan_id;
    } else {
      run.status = forecasting::RunStatus::kFailed;
      run.error = outcome.error().message;
    }
    auto id = runs_.Append(run);
    if (!id) return id.error();
    run.id = *id;
    return run;
  }

 private:
  const forecasting::ScheduledJob& job_;
  const forecasting::ScheduleStore& schedules_;
  forecasting::RunLog& runs_;
  const Clock& clock_;
};

}  // namespace patchcast::testing
