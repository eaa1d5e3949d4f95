// Copying one database into another through the storage ports alone, so any engine can be the
// source or the target: `patchcast migrate-db` moves an SQLite file to PostgreSQL with it (or
// back).
//
// Everything the ports keep is copied: custom calendars and overrides, series with their metadata
// and points, series settings, forecasts and plans, scorecards, the run log and surge alerts. The
// target must be empty, so a copy never merges with or overwrites what another process wrote.
// Neither function is atomic across the whole database (each write is, as its port promises):
// stop the services writing to the source first, and start from a new target if a copy fails.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/result.h"
#include "server/storage_engine.h"

namespace patchcast::server {

// How many of each thing a database holds.
struct DatabaseCounts {
  std::size_t calendars = 0;
  std::size_t overrides = 0;
  std::size_t series = 0;
  std::uint64_t points = 0;
  std::size_t settings = 0;
  std::size_t forecasts = 0;
  std::size_t plans = 0;
  std::size_t scorecards = 0;
  std::size_t runs = 0;
  std::size_t surge_alerts = 0;

  friend bool operator==(const DatabaseCounts&, const DatabaseCounts&) = default;
};

// Copies everything `from` holds into `to` and returns what was copied. Runs are appended oldest
// first, so the target numbers them anew in the same order. Errors: kConflict "the target database
// is not empty: it holds series 'x'" (or "… calendar 'x'"); the ports' errors, their message
// prefixed with what was being copied ("series 'logins', points from 2026-11-01T00:00:00Z: …").
Result<DatabaseCounts> CopyDatabase(const StorageEngine& from, StorageEngine& to);

// Reads both databases back and returns OK when `to` holds exactly what `from` holds: the same
// calendars and overrides, and per series the same metadata, points (value for value), settings,
// documents, scorecards, runs (but their ids) and alerts. Errors: kInternal naming the first
// difference ("series 'logins': 1440 points in the source, 1439 in the target"); the ports' errors.
Status VerifyCopy(const StorageEngine& from, const StorageEngine& to);

}  // namespace patchcast::server
