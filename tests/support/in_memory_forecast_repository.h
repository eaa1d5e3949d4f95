// InMemoryForecastRepository: forecasting::ForecastRepository over a vector, for api tests.
// Thread-safe.
#pragma once

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "forecasting/forecast_repository.h"

namespace patchcast::testing {

class InMemoryForecastRepository : public forecasting::ForecastRepository {
 public:
  Status Save(const forecasting::StoredForecast& forecast) override {
    std::lock_guard lock(mutex_);
    stored_.push_back(forecast);
    return {};
  }
  Result<forecasting::StoredForecast> Get(std::string_view id) const override {
    std::lock_guard lock(mutex_);
    for (const auto& forecast : stored_) {
      if (forecast.id == id) return forecast;
    }
    return NotFound("forecast '" + std::string(id) + "' does not exist");
  }
  // The newest generated_at; the later Save on a tie (as SQLite's seq orders them).
  Result<forecasting::StoredForecast> Latest(std::string_view series_id) const override {
    std::lock_guard lock(mutex_);
    const forecasting::StoredForecast* latest = nullptr;
    for (const auto& forecast : stored_) {
      if (forecast.series_id == series_id && !forecast.hypothetical &&
          (!latest || forecast.generated_at >= latest->generated_at)) {
        latest = &forecast;
      }
    }
    if (!latest)
      return NotFound("no forecast has been made for series '" + std::string(series_id) + "' yet");
    return *latest;
  }
  Result<std::vector<forecasting::StoredForecast>> LatestPerSeries(
      forecasting::WithDocuments documents) const override {
    std::lock_guard lock(mutex_);
    std::map<std::string, const forecasting::StoredForecast*> latest;
    for (const auto& forecast : stored_) {
      if (forecast.hypothetical) continue;
      const forecasting::StoredForecast*& slot = latest[forecast.series_id];
      if (!slot || forecast.generated_at >= slot->generated_at) slot = &forecast;
    }
    std::vector<forecasting::StoredForecast> out;
    for (const auto& [series_id, forecast] : latest) {
      out.push_back(*forecast);
      if (documents == forecasting::WithDocuments::kNo) out.back().document.clear();
    }
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<forecasting::StoredForecast> stored_;
};

}  // namespace patchcast::testing
