// SqliteScorecardStore: the SQLite implementation of forecasting/scorecard_store.h (tables
// forecast_scores and forecast_event_scores, migration 10; what is due is read from forecasts and
// series). A NaN score is stored as NULL. Thread-safe.
#pragma once

#include "forecasting/scorecard_store.h"
#include "server/storage/reader_pool.h"
#include "server/storage/write_queue.h"

namespace patchcast::storage {

class SqliteScorecardStore final : public forecasting::ScorecardStore {
 public:
  // `writes` and `readers` must outlive the store.
  SqliteScorecardStore(WriteQueue& writes, ReaderPool& readers)
      : writes_(writes), readers_(readers) {}

  // See forecasting/scorecard_store.h. Listings read the scorecards and their events in one
  // snapshot, with two queries however many scorecards. Store errors come from FromSqlite
  // (sqlite_error.h).
  Status Keep(const forecasting::ForecastScorecard& card) override;
  // Ordered by generated_at, then by forecast id.
  Result<std::vector<forecasting::ForecastScorecard>> List(
      std::string_view series_id, std::chrono::sys_seconds from,
      std::chrono::sys_seconds to) const override;
  // On a tie of horizon ends, the greatest forecast id.
  Result<std::vector<forecasting::ForecastScorecard>> LatestPerSeries() const override;
  // Ties of horizon ends by forecast id.
  Result<std::vector<forecasting::DueScoring>> Due(std::size_t limit) const override;

 private:
  WriteQueue& writes_;
  ReaderPool& readers_;
};

}  // namespace patchcast::storage
