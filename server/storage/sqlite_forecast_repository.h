// SqliteForecastRepository: the SQLite implementation of forecasting/forecast_repository.h. Each
// series keeps its `retention` most recent forecasts. Thread-safe.
#pragma once

#include "forecasting/forecast_repository.h"
#include "server/storage/reader_pool.h"
#include "server/storage/write_queue.h"

namespace patchcast::storage {

class SqliteForecastRepository final : public forecasting::ForecastRepository {
 public:
  // `writes` and `readers` must outlive the repository. `retention` >= 1; default 100.
  SqliteForecastRepository(WriteQueue& writes, ReaderPool& readers, int retention = 100)
      : writes_(writes), readers_(readers), retention_(retention) {}

  Status Save(const forecasting::StoredForecast& forecast) override;
  Result<forecasting::StoredForecast> Get(std::string_view id) const override;
  Result<forecasting::StoredForecast> Latest(std::string_view series_id) const override;
  Result<std::vector<forecasting::StoredForecast>> LatestPerSeries(
      forecasting::WithDocuments documents) const override;

 private:
  Result<forecasting::StoredForecast> FindOne(const std::string& sql, std::string_view key,
                                              const std::string& not_found) const;

  WriteQueue& writes_;
  ReaderPool& readers_;
  int retention_;
};

}  // namespace patchcast::storage
