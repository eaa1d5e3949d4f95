// InMemorySeriesSettingsRepository: forecasting::SeriesSettingsRepository over a map, for api
// tests. Every series exists unless listed in `missing_series`. Thread-safe.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "forecasting/series_settings_repository.h"

namespace patchcast::testing {

class InMemorySeriesSettingsRepository : public forecasting::SeriesSettingsRepository {
 public:
  Status Put(const forecasting::StoredSetting& setting) override {
    std::lock_guard lock(mutex_);
    if (missing_series.contains(setting.series_id)) {
      return NotFound("series '" + setting.series_id + "' does not exist");
    }
    stored_[{setting.series_id, setting.name}] = setting;
    return {};
  }
  Result<std::optional<forecasting::StoredSetting>> Get(std::string_view series_id,
                                                        std::string_view name) const override {
    std::lock_guard lock(mutex_);
    auto it = stored_.find({std::string(series_id), std::string(name)});
    if (it == stored_.end()) return std::optional<forecasting::StoredSetting>();
    return std::optional<forecasting::StoredSetting>(it->second);
  }
  Result<bool> Delete(std::string_view series_id, std::string_view name) override {
    std::lock_guard lock(mutex_);
    return stored_.erase({std::string(series_id), std::string(name)}) > 0;
  }

  Result<std::vector<forecasting::StoredSetting>> List(std::string_view name) const override {
    std::lock_guard lock(mutex_);
    std::vector<forecasting::StoredSetting> named;
    for (const auto& [key, setting] : stored_) {
      if (key.second == name) named.push_back(setting);
    }
    return named;
  }

  std::set<std::string> missing_series;

 private:
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, std::string>, forecasting::StoredSetting> stored_;
};

}  // namespace patchcast::testing
