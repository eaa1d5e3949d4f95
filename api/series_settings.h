// SeriesSettings: a series' own reboot-wave prior and capacity model, read from their stored
// documents (forecasting/series_settings_repository.h). Forecasts take the prior through
// forecasting::RebootPriorSource; plan requests start from the capacity model.
//
// Thread-safe when the repository is.
#pragma once

#include <optional>
#include <string_view>

#include "core/result.h"
#include "forecasting/capacity_plan.h"
#include "forecasting/forecast_service.h"
#include "forecasting/series_settings_repository.h"

namespace patchcast::api {

class SeriesSettings final : public forecasting::RebootPriorSource {
 public:
  // `repository` must outlive this.
  explicit SeriesSettings(const forecasting::SeriesSettingsRepository& repository)
      : repository_(repository) {}

  // The series' stored prior, or RebootPrior's defaults. Errors: store errors; kInternal for a
  // stored document this build cannot read.
  Result<forecasting::RebootPrior> PriorFor(std::string_view series_id) const override;

  // The series' stored capacity model, or nullopt when it has none. Errors as for PriorFor.
  Result<std::optional<forecasting::CapacityModel>> CapacityModelFor(
      std::string_view series_id) const;

 private:
  const forecasting::SeriesSettingsRepository& repository_;
};

}  // namespace patchcast::api
