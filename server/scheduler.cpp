#include "server/scheduler.h"

#include <algorithm>

namespace patchcast::server {

using forecasting::RunRecord;
using forecasting::RunStatus;
using forecasting::ScheduledRun;
using forecasting::StoredSchedule;
using std::chrono::sys_seconds;

namespace {

// The names of the leases (forecasting/run_leases.h) on the scheduler's work.
std::string RunLeaseName(const std::string& series_id) { return "run:" + series_id; }
constexpr const char* kScoringLease = "pass:scoring";
constexpr const char* kSurgesLease = "pass:surges";

}  // namespace

// Holds a series for one run: waits while another run of it is in progress.
class Scheduler::SeriesTurn {
 public:
  SeriesTurn(Scheduler& scheduler, const std::string& series_id)
      : scheduler_(scheduler), series_id_(series_id) {
    std::unique_lock lock(scheduler_.turns_mutex_);
    scheduler_.turn_freed_.wait(lock, [&] { return !scheduler_.running_.contains(series_id_); });
    scheduler_.running_.insert(series_id_);
  }
  ~SeriesTurn() {
    {
      std::lock_guard lock(scheduler_.turns_mutex_);
      scheduler_.running_.erase(series_id_);
    }
    scheduler_.turn_freed_.notify_all();
  }
  SeriesTurn(const SeriesTurn&) = delete;
  SeriesTurn& operator=(const SeriesTurn&) = delete;

 private:
  Scheduler& scheduler_;
  const std::string series_id_;
};

std::vector<RunRecord> Scheduler::RunDue() {
  std::vector<RunRecord> made;
  for (const DueWork& work : CollectDue(Now())) {
    if (auto run = RunIfStillDue(work)) made.push_back(std::move(*run));
  }
  return made;
}

std::vector<forecasting::ForecastScorecard> Scheduler::ScoreForecasts() {
  if (ports_.accounting == nullptr) return {};
  const auto lease = TakeLease(kScoringLease);
  if (!lease) return {};
  auto pass = ports_.accounting->ScoreDue(Now());
  if (!pass) {
    LogFailure("cannot list the forecasts due for scoring", "", pass.error());
    return {};
  }
  for (const auto& failure : pass->failed) {
    LogFailure("cannot score forecast " + failure.due.forecast_id, failure.due.series_id,
               failure.error);
  }
  if (!pass->scored.empty() && ports_.logger != nullptr) {
    ports_.logger->Log(LogLevel::kInfo, "forecasts scored", {{"count", pass->scored.size()}});
  }
  return std::move(pass->scored);
}

std::vector<forecasting::SurgeAlert> Scheduler::WatchSurges() {
  if (ports_.surges == nullptr) return {};
  const auto lease = TakeLease(kSurgesLease);
  if (!lease) return {};
  auto alerts = ports_.surges->Watch(Now());
  if (!alerts) {
    LogFailure("cannot compare the surges under way with their forecasts", "", alerts.error());
    return {};
  }
  return std::move(*alerts);
}

Result<RunRecord> Scheduler::RunNow(const std::string& series_id) {
  if (auto series = ports_.series.GetSeries(series_id); !series) return series.error();
  auto stored = ports_.schedules.Get(series_id);
  if (!stored) return stored.error();
  const forecasting::RunSchedule schedule =
      *stored ? (*stored)->schedule : forecasting::RunSchedule{};
  SeriesTurn turn(*this, series_id);
  std::unique_ptr<forecasting::RunLeases::Lease> lease;
  if (ports_.leases != nullptr) {
    auto taken = ports_.leases->TryTake(RunLeaseName(series_id));
    if (!taken) return taken.error();
    if (!*taken) {
      return Unavailable("series '" + series_id +
                         "' is being run by another replica; try again once its run is logged");
    }
    lease = std::move(*taken);
  }
  return Execute(series_id, schedule, {forecasting::RunTrigger::kManual, Now()});
}

std::optional<sys_seconds> Scheduler::NextWake() const {
  auto schedules = ports_.schedules.List();
  if (!schedules) return std::nullopt;
  const sys_seconds now = Now();
  std::optional<sys_seconds> wake;
  for (const StoredSchedule& stored : *schedules) {
    auto events = EventsOf(stored.schedule, forecasting::EventsToRead(now, now));
    if (!events) continue;
    auto next = forecasting::NextRun(stored.schedule, *events, now);
    if (next && (!wake || next->at < *wake)) wake = next->at;
  }
  return wake;
}

void Scheduler::Start() {
  std::lock_guard lock(loop_mutex_);
  if (loop_.joinable() || stopping_) return;
  loop_ = std::thread([this] { Loop(); });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(loop_mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (loop_.joinable()) loop_.join();
}

// The first pass runs before any wait: what was missed while the service was down runs at once.
void Scheduler::Loop() {
  std::unique_lock lock(loop_mutex_);
  do {
    lock.unlock();
    RunDue();
    WatchSurges();
    ScoreForecasts();
    const auto wake = NextWake();
    lock.lock();
    // Until the next trigger, but look again within `poll` for what has no trigger instant (new
    // schedules, points, overrides), and never spin.
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(poll_);
    if (wake) {
      wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(*wake - Now()));
    }
    wake_.wait_for(lock, std::max(wait, std::chrono::milliseconds{1000}),
                   [this] { return stopping_; });
  } while (!stopping_);
}

Result<std::vector<calendars::Event>> Scheduler::EventsOf(const forecasting::RunSchedule& schedule,
                                                          forecasting::EventsRange range) const {
  return ports_.calendars.Snapshot()->registry.Events(schedule.calendars, {range.from, range.to});
}

Result<forecasting::SeriesRunState> Scheduler::StateOf(const std::string& series_id) const {
  auto last_run = ports_.runs.Latest(series_id);
  if (!last_run) return last_run.error();
  auto series = ports_.series.GetSeries(series_id);
  if (!series) return series.error();
  return forecasting::SeriesRunState{std::move(*last_run), series->last};
}

Result<std::optional<ScheduledRun>> Scheduler::DueFor(const StoredSchedule& stored,
                                                      sys_seconds now) const {
  if (!stored.schedule.enabled) return std::optional<ScheduledRun>();
  auto state = StateOf(stored.series_id);
  if (!state) return state.error();
  const sys_seconds since = forecasting::CountingSince(stored, *state);
  auto events = EventsOf(stored.schedule, forecasting::EventsToRead(since, now));
  if (!events) return events.error();
  return forecasting::WorkDue(stored, *state, *events, now);
}

std::vector<Scheduler::DueWork> Scheduler::CollectDue(sys_seconds now) const {
  auto schedules = ports_.schedules.List();
  if (!schedules) {
    LogFailure("cannot list schedules", "", schedules.error());
    return {};
  }
  std::vector<DueWork> due;
  for (StoredSchedule& stored : *schedules) {
    auto run = DueFor(stored, now);
    if (!run) {
      LogFailure("cannot tell whether a run is due", stored.series_id, run.error());
    } else if (*run) {
      due.push_back({std::move(stored), **run});
    }
  }
  std::stable_sort(due.begin(), due.end(),
                   [](const DueWork& a, const DueWork& b) { return a.run.at < b.run.at; });
  return due;
}

// A run on demand may have been made while this one waited its turn; then this one is not due.
std::optional<RunRecord> Scheduler::RunIfStillDue(const DueWork& work) {
  SeriesTurn turn(*this, work.stored.series_id);
  const auto lease = TakeLease(RunLeaseName(work.stored.series_id));
  if (!lease) return std::nullopt;
  auto still = DueFor(work.stored, Now());
  if (!still || !*still) return std::nullopt;
  auto run = Execute(work.stored.series_id, work.stored.schedule, **still);
  if (!run) return std::nullopt;
  return std::move(*run);
}

Result<RunRecord> Scheduler::Execute(const std::string& series_id,
                                     const forecasting::RunSchedule& schedule, ScheduledRun run) {
  RunRecord record;
  record.series_id = series_id;
  record.trigger = run.trigger;
  record.trigger_at = run.at;
  record.started = Now();
  if (auto series = ports_.series.GetSeries(series_id)) record.data_end = series->last;
  if (auto events =
          EventsOf(schedule, {record.started, record.started + forecasting::kDigestSpan})) {
    record.events_digest = forecasting::EventsDigest(*events, record.started);
  }
  auto outcome = ports_.job.Run(series_id, schedule);
  record.finished = Now();
  if (outcome) {
    record.forecast_id = outcome->forecast_id;
    record.plan_id = outcome->plan_id;
  } else {
    record.status = outcome.error().code == ErrorCode::kUnprocessable ? RunStatus::kSkipped
                                                                      : RunStatus::kFailed;
    record.error = outcome.error().message;
  }
  auto id = ports_.runs.Append(record);
  if (!id) {
    LogFailure("cannot log a run", series_id, id.error());
    return id.error();
  }
  record.id = *id;
  if (ports_.logger != nullptr) {
    ports_.logger->Log(record.status == RunStatus::kFailed ? LogLevel::kWarn : LogLevel::kInfo,
                       "scheduled run",
                       {{"series", series_id},
                        {"trigger", forecasting::ToString(record.trigger)},
                        {"status", forecasting::ToString(record.status)},
                        {"forecast_id", record.forecast_id},
                        {"plan_id", record.plan_id},
                        {"error", record.error}});
  }
  return record;
}

sys_seconds Scheduler::Now() const {
  return std::chrono::floor<std::chrono::seconds>(ports_.clock.Now());
}

std::unique_ptr<forecasting::RunLeases::Lease> Scheduler::TakeLease(const std::string& name) const {
  if (ports_.leases == nullptr) return std::make_unique<forecasting::RunLeases::Lease>();
  auto taken = ports_.leases->TryTake(name);
  if (!taken) {
    LogFailure("cannot take the lease '" + name + "'; the work waits for the next pass", "",
               taken.error());
    return nullptr;
  }
  return std::move(*taken);
}

void Scheduler::LogFailure(std::string_view what, const std::string& series_id,
                           const Error& error) const {
  if (ports_.logger == nullptr) return;
  ports_.logger->Log(LogLevel::kError, what, {{"series", series_id}, {"error", error.message}});
}

}  // namespace patchcast::server
