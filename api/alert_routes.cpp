#include "api/alert_routes.h"

#include <memory>
#include <nlohmann/json.hpp>

#include "api/json_response.h"
#include "api/query_params.h"
#include "api/series_access.h"
#include "api/timestamp_format.h"

namespace patchcast::api {
namespace {

using nlohmann::json;

json AlertJson(const forecasting::SurgeAlert& alert) {
  const forecasting::SurgeEpisode& episode = alert.episode;
  return {{"event_id", alert.event_id},
          {"forecast_id", alert.forecast_id},
          {"started", FormatRfc3339(episode.started)},
          {"ended", episode.ended ? json(FormatRfc3339(*episode.ended)) : json(nullptr)},
          {"reason", forecasting::ToString(episode.reason)},
          {"peak_ratio", episode.peak_ratio},
          {"peak_at", FormatRfc3339(episode.peak_at)}};
}

class AlertHandlers {
 public:
  explicit AlertHandlers(AlertRoutesContext context) : context_(context) {}

  Result<Response> List(const Request& request) const {
    auto listing = ParseListingQuery(request, kDefaultAlertsListed, kMaxAlertsListed);
    if (!listing) return listing.error();
    auto series_id = ExistingVisibleSeries(request, context_.series);
    if (!series_id) return series_id.error();
    auto alerts = context_.alerts.List(*series_id, listing->from, listing->to, listing->limit);
    if (!alerts) return alerts.error();
    json listed = json::array();
    bool open = false;
    for (const forecasting::SurgeAlert& alert : *alerts) {
      listed.push_back(AlertJson(alert));
      open = open || !alert.episode.ended;
    }
    return JsonResponse(
        {{"series", *series_id}, {"above_forecast", open}, {"alerts", std::move(listed)}});
  }

 private:
  AlertRoutesContext context_;
};

}  // namespace

void AddAlertRoutes(Router& router, AlertRoutesContext context) {
  auto handlers = std::make_shared<const AlertHandlers>(context);
  router.Add({Method::kGet,
              "/v1/series/{id}/alerts",
              Scope::kRead,
              {},
              Bind(handlers, &AlertHandlers::List),
              "The series' surges above forecast while releases rolled, newest first"});
}

}  // namespace patchcast::api
