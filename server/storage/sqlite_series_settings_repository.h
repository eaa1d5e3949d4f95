// SqliteSeriesSettingsRepository: the SQLite implementation of
// forecasting/series_settings_repository.h (table series_settings, migration 6). Thread-safe.
#pragma once

#include "forecasting/series_settings_repository.h"
#include "server/storage/reader_pool.h"
#include "server/storage/write_queue.h"

namespace patchcast::storage {

class SqliteSeriesSettingsRepository final : public forecasting::SeriesSettingsRepository {
 public:
  // `writes` and `readers` must outlive the repository.
  SqliteSeriesSettingsRepository(WriteQueue& writes, ReaderPool& readers)
      : writes_(writes), readers_(readers) {}

  Status Put(const forecasting::StoredSetting& setting) override;
  Result<std::optional<forecasting::StoredSetting>> Get(std::string_view series_id,
                                                        std::string_view name) const override;
  Result<bool> Delete(std::string_view series_id, std::string_view name) override;
  Result<std::vector<forecasting::StoredSetting>> List(std::string_view name) const override;

 private:
  WriteQueue& writes_;
  ReaderPool& readers_;
};

}  // namespace patchcast::storage
