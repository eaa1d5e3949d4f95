#include "api/series_settings.h"

#include <nlohmann/json.hpp>
#include <string>

#include "api/capacity_model_json.h"
#include "api/reboot_prior_json.h"

namespace patchcast::api {
namespace {

Error Unreadable(const forecasting::StoredSetting& setting, const std::string& why) {
  return Internal("stored " + setting.name + " of series '" + setting.series_id +
                  "' cannot be read: " + why);
}

// A stored document that reads as JSON but fails today's checks: stored before a limit came in
// (issue 13 bounded every field). The operator can fix it, so it is not a server error.
Error Outdated(const forecasting::StoredSetting& setting, const std::string& why) {
  return Unprocessable(
      "the stored " + setting.name + " of series '" + setting.series_id +
      "' no longer passes the checks (" + why + "); store it again with PUT /v1/series/" +
      setting.series_id + "/" +
      (setting.name == forecasting::kCapacityModelSetting ? "capacity-model" : "reboot-prior"));
}

}  // namespace

Result<forecasting::RebootPrior> SeriesSettings::PriorFor(std::string_view series_id) const {
  auto stored = repository_.Get(series_id, forecasting::kRebootPriorSetting);
  if (!stored) return stored.error();
  if (!*stored) return forecasting::RebootPrior{};
  const auto document = nlohmann::json::parse((*stored)->document, nullptr, false);
  if (!document.is_object()) return Unreadable(**stored, "not a JSON object");
  auto prior = ParseRebootPrior(document);
  if (!prior) return Outdated(**stored, prior.error().message);
  return prior;
}

Result<std::optional<forecasting::CapacityModel>> SeriesSettings::CapacityModelFor(
    std::string_view series_id) const {
  auto stored = repository_.Get(series_id, forecasting::kCapacityModelSetting);
  if (!stored) return stored.error();
  if (!*stored) return std::optional<forecasting::CapacityModel>();
  const auto document = nlohmann::json::parse((*stored)->document, nullptr, false);
  if (!document.is_object()) return Unreadable(**stored, "not a JSON object");
  forecasting::CapacityModel model;
  if (Status read = ReadCapacityModel(document, model); !read) {
    return Outdated(**stored, read.error().message);
  }
  return std::optional<forecasting::CapacityModel>(model);
}

}  // namespace patchcast::api
