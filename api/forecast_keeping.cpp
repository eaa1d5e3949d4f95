#include "api/forecast_keeping.h"

#include "api/forecast_document.h"

namespace patchcast::api {

Result<forecasting::StoredDocument> KeepForecast(forecasting::DocumentRepository& forecasts,
                                                 const forecasting::ForecastRun& run,
                                                 std::string id, std::chrono::sys_seconds now,
                                                 bool hypothetical) {
  const forecasting::ForecastRecord record{.id = std::move(id),
                                           .series_id = run.series.metadata.id,
                                           .as_of = run.as_of,
                                           .generated_at = now,
                                           .step = run.series.metadata.step_seconds,
                                           .hypothetical = hypothetical,
                                           .forecast = run.forecast};
  forecasting::StoredDocument stored{.id = record.id,
                                     .series_id = record.series_id,
                                     .generated_at = now,
                                     .valid_until = std::nullopt,
                                     .document = ForecastDocument(record).dump(),
                                     .hypothetical = hypothetical};
  if (Status saved = forecasts.Save(stored); !saved) return saved.error();
  return stored;
}

}  // namespace patchcast::api
