// SeriesSettingsRepository: the storage port for a series' own settings: its reboot-wave prior
// (reboot_prior.h) and its capacity model (capacity_plan.h), which forecasts and plans start from
// before a request's overrides (issues 5 and 6), and its run schedule (run_schedule.h, issue 15).
//
// Storage keeps each setting as the API rendered it (a document, opaque here) under a name, one
// per series and name; a series' settings go with it when it is deleted. Implementations must be
// thread-safe; Put and Delete are durable when they return success.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace patchcast::forecasting {

// The names settings are stored under.
inline constexpr std::string_view kRebootPriorSetting = "reboot_prior";
inline constexpr std::string_view kCapacityModelSetting = "capacity_model";
inline constexpr std::string_view kScheduleSetting = "schedule";

struct StoredSetting {
  std::string series_id;
  std::string name;  // kRebootPriorSetting, kCapacityModelSetting
  std::chrono::sys_seconds updated_at{};
  std::string document;  // the rendered setting

  friend bool operator==(const StoredSetting&, const StoredSetting&) = default;
};

class SeriesSettingsRepository {
 public:
  virtual ~SeriesSettingsRepository() = default;

  // Stores `setting`, replacing the series' setting of that name. Errors: kNotFound "series 'x'
  // does not exist"; store errors.
  virtual Status Put(const StoredSetting& setting) = 0;

  // Returns the series' setting `name`, or nullopt when none is stored (whether or not the series
  // exists: callers check the series first). Errors: store errors.
  virtual Result<std::optional<StoredSetting>> Get(std::string_view series_id,
                                                   std::string_view name) const = 0;

  // Deletes the series' setting `name`; returns whether one was stored. Errors: store errors.
  virtual Result<bool> Delete(std::string_view series_id, std::string_view name) = 0;

  // Every series' setting `name`, by series id. Errors: store errors.
  virtual Result<std::vector<StoredSetting>> List(std::string_view name) const = 0;
};

}  // namespace patchcast::forecasting
