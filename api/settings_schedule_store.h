// SettingsScheduleStore: forecasting::ScheduleStore kept among a series' settings
// (forecasting/series_settings_repository.h, name "schedule"), as the JSON schedule_json.h
// writes. A schedule then goes wherever the series' other settings go: deleted with the series,
// copied with the database. Thread-safe when the repository is.
#pragma once

#include "forecasting/schedule_store.h"
#include "forecasting/series_settings_repository.h"

namespace patchcast::api {

class SettingsScheduleStore final : public forecasting::ScheduleStore {
 public:
  // `settings` must outlive this.
  explicit SettingsScheduleStore(forecasting::SeriesSettingsRepository& settings)
      : settings_(settings) {}

  Status Put(const forecasting::StoredSchedule& stored) override;
  // A stored schedule that no longer reads (say, its timezone left the tz database) is an
  // Internal error naming the series and the reason.
  Result<std::optional<forecasting::StoredSchedule>> Get(std::string_view series_id) const override;
  Result<bool> Delete(std::string_view series_id) override;
  Result<std::vector<forecasting::StoredSchedule>> List() const override;

 private:
  forecasting::SeriesSettingsRepository& settings_;
};

}  // namespace patchcast::api
