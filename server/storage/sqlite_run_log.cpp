#include "server/storage/sqlite_run_log.h"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "server/storage/run_rows.h"
#include "server/storage/sql_limit.h"
#include "server/storage/sqlite_error.h"
#include "server/storage/sqlite_time.h"

namespace patchcast::storage {
namespace {

using forecasting::LastSuccess;
using forecasting::RunRecord;
using forecasting::RunStatus;
using forecasting::RunTally;
using forecasting::RunTrigger;

// Empty text is stored as NULL, so a query can tell "none" without comparing to ''.
void BindOptional(SQLite::Statement& statement, int index, const std::string& text) {
  if (text.empty()) {
    statement.bind(index);
  } else {
    statement.bind(index, text);
  }
}

std::string TextOrEmpty(const SQLite::Column& column) {
  return column.isNull() ? std::string() : column.getString();
}

// The run in the current row of `query`, whose columns are kRunColumns (run_rows.h).
Result<RunRecord> ReadRun(SQLite::Statement& query) {
  const Result<RunTrigger> trigger = StoredRunTrigger(query.getColumn(2).getString());
  if (!trigger) return trigger.error();
  const Result<RunStatus> status = StoredRunStatus(query.getColumn(6).getString());
  if (!status) return status.error();
  RunRecord run{.id = query.getColumn(0).getInt64(),
                .series_id = query.getColumn(1).getString(),
                .trigger = *trigger,
                .trigger_at = Instant(query.getColumn(3)),
                .started = Instant(query.getColumn(4)),
                .finished = Instant(query.getColumn(5)),
                .status = *status,
                .forecast_id = TextOrEmpty(query.getColumn(7)),
                .plan_id = TextOrEmpty(query.getColumn(8)),
                .error = TextOrEmpty(query.getColumn(9)),
                .data_end = std::nullopt,
                .events_digest = query.getColumn(11).getString()};
  if (!query.getColumn(10).isNull()) run.data_end = Instant(query.getColumn(10));
  return run;
}

// The tally in the current row of `query`, whose columns are series_id, trigger, status, count.
Result<RunTally> ReadTally(SQLite::Statement& query) {
  const Result<RunTrigger> trigger = StoredRunTrigger(query.getColumn(1).getString());
  if (!trigger) return trigger.error();
  const Result<RunStatus> status = StoredRunStatus(query.getColumn(2).getString());
  if (!status) return status.error();
  return RunTally{query.getColumn(0).getString(), *trigger, *status,
                  static_cast<std::uint64_t>(query.getColumn(3).getInt64())};
}

// Every remaining row of `query` as a run.
Result<std::vector<RunRecord>> ReadRuns(SQLite::Statement& query) {
  std::vector<RunRecord> runs;
  while (query.executeStep()) {
    Result<RunRecord> run = ReadRun(query);
    if (!run) return run.error();
    runs.push_back(std::move(*run));
  }
  return runs;
}

Status CheckSeriesExists(SQLite::Database& db, const std::string& series_id) {
  SQLite::Statement series(db, "SELECT 1 FROM series WHERE id = ?");
  series.bind(1, series_id);
  if (!series.executeStep()) return NotFound("series '" + series_id + "' does not exist");
  return {};
}

std::int64_t InsertRun(SQLite::Database& db, const RunRecord& run) {
  SQLite::Statement insert(db,
                           "INSERT INTO schedule_runs (series_id, trigger, trigger_at, "
                           "started_at, finished_at, status, forecast_id, plan_id, error, "
                           "data_end, events_digest) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, run.series_id);
  insert.bind(2, std::string(forecasting::ToString(run.trigger)));
  insert.bind(3, Seconds(run.trigger_at));
  insert.bind(4, Seconds(run.started));
  insert.bind(5, Seconds(run.finished));
  insert.bind(6, std::string(forecasting::ToString(run.status)));
  BindOptional(insert, 7, run.forecast_id);
  BindOptional(insert, 8, run.plan_id);
  BindOptional(insert, 9, run.error);
  if (run.data_end) {
    insert.bind(10, Seconds(*run.data_end));
  } else {
    insert.bind(10);
  }
  insert.bind(11, run.events_digest);
  insert.exec();
  return db.getLastInsertRowid();
}

// Deletes the series' runs older than its newest kRunsKeptPerSeries: the id of the oldest run to
// drop is found on the (series_id, id) index, so a series under the limit costs one index probe.
void DropOldestRuns(SQLite::Database& db, const std::string& series_id) {
  SQLite::Statement prune(db,
                          "DELETE FROM schedule_runs WHERE series_id = ?1 AND id <= (SELECT id "
                          "FROM schedule_runs WHERE series_id = ?1 ORDER BY id DESC LIMIT 1 "
                          "OFFSET ?2)");
  prune.bind(1, series_id);
  prune.bind(2, static_cast<std::int64_t>(forecasting::kRunsKeptPerSeries));
  prune.exec();
}

}  // namespace

Result<std::int64_t> SqliteRunLog::Append(const RunRecord& run) {
  std::int64_t id = 0;
  Status status = writes_.Submit([&](SQLite::Database& db) -> Status {
    if (Status exists = CheckSeriesExists(db, run.series_id); !exists) return exists;
    id = InsertRun(db, run);
    DropOldestRuns(db, run.series_id);
    return {};
  });
  if (!status) return status.error();
  return id;
}

Result<std::vector<RunRecord>> SqliteRunLog::List(std::string_view series_id,
                                                  std::chrono::sys_seconds from,
                                                  std::chrono::sys_seconds to,
                                                  std::size_t limit) const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Statement query(*reader, std::string("SELECT ") + kRunColumns +
                                         " FROM schedule_runs WHERE series_id = ? AND "
                                         "started_at >= ? AND started_at < ? ORDER BY id DESC "
                                         "LIMIT ?");
    query.bind(1, std::string(series_id));
    query.bind(2, Seconds(from));
    query.bind(3, Seconds(to));
    query.bind(4, SqlLimit(limit));
    return ReadRuns(query);
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "list runs");
  }
}

Result<std::optional<RunRecord>> SqliteRunLog::Latest(std::string_view series_id) const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Statement query(*reader, std::string("SELECT ") + kRunColumns +
                                         " FROM schedule_runs WHERE series_id = ? ORDER BY id "
                                         "DESC LIMIT 1");
    query.bind(1, std::string(series_id));
    if (!query.executeStep()) return std::optional<RunRecord>();
    Result<RunRecord> run = ReadRun(query);
    if (!run) return run.error();
    return std::optional<RunRecord>(std::move(*run));
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "read latest run");
  }
}

Result<std::vector<RunTally>> SqliteRunLog::Tallies() const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Statement query(*reader,
                            "SELECT series_id, trigger, status, count(*) FROM schedule_runs "
                            "GROUP BY series_id, trigger, status "
                            "ORDER BY series_id, trigger, status");
    std::vector<RunTally> tallies;
    while (query.executeStep()) {
      Result<RunTally> tally = ReadTally(query);
      if (!tally) return tally.error();
      tallies.push_back(std::move(*tally));
    }
    return tallies;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "count runs");
  }
}

Result<std::vector<LastSuccess>> SqliteRunLog::LastSuccesses() const {
  try {
    ReaderPool::Lease reader = readers_.Borrow();
    SQLite::Statement query(*reader,
                            "SELECT series_id, max(finished_at) FROM schedule_runs "
                            "WHERE status = 'ok' GROUP BY series_id ORDER BY series_id");
    std::vector<LastSuccess> successes;
    while (query.executeStep()) {
      successes.push_back({query.getColumn(0).getString(), Instant(query.getColumn(1))});
    }
    return successes;
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, "read last successful runs");
  }
}

}  // namespace patchcast::storage
