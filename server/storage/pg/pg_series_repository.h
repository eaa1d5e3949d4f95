// PgSeriesRepository: the PostgreSQL implementation of forecasting/series_repository.h.
//
// The same layout as SqliteSeriesRepository: metadata and running totals (point count, first and
// last timestamp) in `series`; values in `series_chunks`, packed per fixed run of grid steps by
// value_chunks.h into bytea, so a year of 1-minute data is 129 rows. Each call is one transaction
// run through RunOnPool (pg_call.h): atomic, committed before it returns success, retried once on
// a fresh connection if the first is lost, else kUnavailable. Writers of one series are serialised
// by a row lock on it (SELECT ... FOR UPDATE), so concurrent uploads merge rather than overwrite
// each other's chunks. Reads of one range see one snapshot (REPEATABLE READ). Thread-safe.
#pragma once

#include "forecasting/series_repository.h"
#include "server/storage/pg/pg_pool.h"

namespace patchcast::storage::pg {

class PgSeriesRepository final : public forecasting::SeriesRepository {
 public:
  // `pool` must outlive the repository.
  explicit PgSeriesRepository(PgPool& pool) : pool_(pool) {}

  // See forecasting/series_repository.h. Store errors come from the pool and FromPg (pg_error.h).
  Result<std::vector<forecasting::SeriesSummary>> ListSeries(
      std::string_view id_prefix) const override;
  Result<forecasting::SeriesSummary> GetSeries(std::string_view id) const override;
  Result<bool> PutSeries(const forecasting::SeriesMetadata& metadata) override;
  Status DeleteSeries(std::string_view id) override;
  Result<forecasting::WriteOutcome> WritePoints(const forecasting::SeriesMetadata& series,
                                                std::span<const forecasting::Point> points,
                                                forecasting::OnConflict on_conflict) override;
  Result<forecasting::RegularSeries> ReadRange(std::string_view id, std::chrono::sys_seconds from,
                                               std::chrono::sys_seconds to,
                                               std::size_t max_steps) const override;
  Result<std::uint64_t> DeletePoints(std::string_view id, std::chrono::sys_seconds from,
                                     std::chrono::sys_seconds to) override;

 private:
  PgPool& pool_;
};

}  // namespace patchcast::storage::pg
