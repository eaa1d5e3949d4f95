#include "api/settings_schedule_store.h"

#include <nlohmann/json.hpp>

#include "api/schedule_json.h"

namespace patchcast::api {
namespace {

using forecasting::kScheduleSetting;

Result<forecasting::StoredSchedule> Decode(const forecasting::StoredSetting& setting) {
  const auto document = nlohmann::json::parse(setting.document, nullptr, false);
  const auto unreadable = [&](const std::string& why) {
    return Internal("stored schedule of series '" + setting.series_id + "' does not read: " + why);
  };
  if (document.is_discarded()) return unreadable("not JSON");
  auto schedule = ParseSchedule(document);
  if (!schedule) return unreadable(schedule.error().message);
  return forecasting::StoredSchedule{setting.series_id, std::move(*schedule), setting.updated_at};
}

}  // namespace

Status SettingsScheduleStore::Put(const forecasting::StoredSchedule& stored) {
  return settings_.Put({stored.series_id, std::string(kScheduleSetting), stored.updated_at,
                        ScheduleJson(stored.schedule).dump()});
}

Result<std::optional<forecasting::StoredSchedule>> SettingsScheduleStore::Get(
    std::string_view series_id) const {
  auto setting = settings_.Get(series_id, kScheduleSetting);
  if (!setting) return setting.error();
  if (!*setting) return std::optional<forecasting::StoredSchedule>();
  auto decoded = Decode(**setting);
  if (!decoded) return decoded.error();
  return std::optional<forecasting::StoredSchedule>(std::move(*decoded));
}

Result<bool> SettingsScheduleStore::Delete(std::string_view series_id) {
  return settings_.Delete(series_id, kScheduleSetting);
}

Result<std::vector<forecasting::StoredSchedule>> SettingsScheduleStore::List() const {
  auto settings = settings_.List(kScheduleSetting);
  if (!settings) return settings.error();
  std::vector<forecasting::StoredSchedule> schedules;
  schedules.reserve(settings->size());
  for (const forecasting::StoredSetting& setting : *settings) {
    auto decoded = Decode(setting);
    if (!decoded) return decoded.error();
    schedules.push_back(std::move(*decoded));
  }
  return schedules;
}

}  // namespace patchcast::api
