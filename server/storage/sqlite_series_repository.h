// SqliteSeriesRepository: the SQLite implementation of forecasting/series_repository.h.
//
// Metadata and running totals (point count, first and last timestamp) live in `series`; values
// live in `series_chunks`, packed per fixed run of grid steps (value_chunks.h), so a year of
// 1-minute data is 129 rows read with one primary-key range scan. Writes run as WriteQueue jobs:
// one upload is one job, hence atomic, and durable before WritePoints returns. Thread-safe.
#pragma once

#include "forecasting/series_repository.h"
#include "server/storage/reader_pool.h"
#include "server/storage/write_queue.h"

namespace patchcast::storage {

class SqliteSeriesRepository final : public forecasting::SeriesRepository {
 public:
  // `writes` and `readers` must outlive the repository.
  SqliteSeriesRepository(WriteQueue& writes, ReaderPool& readers)
      : writes_(writes), readers_(readers) {}

  // See forecasting/series_repository.h. Store errors come from FromSqlite (sqlite_error.h).
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
  WriteQueue& writes_;
  ReaderPool& readers_;
};

}  // namespace patchcast::storage
