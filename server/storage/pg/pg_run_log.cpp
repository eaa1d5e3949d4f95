#include "server/storage/pg/pg_run_log.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>
#include <string>
#include <utility>

#include "server/storage/pg/pg_call.h"
#include "server/storage/pg/pg_series_lock.h"
#include "server/storage/pg/pg_time.h"
#include "server/storage/run_rows.h"
#include "server/storage/sql_limit.h"

namespace patchcast::storage::pg {
namespace {

using forecasting::LastSuccess;
using forecasting::RunRecord;
using forecasting::RunStatus;
using forecasting::RunTally;
using forecasting::RunTrigger;

std::string TextOrEmpty(const pqxx::field& field) {
  return field.is_null() ? std::string() : field.as<std::string>();
}

// The run in `row`, whose columns are kRunColumns (run_rows.h).
Result<RunRecord> ReadRun(const pqxx::row& row) {
  const Result<RunTrigger> trigger = StoredRunTrigger(row[2].as<std::string>());
  if (!trigger) return trigger.error();
  const Result<RunStatus> status = StoredRunStatus(row[6].as<std::string>());
  if (!status) return status.error();
  return RunRecord{.id = row[0].as<std::int64_t>(),
                   .series_id = row[1].as<std::string>(),
                   .trigger = *trigger,
                   .trigger_at = Instant(row[3]),
                   .started = Instant(row[4]),
                   .finished = Instant(row[5]),
                   .status = *status,
                   .forecast_id = TextOrEmpty(row[7]),
                   .plan_id = TextOrEmpty(row[8]),
                   .error = TextOrEmpty(row[9]),
                   .data_end = OptionalInstant(row[10]),
                   .events_digest = row[11].as<std::string>()};
}

Result<std::vector<RunRecord>> ReadRuns(const pqxx::result& rows) {
  std::vector<RunRecord> runs;
  runs.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    Result<RunRecord> run = ReadRun(row);
    if (!run) return run.error();
    runs.push_back(std::move(*run));
  }
  return runs;
}

// Empty text is stored as NULL (NULLIF in the statement), as SQLite's log stores it.
std::int64_t InsertRun(pqxx::work& transaction, const RunRecord& run) {
  return transaction
      .exec_params1(
          "INSERT INTO schedule_runs (series_id, trigger, trigger_at, started_at, finished_at, "
          "status, forecast_id, plan_id, error, data_end, events_digest) VALUES ($1, $2, $3, $4, "
          "$5, $6, NULLIF($7, ''), NULLIF($8, ''), NULLIF($9, ''), NULLIF($10, '')::bigint, $11) "
          "RETURNING id",
          run.series_id, std::string(forecasting::ToString(run.trigger)), Seconds(run.trigger_at),
          Seconds(run.started), Seconds(run.finished),
          std::string(forecasting::ToString(run.status)), run.forecast_id, run.plan_id, run.error,
          OptionalSeconds(run.data_end), run.events_digest)[0]
      .as<std::int64_t>();
}

// Deletes the series' runs older than its newest kRunsKeptPerSeries: the id of the oldest run to
// drop is found on the (series_id, id) index, so a series under the limit costs one index probe.
void DropOldestRuns(pqxx::work& transaction, const std::string& series_id) {
  transaction.exec_params(
      "DELETE FROM schedule_runs WHERE series_id = $1 AND id <= (SELECT id FROM schedule_runs "
      "WHERE series_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)",
      series_id, static_cast<std::int64_t>(forecasting::kRunsKeptPerSeries));
}

}  // namespace

Result<std::int64_t> PgRunLog::Append(const RunRecord& run) {
  return RunOnPool(pool_, "record a run of series '" + run.series_id + "'",
                   [&](pqxx::connection& connection) -> Result<std::int64_t> {
                     pqxx::work transaction(connection);
                     if (Status locked = LockSeriesForWrite(transaction, run.series_id); !locked) {
                       return locked.error();
                     }
                     const std::int64_t id = InsertRun(transaction, run);
                     DropOldestRuns(transaction, run.series_id);
                     transaction.commit();
                     return id;
                   });
}

Result<std::vector<RunRecord>> PgRunLog::List(std::string_view series_id,
                                              std::chrono::sys_seconds from,
                                              std::chrono::sys_seconds to,
                                              std::size_t limit) const {
  return RunOnPool(pool_, "list runs of series '" + std::string(series_id) + "'",
                   [&](pqxx::connection& connection) -> Result<std::vector<RunRecord>> {
                     return ReadRuns(pqxx::nontransaction(connection)
                                         .exec_params(std::string("SELECT ") + kRunColumns +
                                                          " FROM schedule_runs WHERE series_id = "
                                                          "$1 AND started_at >= $2 AND started_at "
                                                          "< $3 ORDER BY id DESC LIMIT $4",
                                                      std::string(series_id), Seconds(from),
                                                      Seconds(to), SqlLimit(limit)));
                   });
}

Result<std::optional<RunRecord>> PgRunLog::Latest(std::string_view series_id) const {
  return RunOnPool(pool_, "read the latest run of series '" + std::string(series_id) + "'",
                   [&](pqxx::connection& connection) -> Result<std::optional<RunRecord>> {
                     const pqxx::result rows =
                         pqxx::nontransaction(connection)
                             .exec_params(std::string("SELECT ") + kRunColumns +
                                              " FROM schedule_runs WHERE series_id = $1 "
                                              "ORDER BY id DESC LIMIT 1",
                                          std::string(series_id));
                     if (rows.empty()) return std::optional<RunRecord>();
                     Result<RunRecord> run = ReadRun(rows[0]);
                     if (!run) return run.error();
                     return std::optional<RunRecord>(std::move(*run));
                   });
}

Result<std::vector<RunTally>> PgRunLog::Tallies() const {
  return RunOnPool(
      pool_, "count runs", [&](pqxx::connection& connection) -> Result<std::vector<RunTally>> {
        const pqxx::result rows = pqxx::nontransaction(connection)
                                      .exec(
                                          "SELECT series_id, trigger, status, count(*) FROM "
                                          "schedule_runs GROUP BY series_id, trigger, status "
                                          "ORDER BY series_id, trigger, status");
        std::vector<RunTally> tallies;
        tallies.reserve(rows.size());
        for (const pqxx::row& row : rows) {
          const Result<RunTrigger> trigger = StoredRunTrigger(row[1].as<std::string>());
          if (!trigger) return trigger.error();
          const Result<RunStatus> status = StoredRunStatus(row[2].as<std::string>());
          if (!status) return status.error();
          tallies.push_back(
              {row[0].as<std::string>(), *trigger, *status, row[3].as<std::uint64_t>()});
        }
        return tallies;
      });
}

Result<std::vector<LastSuccess>> PgRunLog::LastSuccesses() const {
  return RunOnPool(pool_, "read last successful runs",
                   [&](pqxx::connection& connection) -> Result<std::vector<LastSuccess>> {
                     const pqxx::result rows = pqxx::nontransaction(connection)
                                                   .exec(
                                                       "SELECT series_id, max(finished_at) FROM "
                                                       "schedule_runs WHERE status = 'ok' GROUP "
                                                       "BY series_id ORDER BY series_id");
                     std::vector<LastSuccess> successes;
                     successes.reserve(rows.size());
                     for (const pqxx::row& row : rows) {
                       successes.push_back({row[0].as<std::string>(), Instant(row[1])});
                     }
                     return successes;
                   });
}

}  // namespace patchcast::storage::pg
