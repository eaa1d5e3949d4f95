#include "server/storage_engine.h"

#include "server/pg_data_version.h"
#include "server/sqlite_data_version.h"
#include "server/storage/pg/pg_calendar_repository.h"
#include "server/storage/pg/pg_document_repository.h"
#include "server/storage/pg/pg_run_leases.h"
#include "server/storage/pg/pg_run_log.h"
#include "server/storage/pg/pg_scorecard_store.h"
#include "server/storage/pg/pg_series_repository.h"
#include "server/storage/pg/pg_series_settings_repository.h"
#include "server/storage/pg/pg_store.h"
#include "server/storage/pg/pg_surge_alert_log.h"
#include "server/storage/pg/pg_url.h"
#include "server/storage/sqlite_calendar_repository.h"
#include "server/storage/sqlite_document_repository.h"
#include "server/storage/sqlite_run_log.h"
#include "server/storage/sqlite_scorecard_store.h"
#include "server/storage/sqlite_series_repository.h"
#include "server/storage/sqlite_series_settings_repository.h"
#include "server/storage/sqlite_store.h"
#include "server/storage/sqlite_surge_alert_log.h"

namespace patchcast::server {
namespace {

using forecasting::DocumentKind;

Result<StorageEngine> OpenSqlite(const StorageEngineOptions& options) {
  storage::StoreOptions store_options;
  store_options.path = options.db;
  store_options.busy_timeout_ms = options.busy_timeout_ms;
  store_options.backup_dir = options.backup_dir;
  auto opened = storage::SqliteStore::Open(store_options);
  if (!opened) return opened.error();
  storage::SqliteStore& store = **opened;
  storage::WriteQueue& writes = store.writes();
  storage::ReaderPool& readers = store.readers();

  StorageEngine engine;
  engine.shown_name = options.db;
  engine.store = std::move(*opened);
  engine.calendars = std::make_unique<storage::SqliteCalendarRepository>(writes, readers);
  engine.series = std::make_unique<storage::SqliteSeriesRepository>(writes, readers);
  engine.forecasts =
      std::make_unique<storage::SqliteDocumentRepository>(DocumentKind::kForecast, writes, readers);
  engine.plans =
      std::make_unique<storage::SqliteDocumentRepository>(DocumentKind::kPlan, writes, readers);
  engine.settings = std::make_unique<storage::SqliteSeriesSettingsRepository>(writes, readers);
  engine.runs = std::make_unique<storage::SqliteRunLog>(writes, readers);
  engine.scorecards = std::make_unique<storage::SqliteScorecardStore>(writes, readers);
  engine.surges = std::make_unique<storage::SqliteSurgeAlertLog>(writes, readers);
  engine.data_version = std::make_unique<SqliteDataVersion>(readers);
  return engine;
}

Result<StorageEngine> OpenPostgres(const StorageEngineOptions& options) {
  storage::pg::PgStoreOptions store_options;
  store_options.url = options.db;
  store_options.pool_size = options.pool_size;
  auto opened = storage::pg::PgStore::Open(store_options);
  if (!opened) return opened.error();
  storage::pg::PgStore& store = **opened;
  storage::pg::PgPool& pool = store.pool();

  StorageEngine engine;
  engine.shown_name = store.redacted_url();
  engine.store = std::move(*opened);
  engine.calendars = std::make_unique<storage::pg::PgCalendarRepository>(pool);
  engine.series = std::make_unique<storage::pg::PgSeriesRepository>(pool);
  engine.forecasts =
      std::make_unique<storage::pg::PgDocumentRepository>(DocumentKind::kForecast, pool);
  engine.plans = std::make_unique<storage::pg::PgDocumentRepository>(DocumentKind::kPlan, pool);
  engine.settings = std::make_unique<storage::pg::PgSeriesSettingsRepository>(pool);
  engine.runs = std::make_unique<storage::pg::PgRunLog>(pool);
  engine.scorecards = std::make_unique<storage::pg::PgScorecardStore>(pool);
  engine.surges = std::make_unique<storage::pg::PgSurgeAlertLog>(pool);
  engine.data_version = std::make_unique<PgDataVersion>(pool);
  engine.leases = std::make_unique<storage::pg::PgRunLeases>(pool.options().connection_string);
  return engine;
}

}  // namespace

Result<StorageEngine> OpenStorageEngine(const StorageEngineOptions& options) {
  return storage::pg::IsPostgresUrl(options.db) ? OpenPostgres(options) : OpenSqlite(options);
}

}  // namespace patchcast::server
