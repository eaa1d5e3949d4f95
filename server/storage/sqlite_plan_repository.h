// SqlitePlanRepository: the SQLite implementation of forecasting/plan_repository.h (table `plans`,
// migration 5). Each series keeps its `retention` most recent plans. Thread-safe.
#pragma once

#include "forecasting/plan_repository.h"
#include "server/storage/reader_pool.h"
#include "server/storage/write_queue.h"

namespace patchcast::storage {

class SqlitePlanRepository final : public forecasting::PlanRepository {
 public:
  // `writes` and `readers` must outlive the repository. `retention` >= 1; default 100.
  SqlitePlanRepository(WriteQueue& writes, ReaderPool& readers, int retention = 100)
      : writes_(writes), readers_(readers), retention_(retention) {}

  Status Save(const forecasting::StoredPlan& plan) override;
  Result<forecasting::StoredPlan> Get(std::string_view id) const override;
  Result<forecasting::StoredPlan> Latest(std::string_view series_id) const override;
  Result<std::vector<forecasting::StoredPlan>> ForSeries(std::string_view series_id) const override;
  Result<std::vector<forecasting::StoredPlan>> LatestPerSeries(
      forecasting::WithDocuments documents) const override;

 private:
  Result<forecasting::StoredPlan> FindOne(const std::string& sql, std::string_view key,
                                          const std::string& not_found) const;

  WriteQueue& writes_;
  ReaderPool& readers_;
  int retention_;
};

}  // namespace patchcast::storage
