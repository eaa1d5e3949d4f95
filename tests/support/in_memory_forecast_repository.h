// InMemoryForecastRepository: forecasting::ForecastRepository over a vector, for api tests.
// Thread-safe.
#pragma once

#include <algorithm>
#include <mutex>
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
  Result<forecasting::StoredForecast> Latest(std::string_view series_id) const override {
    std::lock_guard lock(mutex_);
    for (auto it = stored_.rbegin(); it != stored_.rend(); ++it) {
      if (it->series_id == series_id) return *it;
    }
    return NotFound("no forecast is stored for series '" + std::string(series_id) + "'");
  }

 private:
  mutable std::mutex mutex_;
  std::vector<forecasting::StoredForecast> stored_;
};

}  // namespace patchcast::testing
