#include "server/storage/pg/pg_migrations.h"

#include <array>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <string>

#include "server/storage/pg/pg_error.h"

namespace patchcast::storage::pg {
namespace {

// Text ids sort in byte order (COLLATE "C"), as in SQLite, whatever the database's locale.
// Values are packed by value_chunks.h into bytea; one row per chunk of 4096 steps.
constexpr std::array kMigrations = {
    PgMigration{1, "series and chunks", R"sql(
CREATE TABLE series (
  id           TEXT COLLATE "C" PRIMARY KEY,
  step_seconds BIGINT NOT NULL CHECK (step_seconds >= 0),
  unit         TEXT NOT NULL,
  description  TEXT NOT NULL,
  zone_mix     TEXT NOT NULL,
  point_count  BIGINT NOT NULL DEFAULT 0 CHECK (point_count >= 0),
  first_ts     BIGINT,
  last_ts      BIGINT
);
CREATE TABLE series_chunks (
  series_id TEXT COLLATE "C" NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  chunk     BIGINT NOT NULL,
  data      BYTEA NOT NULL,
  PRIMARY KEY (series_id, chunk)
);
)sql"},
    // Forecasts and plans as the API rendered them (document_repository.h), with the columns the
    // SQLite tables gained over its migrations 4, 5, 7, 8, 10 and 12. `seq` orders documents
    // generated in the same second (the later saved is the later seq); the by_series indexes serve
    // Latest, ForSeries and LatestPerSeries in their ORDER BY, and retention's pruning.
    PgMigration{2, "forecasts and plans", R"sql(
CREATE TABLE forecasts (
  seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id           TEXT COLLATE "C" NOT NULL UNIQUE,
  series_id    TEXT COLLATE "C" NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  generated_at BIGINT NOT NULL,
  hypothetical BOOLEAN NOT NULL DEFAULT false,
  format       INTEGER NOT NULL DEFAULT 1 CHECK (format >= 1),
  horizon_end  BIGINT,
  score_at     BIGINT,
  document     TEXT NOT NULL
);
CREATE INDEX forecasts_by_series ON forecasts (series_id, generated_at DESC, seq DESC);
CREATE INDEX forecasts_by_score_at ON forecasts (score_at) WHERE score_at IS NOT NULL;
CREATE TABLE plans (
  seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id           TEXT COLLATE "C" NOT NULL UNIQUE,
  series_id    TEXT COLLATE "C" NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  generated_at BIGINT NOT NULL,
  valid_until  BIGINT NOT NULL,
  format       INTEGER NOT NULL DEFAULT 1 CHECK (format >= 1),
  document     TEXT NOT NULL
);
CREATE INDEX plans_by_series ON plans (series_id, generated_at DESC, seq DESC);
)sql"},
    // A series' own settings (series_settings_repository.h): one document per name.
    PgMigration{3, "series settings", R"sql(
CREATE TABLE series_settings (
  series_id  TEXT COLLATE "C" NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  name       TEXT COLLATE "C" NOT NULL,
  updated_at BIGINT NOT NULL,
  document   TEXT NOT NULL,
  PRIMARY KEY (series_id, name)
);
CREATE INDEX series_settings_by_name ON series_settings (name, series_id);
)sql"},
    // Surges above forecast (surge_alert_log.h): one row per episode of a release under way.
    PgMigration{4, "surge alerts", R"sql(
CREATE TABLE surge_alerts (
  series_id   TEXT COLLATE "C" NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  event_id    TEXT COLLATE "C" NOT NULL,
  started_at  BIGINT NOT NULL,
  ended_at    BIGINT,
  forecast_id TEXT NOT NULL,
  reason      TEXT NOT NULL CHECK (reason IN ('above_p99', 'over_p90_ratio')),
  peak_ratio  DOUBLE PRECISION NOT NULL,
  peak_at     BIGINT NOT NULL,
  PRIMARY KEY (series_id, event_id, started_at)
);
CREATE INDEX surge_alerts_open ON surge_alerts (series_id) WHERE ended_at IS NULL;
)sql"},
    // The scheduler's runs (run_log.h), newest first by id; trigger and status names sort in byte
    // order for Tallies, as in SQLite.
    PgMigration{5, "schedule runs", R"sql(
CREATE TABLE schedule_runs (
  id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  series_id     TEXT COLLATE "C" NOT NULL REFERENCES series (id) ON DELETE CASCADE,
  trigger       TEXT COLLATE "C" NOT NULL,
  trigger_at    BIGINT NOT NULL,
  started_at    BIGINT NOT NULL,
  finished_at   BIGINT NOT NULL,
  status        TEXT COLLATE "C" NOT NULL CHECK (status IN ('ok', 'failed', 'skipped')),
  forecast_id   TEXT,
  plan_id       TEXT,
  error         TEXT,
  data_end      BIGINT,
  events_digest TEXT NOT NULL
);
CREATE INDEX schedule_runs_by_series ON schedule_runs (series_id, id);
CREATE INDEX schedule_runs_by_start ON schedule_runs (series_id, started_at);
)sql"},
    // Scorecards (scorecard_store.h) outlive forecast retention, so reference no forecast; a NaN
    // score is NULL. The by_horizon_end index serves LatestPerSeries.
    PgMigration{6, "forecast accuracy", R"sql(
CREATE TABLE forecast_scores (
  forecast_id                        TEXT COLLATE "C" PRIMARY KEY,
  series_id                          TEXT COLLATE "C" NOT NULL
    REFERENCES series (id) ON DELETE CASCADE,
  as_of                              BIGINT NOT NULL,
  generated_at                       BIGINT NOT NULL,
  scored_at                          BIGINT NOT NULL,
  horizon_end                        BIGINT NOT NULL,
  next_score_at                      BIGINT,
  forecast_peak_error                DOUBLE PRECISION,
  forecast_peak_timing_error_minutes DOUBLE PRECISION,
  forecast_mape                      DOUBLE PRECISION,
  forecast_coverage_p50              DOUBLE PRECISION,
  forecast_coverage_p90              DOUBLE PRECISION,
  forecast_coverage_p99              DOUBLE PRECISION,
  forecast_steps                     BIGINT NOT NULL CHECK (forecast_steps >= 0),
  naive_peak_error                   DOUBLE PRECISION,
  naive_peak_timing_error_minutes    DOUBLE PRECISION,
  naive_mape                         DOUBLE PRECISION,
  naive_coverage_p50                 DOUBLE PRECISION,
  naive_coverage_p90                 DOUBLE PRECISION,
  naive_coverage_p99                 DOUBLE PRECISION,
  naive_steps                        BIGINT NOT NULL CHECK (naive_steps >= 0)
);
CREATE INDEX forecast_scores_by_series ON forecast_scores (series_id, generated_at);
CREATE INDEX forecast_scores_by_horizon_end ON forecast_scores (series_id, horizon_end);
CREATE TABLE forecast_event_scores (
  forecast_id                        TEXT COLLATE "C" NOT NULL
    REFERENCES forecast_scores (forecast_id) ON DELETE CASCADE,
  position                           BIGINT NOT NULL,
  event_id                           TEXT NOT NULL,
  start                              BIGINT NOT NULL,
  actual_peak                        DOUBLE PRECISION,
  actual_peak_ts                     BIGINT NOT NULL,
  forecast_peak_error                DOUBLE PRECISION,
  forecast_peak_timing_error_minutes DOUBLE PRECISION,
  forecast_mape                      DOUBLE PRECISION,
  forecast_coverage_p50              DOUBLE PRECISION,
  forecast_coverage_p90              DOUBLE PRECISION,
  forecast_coverage_p99              DOUBLE PRECISION,
  forecast_steps                     BIGINT NOT NULL CHECK (forecast_steps >= 0),
  naive_peak_error                   DOUBLE PRECISION,
  naive_peak_timing_error_minutes    DOUBLE PRECISION,
  naive_mape                         DOUBLE PRECISION,
  naive_coverage_p50                 DOUBLE PRECISION,
  naive_coverage_p90                 DOUBLE PRECISION,
  naive_coverage_p99                 DOUBLE PRECISION,
  naive_steps                        BIGINT NOT NULL CHECK (naive_steps >= 0),
  PRIMARY KEY (forecast_id, position)
);
)sql"},
    // Custom calendars and overrides (calendar_repository.h), as calendar_rows.h describes them.
    // `seq` keeps insertion order. Overrides name built-in calendars too, so reference none.
    PgMigration{7, "calendars", R"sql(
CREATE TABLE custom_calendars (
  seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id               TEXT COLLATE "C" NOT NULL UNIQUE,
  name             TEXT NOT NULL,
  description      TEXT NOT NULL,
  zone             TEXT NOT NULL,
  event_kind       TEXT NOT NULL,
  duration_seconds BIGINT,
  schedule         TEXT NOT NULL CHECK (schedule IN ('dates', 'rule')),
  dtstart          TEXT,
  rrule            TEXT,
  CHECK ((schedule = 'rule') = (dtstart IS NOT NULL AND rrule IS NOT NULL))
);
CREATE TABLE custom_calendar_times (
  calendar_id TEXT COLLATE "C" NOT NULL REFERENCES custom_calendars (id) ON DELETE CASCADE,
  role        TEXT NOT NULL CHECK (role IN ('start', 'exdate')),
  position    BIGINT NOT NULL,
  local_time  TEXT NOT NULL,
  PRIMARY KEY (calendar_id, role, position)
);
CREATE TABLE calendar_overrides (
  seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id               TEXT COLLATE "C" NOT NULL UNIQUE,
  calendar_id      TEXT COLLATE "C" NOT NULL,
  date             TEXT NOT NULL,
  action           TEXT NOT NULL CHECK (action IN ('cancel', 'move', 'add', 'annotate')),
  event_kind       TEXT,
  to_local         TEXT,
  at_utc           TEXT,
  duration_seconds BIGINT,
  bulletins        BIGINT,
  max_severity     TEXT,
  restart_required BOOLEAN,
  notes            TEXT
);
CREATE INDEX calendar_overrides_by_calendar ON calendar_overrides (calendar_id);
)sql"},
    // One number that every calendar or override write moves in its own transaction, so that each
    // replica's catalog can tell with one read whether another changed them
    // (CalendarRepository::Revision).
    PgMigration{8, "calendar revision", R"sql(
CREATE TABLE calendar_revision (
  singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
  revision  BIGINT NOT NULL
);
INSERT INTO calendar_revision (singleton, revision) VALUES (TRUE, 0);
)sql"},
};

constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())";

// Holds the migration lock for its lifetime. The destructor never throws: if unlocking fails the
// connection is broken, and the server released the lock with it.
class MigrationLock {
 public:
  explicit MigrationLock(pqxx::connection& connection) : connection_(connection) {
    pqxx::nontransaction(connection_).exec_params("SELECT pg_advisory_lock($1)", kMigrationLockKey);
  }
  MigrationLock(const MigrationLock&) = delete;
  MigrationLock& operator=(const MigrationLock&) = delete;
  ~MigrationLock() {
    try {
      pqxx::nontransaction(connection_)
          .exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
    } catch (const pqxx::failure&) {
      // The connection is gone, and its session's locks with it.
    }
  }

 private:
  pqxx::connection& connection_;
};

bool NumberedWithoutGaps(std::span<const PgMigration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) return false;
  }
  return true;
}

Status Apply(pqxx::connection& connection, const PgMigration& migration) {
  const std::string context =
      "migration " + std::to_string(migration.version) + " (" + std::string(migration.name) + ")";
  try {
    pqxx::work transaction(connection);
    transaction.exec(std::string(migration.sql));
    transaction.exec_params("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                            migration.version, std::string(migration.name));
    transaction.commit();
    return {};
  } catch (const pqxx::failure& e) {
    return FromPg(e, context);
  }
}

}  // namespace

std::span<const PgMigration> PgMigrations() { return kMigrations; }

int LatestPgVersion(std::span<const PgMigration> migrations) {
  return migrations.empty() ? 0 : migrations.back().version;
}

int AppliedPgVersion(pqxx::connection& connection) {
  pqxx::nontransaction query(connection);
  const pqxx::row exists = query.exec1("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists[0].as<bool>()) return 0;
  return query.exec1("SELECT coalesce(max(version), 0) FROM schema_migrations")[0].as<int>();
}

Status ApplyPgMigrations(pqxx::connection& connection, std::span<const PgMigration> migrations) {
  if (!NumberedWithoutGaps(migrations)) {
    return Internal("PostgreSQL migrations are not numbered 1..N");
  }
  const int latest = LatestPgVersion(migrations);
  int applied = 0;
  try {
    MigrationLock lock(connection);
    pqxx::nontransaction(connection).exec(kCreateMigrationsTable);
    applied = AppliedPgVersion(connection);
    if (applied > latest) {
      return Internal("database schema version " + std::to_string(applied) +
                      " is newer than this build supports (" + std::to_string(latest) + ")");
    }
    for (const PgMigration& migration : migrations.subspan(static_cast<std::size_t>(applied))) {
      if (Status status = Apply(connection, migration); !status) return status;
    }
    return {};
  } catch (const pqxx::failure& e) {
    return FromPg(e, "apply migrations");
  }
}

}  // namespace patchcast::storage::pg
