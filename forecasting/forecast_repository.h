// ForecastRepository: the storage port for forecasts once made, so that dashboards and
// orchestrators can fetch the latest one without recomputing it.
//
// Storage keeps the forecast as the API rendered it (a document, opaque here) with the keys to find
// it again; it prunes a series' oldest forecasts beyond a retention count. Implementations must be
// thread-safe; Save is durable when it returns success.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "forecasting/stored_documents.h"

namespace patchcast::forecasting {

struct StoredForecast {
  std::string id;         // unique, e.g. "fc-3f0c9a1b2c4d5e6f"
  std::string series_id;  // the series it forecasts
  std::chrono::sys_seconds generated_at{};
  std::string document;  // the rendered forecast
  // A what-if forecast (sizes changed by hand): stored and fetched by id like any other, but never
  // a series' latest, so that it feeds no dashboard or gauge. Default false.
  bool hypothetical = false;
};

class ForecastRepository {
 public:
  virtual ~ForecastRepository() = default;

  // Stores `forecast`, then deletes the series' oldest forecasts beyond the retention count.
  // Errors: kNotFound when the series does not exist; kConflict for a duplicate id; store errors.
  virtual Status Save(const StoredForecast& forecast) = 0;

  // Returns forecast `id`, or kNotFound "forecast 'x' does not exist".
  virtual Result<StoredForecast> Get(std::string_view id) const = 0;

  // Returns the most recently generated forecast of `series_id` that is not hypothetical; kNotFound
  // "series 'x' does not exist" for an unknown series, or "no forecast has been made for series 'x'
  // yet".
  virtual Result<StoredForecast> Latest(std::string_view series_id) const = 0;

  // Returns, for every series that has a forecast Latest would return, that one, in ascending order
  // of series id; empty when none is stored. With WithDocuments::kNo the documents are left empty
  // (the other fields are set). One query however many series; errors: store errors.
  virtual Result<std::vector<StoredForecast>> LatestPerSeries(WithDocuments documents) const = 0;
};

}  // namespace patchcast::forecasting
