// PgSeriesSettingsRepository: the PostgreSQL implementation of
// forecasting/series_settings_repository.h (table series_settings, migration 3, pg_migrations.cpp).
// Each call is one statement or transaction run through RunOnPool (pg_call.h): committed before
// Put and Delete return success, retried once on a fresh connection if the first is lost, else
// kUnavailable. Thread-safe.
#pragma once

#include "forecasting/series_settings_repository.h"
#include "server/storage/pg/pg_pool.h"

namespace patchcast::storage::pg {

class PgSeriesSettingsRepository final : public forecasting::SeriesSettingsRepository {
 public:
  // `pool` must outlive the repository.
  explicit PgSeriesSettingsRepository(PgPool& pool) : pool_(pool) {}

  // See forecasting/series_settings_repository.h. Store errors come from the pool and FromPg
  // (pg_error.h).
  Status Put(const forecasting::StoredSetting& setting) override;
  Result<std::optional<forecasting::StoredSetting>> Get(std::string_view series_id,
                                                        std::string_view name) const override;
  Result<bool> Delete(std::string_view series_id, std::string_view name) override;
  Result<std::vector<forecasting::StoredSetting>> List(std::string_view name) const override;

 private:
  PgPool& pool_;
};

}  // namespace patchcast::storage::pg
