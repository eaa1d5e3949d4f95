// The run log contract (store_contract.h): against every storage engine, each in a fresh store,
// runs are appended and read back, listed, counted, pruned, refused for an unknown series, dropped
// with their series, and kept across a reopen; a row this build cannot read is an internal error.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "tests/server/storage/store_contract.h"

namespace patchcast::storage::contract {
namespace {

using forecasting::kRunsKeptPerSeries;
using forecasting::LastSuccess;
using forecasting::RunRecord;
using forecasting::RunStatus;
using forecasting::RunTally;
using forecasting::RunTrigger;

constexpr std::int64_t kNov1 = 1'793'491'200;  // 2026-11-01T00:00:00Z

std::chrono::sys_seconds At(std::int64_t unix_seconds) {
  return std::chrono::sys_seconds{std::chrono::seconds{unix_seconds}};
}

// A run of `series_id` that started `started` seconds after kNov1 and took a minute, with only
// the fields every run has.
RunRecord Run(std::string series_id, std::int64_t started, RunTrigger trigger = RunTrigger::kWeekly,
              RunStatus status = RunStatus::kOk) {
  return {.series_id = std::move(series_id),
          .trigger = trigger,
          .trigger_at = At(kNov1 + started),
          .started = At(kNov1 + started),
          .finished = At(kNov1 + started + 60),
          .status = status,
          .events_digest = "digest-" + std::to_string(started)};
}

// A run with every optional field set.
RunRecord FullRun(std::string series_id, std::int64_t started) {
  RunRecord run = Run(std::move(series_id), started, RunTrigger::kUnderWay, RunStatus::kFailed);
  run.trigger_at = At(kNov1 + started - 30);
  run.forecast_id = "fc-1";
  run.plan_id = "plan-1";
  run.error = "the model did not converge";
  run.data_end = At(kNov1 + started - 300);
  return run;
}

// The started times of `runs`, relative to kNov1.
std::vector<std::int64_t> Starts(const std::vector<RunRecord>& runs) {
  std::vector<std::int64_t> starts;
  for (const RunRecord& run : runs) {
    starts.push_back(run.started.time_since_epoch().count() - kNov1);
  }
  return starts;
}

struct RunLogFixture {
  std::unique_ptr<StoreUnderTest> store = OpenStoreUnderTest();
  forecasting::SeriesRepository* series = &store->series();
  forecasting::RunLog* log = &store->runs();

  // Closes the database and opens it again, as a restart does.
  void Open() {
    store->Reopen();
    series = &store->series();
    log = &store->runs();
  }

  void AddSeries(const std::string& id) {
    REQUIRE(series->PutSeries({id, std::chrono::seconds{3600}, "logins", "", {}}));
  }

  // Appends `run` and returns it as stored, with its id.
  RunRecord Append(RunRecord run) {
    auto id = log->Append(run);
    REQUIRE(id);
    run.id = *id;
    return run;
  }

  // Every run of `series_id`, newest first.
  std::vector<RunRecord> All(const std::string& series_id) {
    auto runs = log->List(series_id, At(0), At(kNov1 * 2), kRunsKeptPerSeries * 2);
    REQUIRE(runs);
    return *runs;
  }
};

TEST_SUITE_BEGIN("run log contract" * doctest::skip(!StoreEngineAvailable()));
TEST_CASE("an appended run is read back equal, and ids increase") {
  RunLogFixture f;
  f.AddSeries("login");
  const RunRecord full = f.Append(FullRun("login", 0));
  const RunRecord bare = f.Append(Run("login", 600, RunTrigger::kCalendarChange));
  CHECK(full.id > 0);
  CHECK(bare.id > full.id);

  const std::vector<RunRecord> runs = f.All("login");
  REQUIRE(runs.size() == 2);
  CHECK(runs[0] == bare);
  CHECK(runs[1] == full);
  CHECK(runs[0].forecast_id.empty());
  CHECK_FALSE(runs[0].data_end.has_value());
  CHECK(runs[1].data_end == At(kNov1 - 300));
  CHECK(runs[1].error == "the model did not converge");

  auto latest = f.log->Latest("login");
  REQUIRE(latest);
  REQUIRE(latest->has_value());
  CHECK(**latest == bare);
}

TEST_CASE("every trigger and status is stored and read back") {
  RunLogFixture f;
  f.AddSeries("login");
  const RunTrigger triggers[] = {RunTrigger::kWeekly,         RunTrigger::kAdvanceNotice,
                                 RunTrigger::kRelease,        RunTrigger::kUnderWay,
                                 RunTrigger::kCalendarChange, RunTrigger::kManual};
  const RunStatus statuses[] = {RunStatus::kOk, RunStatus::kFailed, RunStatus::kSkipped};
  std::int64_t started = 0;
  for (RunTrigger trigger : triggers) {
    for (RunStatus status : statuses) {
      CAPTURE(forecasting::ToString(trigger));
      CAPTURE(forecasting::ToString(status));
      const RunRecord appended = f.Append(Run("login", started += 60, trigger, status));
      auto latest = f.log->Latest("login");
      REQUIRE(latest);
      REQUIRE(latest->has_value());
      CHECK(**latest == appended);
    }
  }
}

TEST_CASE("List returns the series' runs that started in [from, to), newest first, up to limit") {
  RunLogFixture f;
  f.AddSeries("a");
  f.AddSeries("b");
  for (std::int64_t started : {100, 200, 300, 400}) f.Append(Run("a", started));
  f.Append(Run("b", 250));

  auto in_range = f.log->List("a", At(kNov1 + 200), At(kNov1 + 400), 10);
  REQUIRE(in_range);
  CHECK(Starts(*in_range) == std::vector<std::int64_t>{300, 200});

  auto limited = f.log->List("a", At(kNov1), At(kNov1 + 1000), 2);
  REQUIRE(limited);
  CHECK(Starts(*limited) == std::vector<std::int64_t>{400, 300});

  auto none = f.log->List("a", At(kNov1 + 200), At(kNov1 + 400), 0);
  REQUIRE(none);
  CHECK(none->empty());

  auto other = f.log->List("b", At(kNov1), At(kNov1 + 1000), 10);
  REQUIRE(other);
  CHECK(Starts(*other) == std::vector<std::int64_t>{250});

  auto unknown = f.log->List("ghost", At(kNov1), At(kNov1 + 1000), 10);
  REQUIRE(unknown);
  CHECK(unknown->empty());
}

TEST_CASE("List orders by the order of appending, not by start") {
  RunLogFixture f;
  f.AddSeries("login");
  f.Append(Run("login", 300));
  f.Append(Run("login", 100));  // a late-recorded run is still the newest entry
  CHECK(Starts(f.All("login")) == std::vector<std::int64_t>{100, 300});
}

TEST_CASE("Latest is nullopt for a series without runs, known or not") {
  RunLogFixture f;
  f.AddSeries("login");
  f.AddSeries("other");
  f.Append(Run("other", 0));
  auto known = f.log->Latest("login");
  REQUIRE(known);
  CHECK_FALSE(known->has_value());
  auto unknown = f.log->Latest("ghost");
  REQUIRE(unknown);
  CHECK_FALSE(unknown->has_value());
}

TEST_CASE("a run of a series that does not exist is refused") {
  RunLogFixture f;
  auto appended = f.log->Append(Run("ghost", 0));
  REQUIRE_FALSE(appended);
  CHECK(appended.error().code == ErrorCode::kNotFound);
  CHECK(appended.error().message == "series 'ghost' does not exist");
}

TEST_CASE("an appended run survives closing and reopening the database") {
  RunLogFixture f;
  f.AddSeries("login");
  const RunRecord appended = f.Append(FullRun("login", 0));
  f.Open();
  auto latest = f.log->Latest("login");
  REQUIRE(latest);
  REQUIRE(latest->has_value());
  CHECK(**latest == appended);
  // Ids keep increasing after a reopen.
  CHECK(f.Append(Run("login", 60)).id > appended.id);
}

TEST_CASE("a series' runs go with it") {
  RunLogFixture f;
  f.AddSeries("login");
  f.AddSeries("other");
  f.Append(Run("login", 0));
  f.Append(Run("other", 0));
  REQUIRE(f.series->DeleteSeries("login"));
  f.AddSeries("login");  // a new series of the same name starts without runs
  CHECK(f.All("login").empty());
  CHECK_FALSE(f.log->Latest("login")->has_value());
  auto tallies = f.log->Tallies();
  REQUIRE(tallies);
  CHECK(*tallies == std::vector<RunTally>{{"other", RunTrigger::kWeekly, RunStatus::kOk, 1}});
}

TEST_CASE("Tallies count every series' runs by trigger and status") {
  RunLogFixture f;
  f.AddSeries("a");
  f.AddSeries("b");
  f.AddSeries("idle");
  f.Append(Run("a", 0, RunTrigger::kWeekly, RunStatus::kOk));
  f.Append(Run("a", 1, RunTrigger::kWeekly, RunStatus::kFailed));
  f.Append(Run("a", 2, RunTrigger::kWeekly, RunStatus::kOk));
  f.Append(Run("a", 3, RunTrigger::kRelease, RunStatus::kOk));
  f.Append(Run("b", 4, RunTrigger::kManual, RunStatus::kSkipped));
  f.Append(Run("b", 5, RunTrigger::kManual, RunStatus::kSkipped));
  f.Append(Run("b", 6, RunTrigger::kManual, RunStatus::kSkipped));

  auto tallies = f.log->Tallies();
  REQUIRE(tallies);
  // Ordered by series, then by the trigger's and the status's stored names.
  CHECK(*tallies == std::vector<RunTally>{
                        {"a", RunTrigger::kRelease, RunStatus::kOk, 1},
                        {"a", RunTrigger::kWeekly, RunStatus::kFailed, 1},
                        {"a", RunTrigger::kWeekly, RunStatus::kOk, 2},
                        {"b", RunTrigger::kManual, RunStatus::kSkipped, 3},
                    });
}

TEST_CASE("Tallies and LastSuccesses are empty for an empty log") {
  RunLogFixture f;
  auto tallies = f.log->Tallies();
  REQUIRE(tallies);
  CHECK(tallies->empty());
  auto successes = f.log->LastSuccesses();
  REQUIRE(successes);
  CHECK(successes->empty());
}

TEST_CASE("LastSuccesses gives each series' latest finish of a successful run") {
  RunLogFixture f;
  f.AddSeries("a");
  f.AddSeries("b");
  f.AddSeries("c");
  f.Append(Run("a", 300));                                           // finished at 360
  f.Append(Run("a", 100));                                           // earlier, appended later
  f.Append(Run("a", 900, RunTrigger::kWeekly, RunStatus::kFailed));  // not a success
  f.Append(Run("b", 500, RunTrigger::kWeekly, RunStatus::kSkipped));
  f.Append(Run("c", 50, RunTrigger::kManual));

  auto successes = f.log->LastSuccesses();
  REQUIRE(successes);
  CHECK(*successes == std::vector<LastSuccess>{{"a", At(kNov1 + 360)}, {"c", At(kNov1 + 110)}});
}

TEST_CASE("a stored trigger this build cannot read is an internal error naming it") {
  RunLogFixture f;
  f.AddSeries("login");
  REQUIRE(f.store->Execute(
      "INSERT INTO schedule_runs (series_id, trigger, trigger_at, started_at, finished_at, "
      "status, events_digest) VALUES ('login', 'hourly', 1, 1, 2, 'ok', 'd')"));
  const std::string message =
      "schedule_runs: stored unknown run trigger 'hourly' (expected one of weekly, "
      "advance_notice, release, under_way, calendar_change, manual, cron)";

  auto latest = f.log->Latest("login");
  REQUIRE_FALSE(latest);
  CHECK(latest.error() == Internal(message));
  auto listed = f.log->List("login", At(0), At(10), 10);
  REQUIRE_FALSE(listed);
  CHECK(listed.error() == Internal(message));
  auto tallies = f.log->Tallies();
  REQUIRE_FALSE(tallies);
  CHECK(tallies.error() == Internal(message));
}

TEST_CASE("a stored status outside ok, failed and skipped is refused by the table") {
  RunLogFixture f;
  f.AddSeries("login");
  const Status inserted = f.store->Execute(
      "INSERT INTO schedule_runs (series_id, trigger, trigger_at, started_at, finished_at, "
      "status, events_digest) VALUES ('login', 'weekly', 1, 1, 2, 'done', 'd')");
  REQUIRE_FALSE(inserted);
  CHECK(inserted.error().code == ErrorCode::kConflict);
}

TEST_CASE("the log keeps only the newest kRunsKeptPerSeries runs of a series") {
  RunLogFixture f;
  f.AddSeries("login");
  f.AddSeries("other");
  const RunRecord other = f.Append(Run("other", 0));
  std::vector<std::int64_t> ids;
  for (std::size_t i = 0; i < kRunsKeptPerSeries + 3; ++i) {
    ids.push_back(f.Append(Run("login", static_cast<std::int64_t>(i))).id);
  }

  const std::vector<RunRecord> kept = f.All("login");
  REQUIRE(kept.size() == kRunsKeptPerSeries);
  CHECK(kept.front().id == ids.back());
  CHECK(kept.back().id == ids[3]);  // the three oldest are gone
  CHECK(Starts(kept).back() == 3);
  // Another series' runs are not counted against it.
  CHECK(f.All("other") == std::vector<RunRecord>{other});
}
TEST_SUITE_END();

}  // namespace
}  // namespace patchcast::storage::contract
