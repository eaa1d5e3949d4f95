// Tests of the in-process Scheduler (server/scheduler.h) over the real forecasting and planning
// services, in-memory stores and a clock the test moves: a series left alone for weeks gets its
// weekly, calendar and under-way runs; runs missed while down run once; an override reruns at once;
// a short series is skipped; a series with a capacity model is planned; one series never runs
// twice at once; the loop's first pass runs at start and Stop ends it. Every instant is given.
#include "server/scheduler.h"

#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "calendars/time_text.h"
#include "tests/support/in_memory_planning.h"

namespace patchcast::server {
namespace {

using forecasting::RunRecord;
using forecasting::RunStatus;
using forecasting::RunTrigger;
using std::chrono::hours;
using std::chrono::sys_seconds;

sys_seconds Utc(std::string_view text) {
  auto instant = calendars::ParseUtcDateTime(text);
  REQUIRE_MESSAGE(instant, text);
  return *instant;
}

// Microsoft's December 2026 cycle: the advance notice on Thursday 3 December and the release on
// Tuesday 8 December, both 10:00 Pacific (18:00Z).
constexpr const char* kNotice = "2026-12-03T18:00:00Z";
constexpr const char* kRelease = "2026-12-08T18:00:00Z";

// A scheduler over InMemoryPlanning with series "logins": five weeks of hourly points up to
// `data_end`, and a schedule put at `put_at`: Mondays 06:00 UTC, the calendar's triggers, and
// hourly runs while a release rolls.
struct SchedulerFixture {
  testing::InMemoryPlanning planning;
  forecasting::ForecastAccounting accounting{planning.forecast_store, planning.series,
                                             planning.scorecards};
  forecasting::SurgeWatcher watcher{{planning.schedules, planning.runs, planning.forecast_store,
                                     planning.series, *planning.calendars, planning.surge_alerts}};
  Scheduler scheduler{{planning.schedules, planning.runs, planning.series, *planning.calendars,
                       *planning.job, planning.clock, nullptr, &accounting, &watcher}};

  SchedulerFixture(const char* data_end, const char* put_at) {
    planning.AddHourlySeries("logins", 35, Utc(data_end));
    forecasting::StoredSchedule stored;
    stored.series_id = "logins";
    stored.schedule.weekly =
        forecasting::WeeklySlot{date::Monday, hours{6}, &date::locate_zone("UTC")[0]};
    stored.schedule.under_way_every = std::chrono::minutes{60};
    stored.updated_at = Utc(put_at);
    REQUIRE(planning.schedules.Put(stored));
  }

  void At(sys_seconds now) { planning.clock.now = now; }

  // Adds the point of the hour before `now`, as a collector would once the hour is over.
  void PointBefore(sys_seconds now, double value = 7200) {
    const forecasting::SeriesMetadata metadata{"logins", hours{1}, "logins", "", {}};
    const std::vector<forecasting::Point> point{{now - hours{1}, value}};
    REQUIRE(planning.series.WritePoints(metadata, point, forecasting::OnConflict::kReplace));
  }
};

std::map<RunTrigger, int> CountByTrigger(const std::vector<RunRecord>& runs) {
  std::map<RunTrigger, int> counts;
  for (const RunRecord& run : runs) ++counts[run.trigger];
  return counts;
}

TEST_CASE("a series left alone for three weeks gets its weekly, calendar and under-way runs") {
  SchedulerFixture f("2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z");
  for (sys_seconds now = Utc("2026-11-30T01:00:00Z"); now <= Utc("2026-12-21T00:00:00Z");
       now += hours{1}) {
    f.At(now);
    f.PointBefore(now);
    f.scheduler.RunDue();
  }
  const std::vector<RunRecord> runs = f.planning.runs.All();
  const std::map<RunTrigger, int> counts = CountByTrigger(runs);
  CHECK(counts.at(RunTrigger::kWeekly) == 3);  // 30 November, 7 and 14 December
  CHECK(counts.at(RunTrigger::kAdvanceNotice) == 1);
  CHECK(counts.at(RunTrigger::kRelease) == 1);
  CHECK(counts.at(RunTrigger::kUnderWay) == 72);  // every hour for 72 hours after the release
  CHECK_FALSE(counts.contains(RunTrigger::kCalendarChange));

  std::vector<sys_seconds> calendar_runs;
  for (const RunRecord& run : runs) {
    CHECK_MESSAGE(run.status == RunStatus::kOk, run.error);
    CHECK(run.started >= run.trigger_at);
    CHECK(f.planning.forecast_store.Get(run.forecast_id));
    CHECK(run.plan_id.empty());  // no capacity model
    if (run.trigger != RunTrigger::kUnderWay) calendar_runs.push_back(run.trigger_at);
  }
  CHECK(calendar_runs == std::vector<sys_seconds>{Utc("2026-11-30T06:00:00Z"), Utc(kNotice),
                                                  Utc("2026-12-07T06:00:00Z"), Utc(kRelease),
                                                  Utc("2026-12-14T06:00:00Z")});
  // Every run's forecast is the series' latest as of its start.
  auto latest = f.planning.forecast_store.Latest("logins");
  REQUIRE(latest);
  CHECK(latest->id == runs.back().forecast_id);
}

TEST_CASE("a cron schedule runs at its expression's instants, beside the calendar's") {
  SchedulerFixture f("2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z");
  forecasting::StoredSchedule stored = f.planning.schedules.Get("logins")->value();
  auto weekdays_noon = calendars::CronExpression::Parse("0 12 * * mon-fri");
  REQUIRE(weekdays_noon);
  stored.schedule.weekly.reset();
  stored.schedule.cron = forecasting::CronSlot{*weekdays_noon, &date::locate_zone("UTC")[0]};
  stored.schedule.under_way_every = std::chrono::minutes{0};
  REQUIRE(f.planning.schedules.Put(stored));
  for (sys_seconds now = Utc("2026-11-30T01:00:00Z"); now <= Utc("2026-12-07T00:00:00Z");
       now += hours{1}) {
    f.At(now);
    f.PointBefore(now);
    f.scheduler.RunDue();
  }
  const std::map<RunTrigger, int> counts = CountByTrigger(f.planning.runs.All());
  CHECK(counts.at(RunTrigger::kCron) == 5);  // Monday 30 November to Friday 4 December, noon
  CHECK(counts.at(RunTrigger::kAdvanceNotice) == 1);
  CHECK_FALSE(counts.contains(RunTrigger::kWeekly));
}

TEST_CASE("triggers missed while the service was down run once, for the latest") {
  SchedulerFixture f("2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z");
  f.At(Utc("2026-12-08T20:30:00Z"));  // down over a weekly slot, the notice and the release
  const std::vector<RunRecord> made = f.scheduler.RunDue();
  REQUIRE(made.size() == 1);
  CHECK(made[0].trigger == RunTrigger::kRelease);
  CHECK(made[0].trigger_at == Utc(kRelease));
  CHECK(made[0].started == Utc("2026-12-08T20:30:00Z"));
  CHECK(made[0].data_end == Utc("2026-11-29T23:00:00Z"));
  CHECK(f.scheduler.RunDue().empty());  // done; and no new points for an under-way run
  CHECK(f.planning.runs.All().size() == 1);
}

TEST_CASE("an override that changes a coming event reruns the schedule at once, once") {
  SchedulerFixture f("2026-12-01T00:00:00Z", "2026-11-30T00:00:00Z");
  f.At(Utc("2026-12-01T00:00:00Z"));
  REQUIRE(f.scheduler.RunDue().size() == 1);  // the weekly slot of 30 November
  f.At(Utc("2026-12-01T01:00:00Z"));
  CHECK(f.scheduler.RunDue().empty());

  calendars::Override move{
      .id = "",
      .calendar_id = "microsoft",
      .date = date::local_days{date::year{2026} / 12 / 8},
      .action = calendars::MoveAction{date::local_days{date::year{2026} / 12 / 9} + hours{10},
                                      calendars::EventKind::kRelease}};
  REQUIRE(f.planning.calendars->AddOverride(move));
  f.At(Utc("2026-12-01T02:00:00Z"));
  const std::vector<RunRecord> made = f.scheduler.RunDue();
  REQUIRE(made.size() == 1);
  CHECK(made[0].trigger == RunTrigger::kCalendarChange);
  CHECK(made[0].trigger_at == Utc("2026-12-01T02:00:00Z"));
  f.At(Utc("2026-12-01T03:00:00Z"));
  CHECK(f.scheduler.RunDue().empty());
  // The moved release triggers at its new instant, 9 December 10:00 Pacific.
  f.At(Utc("2026-12-09T18:00:00Z"));
  const std::vector<RunRecord> release = f.scheduler.RunDue();
  REQUIRE(release.size() == 1);
  CHECK(release[0].trigger == RunTrigger::kRelease);
  CHECK(release[0].trigger_at == Utc("2026-12-09T18:00:00Z"));
}

TEST_CASE("while a release rolls, an under-way run waits for new points") {
  SchedulerFixture f("2026-12-08T18:00:00Z", "2026-12-08T00:00:00Z");
  f.At(Utc(kRelease));
  REQUIRE(f.scheduler.RunDue().size() == 1);
  f.At(Utc("2026-12-08T19:10:00Z"));
  CHECK(f.scheduler.RunDue().empty());
  f.PointBefore(Utc("2026-12-08T19:00:00Z"));
  const std::vector<RunRecord> made = f.scheduler.RunDue();
  REQUIRE(made.size() == 1);
  CHECK(made[0].trigger == RunTrigger::kUnderWay);
  CHECK(made[0].trigger_at == Utc("2026-12-08T19:00:00Z"));
  CHECK(made[0].data_end == Utc("2026-12-08T18:00:00Z"));
}

TEST_CASE("a disabled or deleted schedule runs nothing, and says when it would") {
  SchedulerFixture f("2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z");
  f.At(Utc("2026-12-01T00:00:00Z"));
  CHECK(f.scheduler.NextWake() == Utc(kNotice));
  auto stored = f.planning.schedules.Get("logins");
  REQUIRE(stored);
  forecasting::StoredSchedule disabled = **stored;
  disabled.schedule.enabled = false;
  REQUIRE(f.planning.schedules.Put(disabled));
  CHECK(f.scheduler.RunDue().empty());
  CHECK_FALSE(f.scheduler.NextWake());
  REQUIRE(f.planning.schedules.Delete("logins"));
  f.At(Utc("2026-12-09T00:00:00Z"));
  CHECK(f.scheduler.RunDue().empty());
  CHECK(f.planning.runs.All().empty());
}

TEST_CASE("on demand: a short series is logged as skipped, a planned one gets its plan") {
  SchedulerFixture f("2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z");
  f.At(Utc("2026-11-30T12:00:00Z"));
  f.planning.AddHourlySeries("new-login", 2, Utc("2026-11-30T00:00:00Z"));
  auto skipped = f.scheduler.RunNow("new-login");
  REQUIRE(skipped);
  CHECK(skipped->status == RunStatus::kSkipped);
  CHECK(skipped->trigger == RunTrigger::kManual);
  CHECK_FALSE(skipped->error.empty());
  CHECK(skipped->forecast_id.empty());

  f.planning.StoreCapacityModel("logins", 1.0);
  auto planned = f.scheduler.RunNow("logins");
  REQUIRE(planned);
  CHECK_MESSAGE(planned->status == RunStatus::kOk, planned->error);
  auto plan = f.planning.plan_store.Get(planned->plan_id);
  REQUIRE(plan);
  CHECK(plan->forecast_id == planned->forecast_id);
  CHECK(plan->as_of == Utc("2026-11-30T00:00:00Z"));

  auto unknown = f.scheduler.RunNow("nope");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == ErrorCode::kNotFound);
}

// A job that counts how many of its runs overlap, per series.
class OverlapCountingJob : public forecasting::ScheduledJob {
 public:
  Result<forecasting::JobOutcome> Run(const std::string& series_id,
                                      const forecasting::RunSchedule&) const override {
    std::atomic<int>& running = series_id == "a" ? running_a_ : running_b_;
    const int now_running = running.fetch_add(1) + 1;
    int seen = most_at_once_.load();
    while (now_running > seen && !most_at_once_.compare_exchange_weak(seen, now_running)) {
    }
    for (int i = 0; i < 2000; ++i) std::this_thread::yield();  // give another run a chance
    running.fetch_sub(1);
    return forecasting::JobOutcome{"fc", ""};
  }
  int most_at_once() const { return most_at_once_.load(); }

 private:
  mutable std::atomic<int> running_a_{0};
  mutable std::atomic<int> running_b_{0};
  mutable std::atomic<int> most_at_once_{0};
};

TEST_CASE("one series never runs twice at once") {
  testing::InMemoryPlanning planning;
  planning.AddHourlySeries("a", 8, Utc("2026-11-30T00:00:00Z"));
  OverlapCountingJob job;
  Scheduler scheduler{{planning.schedules, planning.runs, planning.series, *planning.calendars, job,
                       planning.clock}};
  std::vector<std::thread> callers;
  for (int caller = 0; caller < 6; ++caller) {
    callers.emplace_back([&] {
      for (int run = 0; run < 5; ++run) CHECK(scheduler.RunNow("a"));
    });
  }
  for (std::thread& caller : callers) caller.join();
  CHECK(job.most_at_once() == 1);
  CHECK(planning.runs.All().size() == 30);
}

TEST_CASE("the loop's first pass runs what was missed, and Stop ends it") {
  SchedulerFixture f("2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z");
  f.At(Utc("2026-12-04T00:00:00Z"));
  f.scheduler.Start();
  f.scheduler.Stop();
  const std::vector<RunRecord> runs = f.planning.runs.All();
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].trigger == RunTrigger::kAdvanceNotice);
}

TEST_CASE("a forecast is scored once the points cover its horizon, and only once") {
  SchedulerFixture f("2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z");
  f.At(Utc("2026-11-30T00:10:00Z"));
  auto run = f.scheduler.RunNow("logins");
  REQUIRE(run);
  // Its 168 hourly points end at 6 December 23:00; the points reach 22:00, then 23:00.
  for (sys_seconds now = Utc("2026-11-30T01:00:00Z"); now <= Utc("2026-12-06T23:00:00Z");
       now += hours{1}) {
    f.PointBefore(now);
  }
  f.At(Utc("2026-12-07T00:05:00Z"));
  CHECK(f.scheduler.ScoreForecasts().empty());
  f.PointBefore(Utc("2026-12-07T00:00:00Z"));
  const std::vector<forecasting::ForecastScorecard> scored = f.scheduler.ScoreForecasts();
  REQUIRE(scored.size() == 1);
  const forecasting::ForecastScorecard& card = scored[0];
  CHECK(card.forecast_id == run->forecast_id);
  CHECK(card.series_id == "logins");
  CHECK(card.horizon_end == Utc("2026-12-06T23:00:00Z"));
  CHECK(card.scored_at == Utc("2026-12-07T00:05:00Z"));
  CHECK(card.forecast.steps == 168);
  // The points written are flat at 7,200 an hour, the history a daily cycle around it: both
  // methods miss, and both are scored.
  CHECK(std::isfinite(card.forecast.mape));
  CHECK(std::isfinite(card.seasonal_naive.mape));
  CHECK(f.planning.scorecards.size() == 1);
  CHECK(f.scheduler.ScoreForecasts().empty());
}

TEST_CASE("a release is scored once its window has passed, its forecast's horizon later") {
  SchedulerFixture f(kRelease, "2026-12-08T00:00:00Z");
  f.At(Utc(kRelease));
  const std::vector<RunRecord> release = f.scheduler.RunDue();
  REQUIRE(release.size() == 1);
  for (sys_seconds now = Utc("2026-12-08T01:00:00Z"); now < Utc(kRelease) + hours{72};
       now += hours{1}) {
    f.PointBefore(now);
  }
  f.At(Utc(kRelease) + hours{72});
  CHECK(f.scheduler.ScoreForecasts().empty());  // the window's last hour is not in yet
  f.PointBefore(Utc(kRelease) + hours{72});
  const std::vector<forecasting::ForecastScorecard> partial = f.scheduler.ScoreForecasts();
  REQUIRE(partial.size() == 1);
  CHECK(partial[0].forecast_id == release[0].forecast_id);
  CHECK_FALSE(partial[0].complete());
  REQUIRE(partial[0].events.size() == 1);
  CHECK(partial[0].events[0].event_id == "microsoft:2026-12-08:release");
  CHECK(partial[0].events[0].forecast.steps == 72);
  CHECK(partial[0].forecast.steps == 0);
  CHECK(f.scheduler.ScoreForecasts().empty());  // nothing more until the horizon is covered

  const sys_seconds horizon_end = *partial[0].next_score_at;
  CHECK(horizon_end == partial[0].horizon_end);
  for (sys_seconds now = Utc(kRelease) + hours{73}; now <= horizon_end + hours{1};
       now += hours{1}) {
    f.PointBefore(now);
  }
  const std::vector<forecasting::ForecastScorecard> complete = f.scheduler.ScoreForecasts();
  REQUIRE(complete.size() == 1);
  CHECK(complete[0].complete());
  CHECK(complete[0].events.size() == 1);
  CHECK(complete[0].forecast.steps > 72);
  CHECK(f.planning.scorecards.size() == 1);  // the partial card was replaced
  CHECK(f.scheduler.ScoreForecasts().empty());
}

TEST_CASE("a forecast that can never be scored is reported once, and not again") {
  SchedulerFixture f("2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z");
  f.At(Utc("2026-11-30T00:10:00Z"));
  auto run = f.scheduler.RunNow("logins");
  REQUIRE(run);
  // The series is replaced by one at half-hour steps, its points past the forecast's horizon.
  REQUIRE(f.planning.series.DeleteSeries("logins"));
  const forecasting::SeriesMetadata half_hourly{
      "logins", std::chrono::minutes{30}, "logins", "", {}};
  std::vector<forecasting::Point> points;
  for (sys_seconds t = Utc("2026-11-30T00:00:00Z"); t < Utc("2026-12-08T00:00:00Z");
       t += std::chrono::minutes{30}) {
    points.push_back({t, 7200});
  }
  REQUIRE(f.planning.series.WritePoints(half_hourly, points, forecasting::OnConflict::kReplace));
  f.At(Utc("2026-12-08T00:05:00Z"));
  CHECK(f.scheduler.ScoreForecasts().empty());
  REQUIRE(f.planning.scorecards.size() == 1);  // kept with nothing scored, so no longer due
  auto due = f.planning.scorecards.Due(10);
  REQUIRE(due);
  CHECK(due->empty());
}

// The forecast in force's value at level `level_index` (0.5, 0.9, 0.99) at `at`.
double ForecastAt(const forecasting::ForecastRecord& record, sys_seconds at, int level_index) {
  for (const auto& point : record.forecast.points) {
    if (point.ts == at) return point.quantiles.at(static_cast<std::size_t>(level_index));
  }
  FAIL("no forecast point at the instant");
  return 0;
}

TEST_CASE("a surge above the forecast in force raises an alert; one at its size does not") {
  SchedulerFixture f(kRelease, "2026-12-08T00:00:00Z");
  f.At(Utc(kRelease));
  const std::vector<RunRecord> release = f.scheduler.RunDue();
  REQUIRE(release.size() == 1);
  auto in_force = f.planning.forecast_store.Get(release[0].forecast_id);
  REQUIRE(in_force);

  SUBCASE("at the forecast's median") {
    for (int h = 0; h < 6; ++h) {
      const sys_seconds step = Utc(kRelease) + hours{h};
      f.PointBefore(step + hours{1}, ForecastAt(*in_force, step, 0));
    }
    f.At(Utc(kRelease) + hours{6});
    CHECK(f.scheduler.WatchSurges().empty());
  }
  SUBCASE("10 % over its p99 for three hours, then back to its median") {
    for (int h = 0; h < 6; ++h) {
      const sys_seconds step = Utc(kRelease) + hours{h};
      const double value =
          h < 3 ? 1.1 * ForecastAt(*in_force, step, 2) : ForecastAt(*in_force, step, 0);
      f.PointBefore(step + hours{1}, value);
    }
    f.At(Utc(kRelease) + hours{4});
    std::vector<forecasting::SurgeAlert> alerts = f.scheduler.WatchSurges();
    REQUIRE(alerts.size() == 1);
    CHECK(alerts[0].event_id == "microsoft:2026-12-08:release");
    CHECK(alerts[0].forecast_id == in_force->id);
    CHECK(alerts[0].episode.started == Utc(kRelease));
    CHECK(alerts[0].episode.reason == forecasting::SurgeReason::kAboveP99);
    double peak_ratio = 0;  // the largest actual / p90 of the three hours
    for (int h = 0; h < 3; ++h) {
      const sys_seconds step = Utc(kRelease) + hours{h};
      peak_ratio = std::max(peak_ratio,
                            1.1 * ForecastAt(*in_force, step, 2) / ForecastAt(*in_force, step, 1));
    }
    CHECK(alerts[0].episode.peak_ratio == doctest::Approx(peak_ratio));
    auto states = f.planning.surge_alerts.States();
    REQUIRE(states);
    CHECK(*states == std::vector<forecasting::SurgeState>{{"logins", true}});
    // Three quiet hours close it.
    f.At(Utc(kRelease) + hours{6});
    alerts = f.scheduler.WatchSurges();
    REQUIRE(alerts.size() == 1);
    CHECK(alerts[0].episode.ended == Utc(kRelease) + hours{5});
    CHECK(*f.planning.surge_alerts.States() ==
          std::vector<forecasting::SurgeState>{{"logins", false}});
  }
}

// Leases as the processes sharing a database see them: `elsewhere` holds the names another process
// has taken; a name taken here is held until its lease is destroyed. `asked` lists every TryTake.
class SharedLeases final : public forecasting::RunLeases {
 public:
  std::set<std::string> elsewhere;
  std::set<std::string> here;
  std::vector<std::string> asked;
  bool unreachable = false;

  Result<std::unique_ptr<Lease>> TryTake(std::string_view name) override {
    asked.emplace_back(name);
    if (unreachable) return Unavailable("take the run lease: database connection lost");
    if (elsewhere.contains(std::string(name)) || here.contains(std::string(name))) {
      return std::unique_ptr<Lease>();
    }
    here.emplace(name);
    return std::unique_ptr<Lease>(std::make_unique<Held>(*this, std::string(name)));
  }

 private:
  class Held final : public Lease {
   public:
    Held(SharedLeases& owner, std::string name) : owner_(owner), name_(std::move(name)) {}
    ~Held() override { owner_.here.erase(name_); }

   private:
    SharedLeases& owner_;
    std::string name_;
  };
};

// The fixture's ports, with `leases`.
Scheduler LeasedScheduler(SchedulerFixture& f, forecasting::ForecastAccounting& accounting,
                          forecasting::SurgeWatcher& watcher, SharedLeases& leases) {
  return Scheduler({f.planning.schedules, f.planning.runs, f.planning.series, *f.planning.calendars,
                    *f.planning.job, f.planning.clock, nullptr, &accounting, &watcher, &leases});
}

TEST_CASE("a due run another process holds the lease of is left to it, and made once it is free") {
  SchedulerFixture f("2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z");
  SharedLeases leases;
  Scheduler scheduler = LeasedScheduler(f, f.accounting, f.watcher, leases);
  f.At(Utc("2026-11-30T06:05:00Z"));
  leases.elsewhere = {"run:logins"};
  CHECK(scheduler.RunDue().empty());
  CHECK(f.planning.runs.All().empty());

  leases.elsewhere.clear();
  const std::vector<RunRecord> runs = scheduler.RunDue();
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].trigger == RunTrigger::kWeekly);
  CHECK(leases.here.empty());  // released once the run was logged
  // The other process's scheduler, at its own pass, finds the run logged: nothing is due.
  CHECK(f.scheduler.RunDue().empty());
  CHECK(f.planning.runs.All().size() == 1);
}

TEST_CASE("scoring and surge passes go ahead only with their leases") {
  SchedulerFixture f("2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z");
  SharedLeases leases;
  Scheduler scheduler = LeasedScheduler(f, f.accounting, f.watcher, leases);
  f.At(Utc("2026-11-30T00:10:00Z"));
  REQUIRE(f.scheduler.RunNow("logins"));
  for (sys_seconds now = Utc("2026-11-30T01:00:00Z"); now <= Utc("2026-12-07T00:00:00Z");
       now += hours{1}) {
    f.PointBefore(now);
  }
  f.At(Utc("2026-12-07T00:05:00Z"));
  leases.elsewhere = {"pass:scoring", "pass:surges"};
  CHECK(scheduler.ScoreForecasts().empty());
  CHECK(scheduler.WatchSurges().empty());
  CHECK(f.planning.scorecards.size() == 0);
  CHECK(leases.asked == std::vector<std::string>{"pass:scoring", "pass:surges"});

  leases.elsewhere.clear();
  CHECK(scheduler.ScoreForecasts().size() == 1);
  CHECK(f.planning.scorecards.size() == 1);
}

TEST_CASE("a run asked for while another process runs the series is refused, not waited for") {
  SchedulerFixture f("2026-11-30T00:00:00Z", "2026-11-30T00:00:00Z");
  SharedLeases leases;
  Scheduler scheduler = LeasedScheduler(f, f.accounting, f.watcher, leases);
  f.At(Utc("2026-11-30T06:05:00Z"));  // the weekly run of 06:00 is due
  leases.elsewhere = {"run:logins"};
  auto refused = scheduler.RunNow("logins");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == ErrorCode::kUnavailable);
  CHECK(refused.error().message ==
        "series 'logins' is being run by another replica; try again once its run is logged");

  leases.elsewhere.clear();
  leases.unreachable = true;
  auto unreachable = scheduler.RunNow("logins");
  REQUIRE_FALSE(unreachable);
  CHECK(unreachable.error().code == ErrorCode::kUnavailable);
  CHECK(scheduler.RunDue().empty());  // the due weekly run waits for the next pass
  CHECK(f.planning.runs.All().empty());

  leases.unreachable = false;
  auto manual = scheduler.RunNow("logins");
  REQUIRE(manual);
  CHECK(manual->trigger == RunTrigger::kManual);
  CHECK(f.planning.runs.All().size() == 1);
}

}  // namespace
}  // namespace patchcast::server
