#include "server/storage/migrations.h"

#include <SQLiteCpp/Transaction.h>

#include <array>
#include <string>

#include "server/storage/sqlite_error.h"

namespace patchcast::storage {
namespace {

// Append only. A released migration is never edited: databases in the field already ran it.
constexpr std::array kMigrations = {
    Migration{1, "meta table", R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY NOT NULL,
  value TEXT NOT NULL
) STRICT;
)sql"},
    // Custom calendars and overrides (calendar_repository.h). `seq` keeps creation order: an
    // INTEGER PRIMARY KEY is the rowid, which VACUUM (and VACUUM INTO backups) never renumbers.
    // Times are text in time_text.h's forms; kinds and severities their ToString names.
    Migration{2, "calendars", R"sql(
CREATE TABLE custom_calendars (
  seq              INTEGER PRIMARY KEY,
  id               TEXT NOT NULL UNIQUE,
  name             TEXT NOT NULL,
  description      TEXT NOT NULL,
  zone             TEXT NOT NULL,
  event_kind       TEXT NOT NULL,
  duration_seconds INTEGER,
  schedule         TEXT NOT NULL CHECK (schedule IN ('dates', 'rule')),
  dtstart          TEXT,
  rrule            TEXT,
  CHECK ((schedule = 'rule') = (dtstart IS NOT NULL AND rrule IS NOT NULL))
) STRICT;
CREATE TABLE custom_calendar_times (
  calendar_id TEXT NOT NULL REFERENCES custom_calendars (id) ON DELETE CASCADE,
  role        TEXT NOT NULL CHECK (role IN ('start', 'exdate')),
  position    INTEGER NOT NULL,
  local_time  TEXT NOT NULL,
  PRIMARY KEY (calendar_id, role, position)
) STRICT, WITHOUT ROWID;
CREATE TABLE calendar_overrides (
  seq              INTEGER PRIMARY KEY,
  id               TEXT NOT NULL UNIQUE,
  calendar_id      TEXT NOT NULL,
  date             TEXT NOT NULL,
  action           TEXT NOT NULL CHECK (action IN ('cancel', 'move', 'add', 'annotate')),
  event_kind       TEXT,
  to_local         TEXT,
  at_utc           TEXT,
  duration_seconds INTEGER,
  bulletins        INTEGER,
  max_severity     TEXT,
  restart_required INTEGER CHECK (restart_required IN (0, 1)),
  notes            TEXT
) STRICT;
CREATE INDEX calendar_overrides_by_calendar ON calendar_overrides (calendar_id);
)sql"},
    // Telemetry series (series_repository.h). Values are packed per run of kChunkSteps grid steps
    // (value_chunks.h): one row per chunk, keyed for range scans, so timestamps are implicit.
    // point_count, first_ts and last_ts are kept current by every write.
    Migration{3, "series", R"sql(
CREATE TABLE series (
  id           TEXT PRIMARY KEY NOT NULL,
  step_seconds INTEGER NOT NULL CHECK (step_seconds >= 0),
  unit         TEXT NOT NULL,
  description  TEXT NOT NULL,
  zone_mix     TEXT NOT NULL,
  point_count  INTEGER NOT NULL DEFAULT 0 CHECK (point_count >= 0),
  first_ts     INTEGER,
  last_ts      INTEGER
) STRICT;
CREATE TABLE series_chunks (
  series_id TEXT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  chunk     INTEGER NOT NULL,
  data      BLOB NOT NULL,
  PRIMARY KEY (series_id, chunk)
) STRICT, WITHOUT ROWID;
)sql"},
    // Forecasts as the API rendered them (document_repository.h); `seq` orders forecasts generated
    // in the same second.
    Migration{4, "forecasts", R"sql(
CREATE TABLE forecasts (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  series_id    TEXT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  generated_at INTEGER NOT NULL,
  document     TEXT NOT NULL
) STRICT;
CREATE INDEX forecasts_by_series ON forecasts (series_id, generated_at);
)sql"},
    // Capacity plans as the API rendered them (document_repository.h); `seq` orders plans generated
    // in the same second.
    Migration{5, "plans", R"sql(
CREATE TABLE plans (
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  series_id    TEXT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  generated_at INTEGER NOT NULL,
  valid_until  INTEGER NOT NULL,
  document     TEXT NOT NULL
) STRICT;
CREATE INDEX plans_by_series ON plans (series_id, generated_at);
)sql"},
    // A series' own model settings (series_settings_repository.h): one document per name.
    Migration{6, "series settings", R"sql(
CREATE TABLE series_settings (
  series_id  TEXT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  document   TEXT NOT NULL,
  PRIMARY KEY (series_id, name)
) STRICT, WITHOUT ROWID;
)sql"},
    // What-if forecasts are kept but are never a series' latest (document_repository.h).
    Migration{7, "hypothetical forecasts", R"sql(
ALTER TABLE forecasts ADD COLUMN hypothetical INTEGER NOT NULL DEFAULT 0
  CHECK (hypothetical IN (0, 1));
)sql"},
    // The version of each kept document's rendering (StoredDocument::format): the rows kept so
    // far are all version 1.
    Migration{8, "document formats", R"sql(
ALTER TABLE forecasts ADD COLUMN format INTEGER NOT NULL DEFAULT 1 CHECK (format >= 1);
ALTER TABLE plans ADD COLUMN format INTEGER NOT NULL DEFAULT 1 CHECK (format >= 1);
)sql"},
    // The scheduler's runs (run_log.h); `id` is the rowid, so ids increase and order the runs.
    Migration{9, "scheduled runs", R"sql(
CREATE TABLE schedule_runs (
  id            INTEGER PRIMARY KEY,
  series_id     TEXT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  trigger       TEXT NOT NULL,
  trigger_at    INTEGER NOT NULL,
  started_at    INTEGER NOT NULL,
  finished_at   INTEGER NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'skipped')),
  forecast_id   TEXT,
  plan_id       TEXT,
  error         TEXT,
  data_end      INTEGER,
  events_digest TEXT NOT NULL
) STRICT;
CREATE INDEX schedule_runs_by_series ON schedule_runs (series_id, id);
CREATE INDEX schedule_runs_by_start ON schedule_runs (series_id, started_at);
)sql"},
    // Scorecards (scorecard_store.h) outlive forecast retention, so reference no forecast; a NaN
    // score is NULL, as is the horizon_end of forecasts kept before.
    Migration{10, "forecast accuracy", R"sql(
ALTER TABLE forecasts ADD COLUMN horizon_end INTEGER;
CREATE INDEX forecasts_by_horizon_end ON forecasts (series_id, horizon_end)
  WHERE hypothetical = 0 AND horizon_end IS NOT NULL;
CREATE TABLE forecast_scores (
  forecast_id                        TEXT PRIMARY KEY NOT NULL,
  series_id                          TEXT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  as_of                              INTEGER NOT NULL,
  generated_at                       INTEGER NOT NULL,
  scored_at                          INTEGER NOT NULL,
  horizon_end                        INTEGER NOT NULL,
  forecast_peak_error                REAL,
  forecast_peak_timing_error_minutes REAL,
  forecast_mape                      REAL,
  forecast_coverage_p50              REAL,
  forecast_coverage_p90              REAL,
  forecast_coverage_p99              REAL,
  forecast_steps                     INTEGER NOT NULL CHECK (forecast_steps >= 0),
  naive_peak_error                   REAL,
  naive_peak_timing_error_minutes    REAL,
  naive_mape                         REAL,
  naive_coverage_p50                 REAL,
  naive_coverage_p90                 REAL,
  naive_coverage_p99                 REAL,
  naive_steps                        INTEGER NOT NULL CHECK (naive_steps >= 0)
) STRICT, WITHOUT ROWID;
CREATE INDEX forecast_scores_by_series ON forecast_scores (series_id, generated_at);
CREATE INDEX forecast_scores_by_horizon_end ON forecast_scores (series_id, horizon_end);
CREATE TABLE forecast_event_scores (
  forecast_id                        TEXT NOT NULL
    REFERENCES forecast_scores (forecast_id) ON DELETE CASCADE,
  position                           INTEGER NOT NULL,
  event_id                           TEXT NOT NULL,
  start                              INTEGER NOT NULL,
  actual_peak                        REAL,
  actual_peak_ts                     INTEGER NOT NULL,
  forecast_peak_error                REAL,
  forecast_peak_timing_error_minutes REAL,
  forecast_mape                      REAL,
  forecast_coverage_p50              REAL,
  forecast_coverage_p90              REAL,
  forecast_coverage_p99              REAL,
  forecast_steps                     INTEGER NOT NULL CHECK (forecast_steps >= 0),
  naive_peak_error                   REAL,
  naive_peak_timing_error_minutes    REAL,
  naive_mape                         REAL,
  naive_coverage_p50                 REAL,
  naive_coverage_p90                 REAL,
  naive_coverage_p99                 REAL,
  naive_steps                        INTEGER NOT NULL CHECK (naive_steps >= 0),
  PRIMARY KEY (forecast_id, position)
) STRICT, WITHOUT ROWID;
)sql"},
    // Surges above forecast (surge_alert_log.h): one row per episode of a series' release.
    Migration{11, "surge alerts", R"sql(
CREATE TABLE surge_alerts (
  series_id   TEXT NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  event_id    TEXT NOT NULL,
  started_at  INTEGER NOT NULL,
  ended_at    INTEGER,
  forecast_id TEXT NOT NULL,
  reason      TEXT NOT NULL CHECK (reason IN ('above_p99', 'over_p90_ratio')),
  peak_ratio  REAL NOT NULL,
  peak_at     INTEGER NOT NULL,
  PRIMARY KEY (series_id, event_id, started_at)
) STRICT, WITHOUT ROWID;
CREATE INDEX surge_alerts_open ON surge_alerts (series_id) WHERE ended_at IS NULL;
)sql"},
    // Events are scored as soon as their window has passed, before the horizon's end: a forecast
    // records when it next has something to score (NULL once scored in full), and a scorecard
    // whether it is partial. Forecasts kept before, not yet scored, are first due at their
    // horizon's end, as they were.
    Migration{12, "event windows scored early", R"sql(
ALTER TABLE forecasts ADD COLUMN score_at INTEGER;
UPDATE forecasts SET score_at = horizon_end
  WHERE hypothetical = 0 AND horizon_end IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM forecast_scores AS c WHERE c.forecast_id = forecasts.id);
DROP INDEX forecasts_by_horizon_end;
CREATE INDEX forecasts_by_score_at ON forecasts (score_at) WHERE score_at IS NOT NULL;
ALTER TABLE forecast_scores ADD COLUMN next_score_at INTEGER;
)sql"},
    // One number that every calendar or override write moves in its own transaction, so that a
    // catalog can tell with one read whether another process changed them
    // (CalendarRepository::Revision).
    Migration{13, "calendar revision", R"sql(
CREATE TABLE calendar_revision (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  revision  INTEGER NOT NULL
) STRICT;
INSERT INTO calendar_revision (singleton, revision) VALUES (1, 0);
)sql"},
};

Status CheckNumbering(std::span<const Migration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    const int expected = static_cast<int>(i) + 1;
    if (migrations[i].version != expected) {
      return Internal("migration list is not numbered 1..N: entry " + std::to_string(i) + " (" +
                      std::string(migrations[i].name) + ") has version " +
                      std::to_string(migrations[i].version) + ", expected " +
                      std::to_string(expected));
    }
  }
  return {};
}

// Applies `migration` unless a concurrent process already did: the version is re-read after
// BEGIN IMMEDIATE, which holds the write lock.
Status Apply(SQLite::Database& db, const Migration& migration) {
  const std::string context =
      "migration " + std::to_string(migration.version) + " (" + std::string(migration.name) + ")";
  try {
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    if (db.execAndGet("PRAGMA user_version").getInt() >= migration.version) return {};
    db.exec(std::string(migration.sql));
    db.exec("PRAGMA user_version = " + std::to_string(migration.version));
    transaction.commit();
    return {};
  } catch (const SQLite::Exception& e) {
    // The Transaction destructor has rolled back.
    return FromSqlite(e, context);
  }
}

}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

int LatestVersion(std::span<const Migration> migrations) {
  return migrations.empty() ? 0 : migrations.back().version;
}

Result<int> SchemaVersion(SQLite::Database& db, std::string_view context) {
  try {
    return db.execAndGet("PRAGMA user_version").getInt();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, context);
  }
}

Status ApplyMigrations(SQLite::Database& db, std::span<const Migration> migrations) {
  if (Status numbering = CheckNumbering(migrations); !numbering) return numbering;
  const Result<int> current = SchemaVersion(db, "read schema version");
  if (!current) return current.error();
  const int latest = LatestVersion(migrations);
  if (*current < 0) {
    return Internal("database schema version " + std::to_string(*current) + " is not valid");
  }
  if (*current > latest) {
    return Internal("database schema version " + std::to_string(*current) +
                    " is newer than this build supports (" + std::to_string(latest) + ")");
  }
  for (const Migration& migration : migrations.subspan(static_cast<std::size_t>(*current))) {
    if (Status applied = Apply(db, migration); !applied) return applied;
  }
  return {};
}

}  // namespace patchcast::storage
