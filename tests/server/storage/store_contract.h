// The store the repository contracts after the series one run against: a fresh, empty database of
// one storage engine and the repositories over it. The cases are written once, in
// document_repository_contract_test.cpp, series_settings_repository_contract_test.cpp,
// surge_alert_log_contract_test.cpp, run_log_contract_test.cpp, scorecard_store_contract_test.cpp
// and calendar_repository_contract_test.cpp, and compiled into each engine's test binary:
// patchcast_storage_test (SQLite, defined in sqlite_store_test.cpp) and patchcast_pg_storage_test
// (PostgreSQL, in pg/pg_store_test.cpp). Not thread-safe: one store per test case.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"
#include "forecasting/calendar_repository.h"
#include "forecasting/document_repository.h"
#include "forecasting/run_log.h"
#include "forecasting/scorecard_store.h"
#include "forecasting/series_repository.h"
#include "forecasting/series_settings_repository.h"
#include "forecasting/surge_alert_log.h"

namespace patchcast::storage::contract {

class StoreUnderTest {
 public:
  virtual ~StoreUnderTest() = default;

  // The store's repositories; valid until Reopen or destruction.
  virtual forecasting::SeriesRepository& series() = 0;
  virtual forecasting::SeriesSettingsRepository& settings() = 0;
  virtual forecasting::SurgeAlertLog& surge_alerts() = 0;
  virtual forecasting::RunLog& runs() = 0;
  virtual forecasting::ScorecardStore& scorecards() = 0;
  virtual forecasting::CalendarRepository& calendars() = 0;

  // Runs `sql` (SQL both engines speak) as the store's own writes run, mapping a failure as its
  // repositories do: what a row written by another build or by hand does.
  virtual Status Execute(const std::string& sql) = 0;
  // The integer in the first column of the one row the query `sql` returns; fails the test case
  // if it cannot be read.
  virtual std::int64_t QueryInteger(const std::string& sql) = 0;

  // A new repository of `kind` documents keeping `retention` per series. Precondition: destroyed
  // before Reopen and before the store.
  virtual std::unique_ptr<forecasting::DocumentRepository> NewDocuments(
      forecasting::DocumentKind kind, int retention) = 0;

  // Closes the database and opens it again, as a restart does; fails the test case (REQUIRE) if
  // it cannot.
  virtual void Reopen() = 0;
};

// Returns a store over a fresh, empty database; fails the test case (REQUIRE) if it cannot.
std::unique_ptr<StoreUnderTest> OpenStoreUnderTest();

// Returns whether this engine can be tested here; the cases are skipped (not passed) when not.
bool StoreEngineAvailable();

}  // namespace patchcast::storage::contract
