// StorageEngine: every storage port the service and its commands use, opened on the database that
// --db (or PATCHCAST_DB) names: PostgreSQL when it is a postgresql:// or postgres:// URL, where
// any number of replicas may share it, else an SQLite file.
//
// main builds the domain on the ports alone, so nothing above this file knows the engine. Members
// are declared in build order: destroying the engine destroys the repositories before the store
// whose connections they use. Thread-safety: that of each port (all are thread-safe).
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "api/data_version.h"
#include "core/result.h"
#include "forecasting/calendar_repository.h"
#include "forecasting/document_repository.h"
#include "forecasting/run_leases.h"
#include "forecasting/run_log.h"
#include "forecasting/scorecard_store.h"
#include "forecasting/series_repository.h"
#include "forecasting/series_settings_repository.h"
#include "forecasting/storage.h"
#include "forecasting/surge_alert_log.h"

namespace patchcast::server {

struct StorageEngineOptions {
  std::string db;                    // an SQLite file path or a PostgreSQL URL. No default.
  int busy_timeout_ms = 5000;        // SQLite only
  std::filesystem::path backup_dir;  // SQLite only; empty: backups/ beside the file
  std::size_t pool_size = 8;         // PostgreSQL only: connections per process (--db-pool)
};

struct StorageEngine {
  // What logs show for the database: the file path, or the URL with its password redacted.
  std::string shown_name;
  std::unique_ptr<Storage> store;
  std::unique_ptr<forecasting::CalendarRepository> calendars;
  std::unique_ptr<forecasting::SeriesRepository> series;
  std::unique_ptr<forecasting::DocumentRepository> forecasts;
  std::unique_ptr<forecasting::DocumentRepository> plans;
  std::unique_ptr<forecasting::SeriesSettingsRepository> settings;
  std::unique_ptr<forecasting::RunLog> runs;
  std::unique_ptr<forecasting::ScorecardStore> scorecards;
  std::unique_ptr<forecasting::SurgeAlertLog> surges;
  // Moves on every commit by any process sharing the database (api/data_version.h).
  std::unique_ptr<api::DataVersion> data_version;
  // PostgreSQL only, where replicas share the database: the scheduler's leases. Null on SQLite,
  // whose file has one serving process.
  std::unique_ptr<forecasting::RunLeases> leases;
};

// Opens (creating or migrating as needed) the database `options.db` names. Errors are the
// engine's store's Open errors (SqliteStore::Open, PgStore::Open); none shows a password.
Result<StorageEngine> OpenStorageEngine(const StorageEngineOptions& options);

}  // namespace patchcast::server
