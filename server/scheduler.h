// Scheduler: the one in-process runner of series' schedules (issue 15). It wakes at the next
// trigger of any schedule (and at least every `poll`, to see new schedules, new points and
// overrides, from this process or another), runs what is due in the order of its triggers, and
// logs every run (forecasting/run_log.h). Each pass then scores the kept forecasts whose horizon
// the points now cover (forecasting/forecast_accounting.h) and compares the surges under way with
// their forecasts (forecasting/surge_watcher.h). Which run is due is schedule_decision.h's rule:
// one run for the latest trigger missed while the service was down, calendar changes, under-way
// runs once new points arrived.
//
// Never two runs of one series at once: a run holds its series until it has been logged, and a
// run asked for meanwhile (RunNow, the POST route) waits its turn. Given leases, that holds across
// the processes sharing the database too: a due run another process holds the lease of is left
// to it (and found logged, not due, at the next pass), and RunNow answers kUnavailable rather
// than wait for another process. Stop() ends the loop after the run in progress, if any; nothing
// else is interrupted.
//
// Thread-safe. Time comes from the clock it is given (tests drive RunDue with a fixed clock).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "forecasting/calendar_catalog.h"
#include "forecasting/forecast_accounting.h"
#include "forecasting/run_leases.h"
#include "forecasting/run_log.h"
#include "forecasting/schedule_decision.h"
#include "forecasting/schedule_store.h"
#include "forecasting/scheduled_work.h"
#include "forecasting/series_repository.h"
#include "forecasting/surge_watcher.h"
#include "server/logger.h"

namespace patchcast::server {

struct SchedulerPorts {
  const forecasting::ScheduleStore& schedules;
  forecasting::RunLog& runs;
  const forecasting::SeriesRepository& series;
  const forecasting::CalendarCatalog& calendars;
  const forecasting::ScheduledJob& job;
  const Clock& clock;
  Logger* logger = nullptr;  // optional: runs and failures are logged as well as recorded
  // Optional: each pass also scores the kept forecasts whose horizon has passed,
  const forecasting::ForecastAccounting* accounting = nullptr;
  // and compares the surges under way with the forecasts in force when they began.
  const forecasting::SurgeWatcher* surges = nullptr;
  // Optional: when several processes share the database, a run, a scoring pass and a surge pass
  // each go ahead only with a lease (forecasting/run_leases.h); without one, another process is
  // doing that work, and this one leaves it.
  forecasting::RunLeases* leases = nullptr;
};

class Scheduler final : public forecasting::RunOnDemand {
 public:
  static constexpr std::chrono::seconds kDefaultPoll{60};

  // The ports must outlive the scheduler.
  explicit Scheduler(SchedulerPorts ports, std::chrono::milliseconds poll = kDefaultPoll)
      : ports_(ports), poll_(poll) {}
  ~Scheduler() override { Stop(); }
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // One pass at the clock's now: runs every schedule's due run, earliest trigger first, and
  // returns them as logged. A schedule whose state cannot be read is logged and tried again at
  // the next pass.
  std::vector<forecasting::RunRecord> RunDue();

  // Scores the forecasts due for scoring at the clock's now (with `accounting`; else none), and
  // logs those that could not be.
  std::vector<forecasting::ForecastScorecard> ScoreForecasts();

  // Compares the surges under way at the clock's now (with `surges`; else none) and returns the
  // alerts recorded; logs a store error.
  std::vector<forecasting::SurgeAlert> WatchSurges();

  // RunOnDemand: a run with trigger "manual". kUnavailable when another process sharing the
  // database is running the series (or the leases cannot be reached).
  Result<forecasting::RunRecord> RunNow(const std::string& series_id) override;

  // The earliest trigger after the clock's now among the enabled schedules, if any.
  std::optional<std::chrono::sys_seconds> NextWake() const;

  // Starts the loop on its own thread (once): its first pass runs at once, for what was missed
  // while the service was down. Stop() ends the loop and waits for it.
  void Start();
  void Stop();

 private:
  struct DueWork {
    forecasting::StoredSchedule stored;
    forecasting::ScheduledRun run;
  };

  // Frees a series for the next run when it goes out of scope.
  class SeriesTurn;

  Result<std::vector<calendars::Event>> EventsOf(const forecasting::RunSchedule& schedule,
                                                 forecasting::EventsRange range) const;
  Result<forecasting::SeriesRunState> StateOf(const std::string& series_id) const;
  Result<std::optional<forecasting::ScheduledRun>> DueFor(const forecasting::StoredSchedule& stored,
                                                          std::chrono::sys_seconds now) const;
  std::vector<DueWork> CollectDue(std::chrono::sys_seconds now) const;
  std::optional<forecasting::RunRecord> RunIfStillDue(const DueWork& work);
  // The lease on `name` when there are leases; an empty lease when there are none. nullptr when
  // another process holds it, or (logged) when the leases cannot be reached.
  std::unique_ptr<forecasting::RunLeases::Lease> TakeLease(const std::string& name) const;
  Result<forecasting::RunRecord> Execute(const std::string& series_id,
                                         const forecasting::RunSchedule& schedule,
                                         forecasting::ScheduledRun run);
  std::chrono::sys_seconds Now() const;
  void Loop();
  void LogFailure(std::string_view what, const std::string& series_id, const Error& error) const;

  SchedulerPorts ports_;
  std::chrono::milliseconds poll_;

  std::mutex turns_mutex_;
  std::condition_variable turn_freed_;
  std::set<std::string> running_;  // series with a run in progress

  std::mutex loop_mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread loop_;
};

}  // namespace patchcast::server
